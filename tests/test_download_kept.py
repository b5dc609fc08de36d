"""A workbook built at a Download click stays until the browser has fetched it,
however many other sessions' runs end in between (Streamlit collects files no
session refers to when any session's run ends)."""

from __future__ import annotations

from urllib.parse import urlsplit

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from cpsu.ui.downloads import keep_built_files

WORKBOOK_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def built_at_a_click(manager: MediaFileManager) -> str:
    """The stored file's id after a click on a deferred download button."""
    placeholder = manager.add_deferred(
        lambda: b"the scenario workbook", WORKBOOK_MIME, "1.2.3", "cpsu.xlsx"
    )
    url = manager.execute_deferred(placeholder)
    return urlsplit(url).path.rsplit("/", 1)[-1].split(".", 1)[0]


def test_a_built_file_outlives_other_sessions_runs():
    keep_built_files()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    built = built_at_a_click(manager)
    # two other sessions' runs end before the browser asks for the file
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    kept = manager.read_file(built)
    assert kept is not None
    assert kept.content == b"the scenario workbook"


def test_the_session_s_next_full_run_lets_it_go():
    keep_built_files()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    built = built_at_a_click(manager)
    manager.clear_session_refs()  # the clicking session's next full run
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert manager.read_file(built) is None


def test_keeping_is_installed_once():
    keep_built_files()
    once = MediaFileManager.execute_deferred
    keep_built_files()
    assert MediaFileManager.execute_deferred is once
