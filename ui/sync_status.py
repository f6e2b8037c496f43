"""Sync in the window: a status-bar indicator and rounds on a timer, on the "sync" pool.

The indicator says online/offline, how many changes wait and since when, and when the last
sync succeeded; during a round, how far it has got. Rounds run every minute while they
succeed and back off (with jitter) while the server cannot be reached, so a queue drains
without anyone editing or clicking. Sync → Stop syncing ends a round after the batch in
flight (on a slow or paid connection, say) and pauses rounds until Sync now.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from muskan_desktop.sync.client import (
    LAST_OK_KEY,
    SERVER_KEY,
    NotEnrolled,
    Offline,
    Refused,
    RoundResult,
    SyncClient,
    SyncError,
    TooOld,
    Wiped,
    backoff,
    oldest_pending,
)

from .tasks import Cancelled, TaskControl, TaskHandle

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000


class SyncController(QObject):
    """Owns the indicator, the timer and the Sync menu of one main window."""

    changed = Signal()

    def __init__(self, win: Any, client_factory: Callable[[Any], SyncClient] | None = None):
        super().__init__(win)
        self.win = win
        self.client_factory = client_factory or (lambda ctx: SyncClient(ctx))
        self.state = "unknown"  # online / offline / refused / too_old / not_enrolled
        self.failures = 0
        self.running = False
        self.handle: TaskHandle | None = None
        self.stage = ""  # what the round is doing (set on the sync thread)
        self.progress: tuple[int, int] | None = None
        self.queue: tuple[int, dt.datetime | None, str | None] | None = None  # at refresh
        self.last_result: RoundResult | None = None
        self.rng = random.Random()
        self.label = QLabel(win)
        self.label.setObjectName("syncStatus")
        win.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.sync_now)
        self.act_sync = QAction(win)
        self.act_sync.triggered.connect(self.sync_now)
        self.act_stop = QAction(win, enabled=False)
        self.act_stop.triggered.connect(self.stop)
        self.act_conflicts = QAction(win)
        self.act_conflicts.triggered.connect(self.show_conflicts)
        self.menu = win.menuBar().addMenu("")
        self.menu.addAction(self.act_sync)
        self.menu.addAction(self.act_stop)
        self.menu.addAction(self.act_conflicts)
        self.dialog: Any = None
        self.enrolled: bool | None = None  # not read yet
        self.sync_when_read = False  # Sync now before enrolment was known
        self.wiped: str | None = None  # why the register was replaced by an empty one
        self.retranslate()  # (reads the queue; the first round follows if enrolled)

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Sync"))
        self.act_sync.setText(self.tr("Sync &now"))
        self.act_stop.setText(self.tr("&Stop syncing"))
        self.act_conflicts.setText(self.tr("&Conflicts to review…"))
        self.refresh()

    def _enrolled(self) -> bool:
        """As last read from the register (refresh reads it off the GUI thread)."""
        return self.win.ctx is not None and bool(self.enrolled)

    # -- the indicator -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw at once from what was last read, and read the register's queue again on a
        pool (never on the GUI thread: another program may be writing to it)."""
        ctx = self.win.ctx
        if ctx is None:
            self.label.setText("")
            return
        self._show()
        db = ctx.db

        def work(_c: TaskControl) -> tuple[bool, Any]:
            from muskan_desktop.context import get_meta

            if get_meta(db, SERVER_KEY) is None:
                return False, None
            pending, oldest = oldest_pending(db)
            return True, (pending, oldest, get_meta(db, LAST_OK_KEY))

        self.win.runner.run(work, on_done=self._read, on_error=self._read_failed, label="sync")

    def _read(self, result: tuple[bool, Any]) -> None:
        first, wanted = self.enrolled is None, self.sync_when_read
        self.sync_when_read = False
        self.enrolled, queue = result
        if queue is not None:
            self.queue = queue
        self._show()
        if self.enrolled and wanted:
            self.sync_now()
        elif self.enrolled and first:
            self.timer.start(2000)  # a first round soon after opening

    def _read_failed(self, exc: BaseException) -> None:
        from muskan_desktop.errors import StorageError

        if not isinstance(exc, StorageError):  # a locked register: the next refresh reads
            self.win.runner.on_error(exc)

    def _show(self) -> None:
        if self.enrolled is False and self.wiped is not None:  # the data removed: say so
            self.label.setText(self.tr("Access revoked: the case data was removed"))
            self.label.setToolTip(self.wiped)
            return
        if self.enrolled is False:
            self.label.setText(self.tr("Sync: not enrolled"))
            self.label.setToolTip(self.tr("Enroll this laptop with `muskan enroll` to sync."))
            return
        self._render()

    def _render(self) -> None:
        """The indicator from the state and the queue as last read (no register access:
        progress during a round redraws it many times)."""
        if self.queue is None:
            return
        pending, oldest, last = self.queue
        words = {
            "online": self.tr("Online"),
            "offline": self.tr("Offline"),
            "refused": self.tr("Access refused"),
            "too_old": self.tr("Upgrade needed"),
            "unknown": self.tr("Not yet synced"),
            "paused": self.tr("Sync paused (Sync → Sync now resumes)"),
        }
        parts = [words.get(self.state, self.state)]
        if self.running and self.progress is not None and self.progress[1] > 0:
            done, total = self.progress
            steps = {
                "push": self.tr("syncing: sent %1 of %2"),
                "pull": self.tr("syncing: received %1 of %2"),
                "photos": self.tr("syncing: photo %1 of %2"),
            }
            text = steps.get(self.stage, steps["push"])
            parts.append(text.replace("%1", f"{done:,}").replace("%2", f"{total:,}"))
        elif self.running:
            parts.append(self.tr("syncing…"))
        parts.append(self.tr("%n change(s) waiting", "", pending))
        if oldest is not None:
            parts.append(self.tr("oldest %1").replace("%1", _ago(oldest, self)))
        if last:
            when = dt.datetime.fromisoformat(last).astimezone().strftime("%d-%m %H:%M")
            parts.append(self.tr("last sync %1").replace("%1", when))
        self.label.setText(" · ".join(parts))
        self.changed.emit()

    # -- rounds --------------------------------------------------------------------------------
    def sync_now(self) -> None:
        ctx = self.win.ctx
        if ctx is None or self.running:
            return
        if not self._enrolled():  # (enrolled meanwhile with `muskan enroll`?) read again
            self.sync_when_read = True
            self.refresh()
            return
        self.running = True
        self.progress = None
        if self.state == "paused":
            self.state = "unknown"
        self.act_stop.setEnabled(True)
        self.refresh()
        self.handle = self.win.runner.run(
            lambda c: self.client_factory(ctx).sync_once(self._reporter(c)),
            on_done=self._done,
            on_error=self._failed,
            on_progress=self._progressed,
            pool="sync",
            label="sync",
        )

    def _reporter(self, control: TaskControl) -> Callable[[str, int, int], None]:
        """(On the sync thread.) Each step of a round: stop here if asked, else say how far."""

        def say(stage: str, done: int, total: int) -> None:
            control.check()
            self.stage = stage
            control.progress(done, total)

        return say

    def _progressed(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self._render()

    def stop(self) -> None:
        """End the round after the batch in flight and pause rounds until Sync now. (Work
        already sent is kept by the server; what is left waits in the outbox.)"""
        self.timer.stop()
        if self.handle is not None and self.running:
            self.handle.cancel()
        else:
            self.state = "paused"
            self.refresh()

    def _finished(self) -> None:
        self.running = False
        self.handle = None
        self.progress = None
        self.act_stop.setEnabled(False)

    def _done(self, res: RoundResult) -> None:
        self._finished()
        self.state = "online"
        self.failures = 0
        self.last_result = res
        self.refresh()
        if res.pulled and hasattr(self.win, "run_search"):
            self.win.run_search()  # the register shows what arrived
        self.timer.start(INTERVAL_MS)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        if isinstance(exc, Cancelled):
            self.state = "paused"
            self.label.setToolTip(
                self.tr("Stopped; what was sent is on the server, the rest waits.")
            )
            self.refresh()
            return
        if isinstance(exc, Wiped):  # the register was replaced by an empty one: show that
            self.state = "refused"
            self.wiped = exc.message
            if hasattr(self.win, "model") and hasattr(self.win, "run_search"):
                self.win.model.set_db(self.win.ctx.db)
                self.win.run_search()
        if isinstance(exc, Offline):
            self.state = "offline"
        elif isinstance(exc, Refused):
            self.state = "refused"
        elif isinstance(exc, TooOld):
            self.state = "too_old"
        elif isinstance(exc, NotEnrolled):
            self.state = "unknown"
        elif not isinstance(exc, SyncError):
            self.refresh()
            raise exc  # a bug: the crash dialog, not a quiet retry
        self.failures += 1
        self.label.setToolTip(getattr(exc, "message", str(exc)))
        self.refresh()
        if isinstance(exc, Wiped):  # (at once; the read of the new register says so too)
            self.label.setText(self.tr("Access revoked: the case data was removed"))
            self.label.setToolTip(exc.message)
        if self.state in ("offline", "unknown"):
            wait = max(5.0, backoff(self.failures, self.rng, base=30.0, cap=1800.0))
            self.timer.start(int(wait * 1000))

    def show_conflicts(self) -> None:
        if self.win.ctx is None:
            return
        from .conflicts_dialog import ConflictsDialog

        self.dialog = ConflictsDialog(self.win.ctx, self.win)
        self.dialog.resolved.connect(self.refresh)
        self.dialog.show()


def _ago(when: dt.datetime, obj: QObject) -> str:
    secs = max(0, int((dt.datetime.now(dt.UTC).replace(tzinfo=None) - when).total_seconds()))
    if secs < 3600:
        return obj.tr("%1 min ago").replace("%1", str(secs // 60))
    if secs < 86400:
        return obj.tr("%1 h ago").replace("%1", str(secs // 3600))
    return obj.tr("%1 days ago").replace("%1", str(secs // 86400))


def install_sync(win: Any, client_factory: Callable[[Any], SyncClient] | None = None) -> Any:
    """Called once the register is open (the main window's hook)."""
    existing = getattr(win, "sync", None)
    if isinstance(existing, SyncController):
        existing.refresh()
        return existing
    win.sync = SyncController(win, client_factory)
    return win.sync
