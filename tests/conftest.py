"""Shared set-up for every test."""

from __future__ import annotations

import pytest

from cpsu.ingest import xlsx


@pytest.fixture(autouse=True)
def _no_workbook_from_an_earlier_test():
    # The reader keeps the last workbook it read; each test starts without it,
    # so that a test never sees a workbook read under another test's settings.
    xlsx.forget_last_workbook()
    yield
