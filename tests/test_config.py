"""The app's configuration agrees with the reader's limits."""

import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cpsu.ingest import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"


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


def test_the_server_refuses_forged_uploads_and_hides_error_details():
    config = tomllib.loads(CONFIG.read_text())
    # An upload must carry the token of the XSRF cookie; Streamlit wants CORS
    # protection on with it.
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    # People see a generic message; the details go to the server's log.
    assert config["client"]["showErrorDetails"] == "none"
    assert config["logger"]["level"] == "info"


def shown_settings() -> dict[str, str]:
    """The settings in force as the installed Streamlit reads them from the
    project's folder: `streamlit config show` prints each one that is set
    without the comment mark."""
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    settings: dict[str, str] = {}
    section = ""
    for line in shown.splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif " = " in line and not line.startswith("#"):
            name, value = line.split(" = ", 1)
            settings[f"{section}.{name}"] = value
    return settings


def test_the_installed_streamlit_accepts_the_settings():
    settings = shown_settings()
    assert settings["client.showErrorDetails"] == '"none"'
    assert settings["server.enableXsrfProtection"] == "true"
    assert settings["server.enableCORS"] == "true"
    assert settings["server.maxUploadSize"] == "50"
    assert settings["logger.level"] == '"info"'
    assert settings["browser.gatherUsageStats"] == "false"


def test_the_running_server_refuses_an_upload_without_the_xsrf_token(tmp_path):
    from tests.e2e.conftest import app_server

    with app_server(tmp_path / "data", tmp_path / "streamlit.log") as url:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as reply:
            assert reply.status == 200
        forged = urllib.request.Request(
            f"{url}/_stcore/upload_file/some-session/some-file",
            data=b"--x\r\n\r\nItem,Amount\r\n--x--\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
            method="PUT",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=10)
        # 403, not the 400 of an unknown session that it gets with XSRF off
        assert refused.value.code == 403


def test_the_proxy_example_lets_through_the_largest_upload_and_no_more():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    config = tomllib.loads(CONFIG.read_text())
    (limit,) = re.findall(r"client_max_body_size\s+(\d+)m;", deploy)
    # Streamlit takes a body up to maxUploadSize plus 1 MB of multipart framing:
    # 50 MB + 1 MB = 51m
    assert int(limit) == config["server"]["maxUploadSize"] + 1
    assert "proxy_set_header Upgrade $http_upgrade;" in deploy
    assert 'proxy_set_header Connection "upgrade";' in deploy
    assert "--server.address 127.0.0.1" in deploy
    for variable in ("CPSU_DATA_DIR", "CPSU_CHROMIUM", "CPSU_SLOW_RERUN_MS"):
        assert f"`{variable}`" in deploy


def test_a_failing_page_shows_a_generic_message_and_logs_the_details():
    # AppTest reads .streamlit/config.toml from the folder it runs in, as the
    # server does.
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_string('raise ValueError(\"broke on cell 42\")').run()\n"
        "print([element.message for element in at.exception])\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "broke on cell 42" not in ran.stdout
    assert "redacted" in ran.stdout
    assert "Uncaught app execution" in ran.stderr
    assert "ValueError: broke on cell 42" in ran.stderr
