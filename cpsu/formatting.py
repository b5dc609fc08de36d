"""Numbers as people read them: money with a currency sign, rates as percents.

The model never rounds; these turn its values into text for a page, a chart
title or the command line, and show a missing value as a dash.
"""

from __future__ import annotations

import math

CURRENCY = "$"
MISSING = "—"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def money(value: float | None, cents: bool = True) -> str:
    """$1,234.56, or -$1,234.56; whole dollars when cents is False."""
    if _missing(value):
        return MISSING
    sign = "-" if value < 0 else ""
    digits = 2 if cents else 0
    return f"{sign}{CURRENCY}{abs(value):,.{digits}f}"


def money_short(value: float | None) -> str:
    """Large sums for headlines: $812K, $1.24M."""
    if _missing(value):
        return MISSING
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1e6:
        return f"{sign}{CURRENCY}{size / 1e6:,.2f}M"
    if size >= 1e4:
        return f"{sign}{CURRENCY}{size / 1e3:,.0f}K"
    return money(value, cents=False)


def percent(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """0.123 as 12.3%; signed adds a plus to gains."""
    if _missing(value):
        return MISSING
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value * 100:,.{digits}f}%"


def count(value: float | None) -> str:
    """Whole numbers with thousands separators; fractions kept to one decimal."""
    if _missing(value):
        return MISSING
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def span(first: object, last: object) -> str:
    """A run of periods in words: "2026-Q1 to 2026-Q4", or "2026-Q4" alone."""
    return str(first) if first == last else f"{first} to {last}"
