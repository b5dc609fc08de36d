"""Shared set-up for every test."""

from __future__ import annotations

import pytest

from cpsu.ingest import xlsx
from cpsu.store import DATA_DIR_VARIABLE


@pytest.fixture(autouse=True)
def _no_workbook_from_an_earlier_test():
    # The reader keeps the last workbook it read; each test starts without it,
    # so that a test never sees a workbook read under another test's settings.
    xlsx.forget_last_workbook()
    yield


@pytest.fixture(autouse=True)
def cpsu_data_dir(tmp_path_factory, monkeypatch):
    # Saved scenarios go to a folder of the test's own, never the user's.
    folder = tmp_path_factory.mktemp("cpsu-data")
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    return folder


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """LibreOffice's conversions of .xlsx fixtures to .ods or .xls, made once
    for the module, one at a time, by (name, extension)."""
    from tests.test_ingest_formats import convert

    made: dict[tuple[str, str], bytes] = {}

    def get(name: str, data: bytes, extension: str) -> bytes:
        if (name, extension) not in made:
            folder = tmp_path_factory.mktemp(f"{name}-{extension}")
            made[name, extension] = convert(data, extension, folder)
        return made[name, extension]

    return get
