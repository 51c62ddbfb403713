"""Interruptions that keep finished work: Ctrl-C, SIGTERM and SIGHUP during a batch take effect
once the batch is stored, so the model's finished output is never thrown away."""

from __future__ import annotations

import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bilingual.errors import BilingualWarning

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def finish_batch_first() -> Iterator[Callable[[], None]]:
    """Within the block, an interruption is held until the caller's `checkpoint()` (call it
    after each stored batch), which then delivers it as it would have been. A second one while
    held is delivered at once."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pending: list[int] = []
    previous: dict[int, Any] = {}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)
        previous.clear()

    def deliver(sig: int) -> None:
        handler = previous.get(sig)
        restore()
        if sig == signal.SIGINT and not callable(handler):
            raise KeyboardInterrupt
        if callable(handler):
            handler(sig, None)
        else:
            signal.raise_signal(sig)

    def hold(sig: int, frame: Any) -> None:
        if pending:
            deliver(sig)
            return
        pending.append(sig)
        warnings.warn(
            BilingualWarning(
                f"{signal.Signals(sig).name}: stopping once the current batch is stored "
                "(press Ctrl-C again to stop at once)"
            ),
            stacklevel=2,
        )

    def checkpoint() -> None:
        if pending:
            deliver(pending[0])

    for sig in _SIGNALS:
        previous[sig] = signal.signal(sig, hold)
    try:
        yield checkpoint
    finally:
        restore()
