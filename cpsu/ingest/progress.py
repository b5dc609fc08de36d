"""How far a long read has got, for whoever shows it.

Reading a 100,000-row export takes seconds, and the app shows a progress bar
meanwhile. The readers do not know about the app: they call `report` with
how far through their own work they are, and `part` maps a piece of work to
its share of the whole, so that the unpacking, the calamine read and the
reading of rows fill one bar from 0 to 1 in turn. Without a listener (the
command line, the tests) every report is a no-op.

    with reporting(lambda done, label: bar.progress(done, text=label)):
        read_gl_export(data, name)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

Listener = Callable[[float, str], None]


@dataclass(frozen=True)
class _Span:
    listener: Listener
    start: float  # where this part starts in the whole, 0..1
    width: float  # its share of the whole


_current: ContextVar[_Span | None] = ContextVar("cpsu_progress", default=None)


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send every report made inside the block to `listener(done, label)`,
    with `done` from 0 to 1 over the whole block."""
    token = _current.set(_Span(listener, 0.0, 1.0))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def part(start: float, end: float) -> Iterator[None]:
    """Map the reports made inside the block, 0 to 1, onto `start` to `end` of
    the enclosing part."""
    span = _current.get()
    if span is None:
        yield
        return
    token = _current.set(
        _Span(
            span.listener, span.start + start * span.width, (end - start) * span.width
        )
    )
    try:
        yield
    finally:
        _current.reset(token)


def report(done: float, label: str) -> None:
    """Say that `done` (0 to 1) of the current part is finished, and what is
    being done. Never raises: a listener's failure must not stop a read."""
    span = _current.get()
    if span is None:
        return
    fraction = span.start + min(max(done, 0.0), 1.0) * span.width
    # Rounded, so that floating-point dust (0.27999999999999997 after 0.28)
    # never moves a bar back.
    try:
        span.listener(round(min(fraction, 1.0), 9), label)
    except Exception:  # showing progress is never worth a failed read
        return
