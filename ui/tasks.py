"""The one seam for background work: run a function off the GUI thread, get the result back on it.

Named pools: "general" (CPU and I/O: search, import, export, photos), "db" (one thread, for
writes and for reads that write, such as a case view audited as a view), "sync" (one thread).
Work gets a TaskControl to report progress and to see a cancel request. Results and errors
are delivered on the GUI thread through queued signals, so widgets are never touched off it.
`busy=widget` shows the busy cursor on that one widget while its work runs (the rest of the
window stays as it is: another program may hold the register's write lock for seconds, and
the window must not wait for it). Tests may use `TaskRunner(inline=True)`: same API, run at
once, deterministic.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from muskan_desktop.errors import MuskanError

log = logging.getLogger(__name__)


class Cancelled(MuskanError):
    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed.")


class TaskControl:
    """Handed to the work function: report progress, check for cancellation."""

    def __init__(self, signals: _Signals | None) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        if self._signals is not None:
            self._signals.progress.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskControl], Any], control: TaskControl, signals: _Signals):
        super().__init__()
        self.fn, self.control, self.signals = fn, control, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_BUSY = "muskanBusyTasks"  # a widget property: how many of its tasks are running


def _busy(widget: QWidget | None, delta: int) -> None:
    """Count a widget's running tasks; the busy cursor shows while any runs."""
    if widget is None:
        return
    try:
        n = max(0, int(widget.property(_BUSY) or 0) + delta)
        widget.setProperty(_BUSY, n)
        if n:
            widget.setCursor(Qt.CursorShape.BusyCursor)
        else:
            widget.unsetCursor()
    except RuntimeError:  # the widget was closed and deleted while its task ran
        pass


class TaskHandle:
    def __init__(self, control: TaskControl, signals: _Signals | None) -> None:
        self.control = control
        self.signals = signals
        self.finished = False

    def cancel(self) -> None:
        self.control.cancel()


class TaskRunner(QObject):
    """Runs work on named thread pools and calls back on the GUI thread."""

    started = Signal(str)  # a label, for the status bar
    ended = Signal()

    def __init__(self, *, inline: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.inline = inline
        self._pools: dict[str, QThreadPool] = {}
        self._live: set[_Signals] = set()
        self.on_error: Callable[[BaseException], None] = lambda exc: log.error(
            "unhandled task error", exc_info=exc
        )

    def pool(self, name: str) -> QThreadPool:
        pool = self._pools.get(name)
        if pool is None:
            pool = self._pools[name] = QThreadPool(self)
            pool.setMaxThreadCount(2 if name == "general" else 1)
        return pool

    def run(
        self,
        fn: Callable[[TaskControl], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        pool: str = "general",
        label: str = "",
        busy: QWidget | None = None,
    ) -> TaskHandle:
        err = on_error or self.on_error
        if self.inline:
            control = TaskControl(None)
            handle = TaskHandle(control, None)
            try:
                result = fn(control)
            except BaseException as exc:
                handle.finished = True
                err(exc)
            else:
                handle.finished = True
                if on_done:
                    on_done(result)
            return handle
        signals = _Signals()
        control = TaskControl(signals)
        handle = TaskHandle(control, signals)
        self._live.add(signals)

        def finish() -> None:
            handle.finished = True
            self._live.discard(signals)
            _busy(busy, -1)
            self.ended.emit()

        def ok(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        def fail(exc: BaseException) -> None:
            finish()
            err(exc)

        signals.done.connect(ok)
        signals.failed.connect(fail)
        if on_progress:
            signals.progress.connect(on_progress)
        self.started.emit(label)
        _busy(busy, +1)
        self.pool(pool).start(_Runnable(fn, control, signals))
        return handle

    def wait_all(self, msecs: int = 30000) -> None:
        for p in self._pools.values():
            p.waitForDone(msecs)
