"""The app's configuration agrees with the reader's limits."""

import tomllib
from pathlib import Path

from cpsu.ingest import MAX_UPLOAD_BYTES

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_the_upload_limit_shown_beside_the_uploader_is_the_readers():
    config = tomllib.loads(CONFIG.read_text())
    # Streamlit's limit is in megabytes (2 ** 20 bytes), as the reader's is
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES


def test_usage_statistics_are_off_and_no_prompt_blocks_make_run():
    config = tomllib.loads(CONFIG.read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["showEmailPrompt"] is False


def test_no_folder_named_pages_beside_the_router():
    # Streamlit runs a script in ./pages on its own, without app.py, when a
    # session's first run is interrupted; such a page has no session state.
    root = CONFIG.parents[1]
    assert not (root / "pages").exists()
    assert (root / "app_pages").is_dir()
