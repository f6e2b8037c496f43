"""`muskan --self-test`: does this installation work, before it reaches a police station?

The district IT cell runs it once on a PC after installing (or CI runs it on the frozen
bundle): in a temporary data folder it goes through what an officer's first day needs. Each
step prints one line, PASS/FAIL/SKIP, and the exit code is 0 only if every step passed. The
output is ASCII only, so a Windows console in any code page can show it.

Steps: every module of the core loads, the keyring (where register keys go on this PC), the
register (migrations run to the head revision, encrypted), face encoding of the bundled test
photos, a face match (the same person's second photo must rank first), a Hindi PDF written
and read back, and the main window opened and closed off screen. The window step
comes from the front end (`ui/selftest_window.py`); the core never imports widgets.

The data folder is deleted afterwards; when a step fails it is kept, and named, so its
log can be sent to whoever supports the build. It holds only the bundled test photos.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import __version__
from .context import Context
from .paths import resource

log = logging.getLogger(__name__)

# The bundled photos (resources/selftest/, from face_recognition's MIT-licensed test set).
PERSON_A = "obama.jpg"
PERSON_A_AGAIN = "obama2.jpg"
PERSON_B = "biden.jpg"
# Words the Hindi notice must contain when read back: its banner and the child's name.
HINDI_WORDS = ("गुमशुदा", "परीक्षण")

# (home, number of cases in the register) -> a one-line detail; raises when the window fails.
WindowCheck = Callable[[Path, int], str]
# Opens the register for the steps. A fresh register is in set-up mode (no officer accounts
# yet), so nobody logs in; should a new register ever need a login, the self-test must log
# in here with a throw-away officer, never interactively (and so must the window step).
OpenRegister = Callable[[Path], Context]


class StepFailed(Exception):
    """A check that ran and found the installation wrong (the message says what)."""


class StepSkipped(Exception):
    """The step cannot run in this entry point (counted as not passed)."""


@dataclass
class State:
    """What the steps share: the data folder, the photos, the register once open."""

    home: Path
    photos: Path
    open_register: OpenRegister
    ctx: Context | None = None
    cases: dict[str, str] = field(default_factory=dict)
    undo: list[Callable[[], None]] = field(default_factory=list)  # run when the test ends

    @property
    def context(self) -> Context:
        if self.ctx is None:
            raise StepFailed("the register is not open")
        return self.ctx


@dataclass
class Outcome:
    step: str
    verdict: str  # PASS, FAIL or SKIP
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{self.verdict:<4}  {self.step:<9} {self.detail} ({self.seconds:.1f} s)"


def default_open_register(home: Path) -> Context:
    from .context import open_context

    return open_context(home, create=True, actor="self-test")


# -- the steps ------------------------------------------------------------------------------
# The district server's code, not installed on station PCs (packaging/contents.py).
NOT_ON_STATION_PCS = ("muskan_desktop.server",)


def step_modules(st: State) -> str:
    """Every module of the core loads: a package missing from the bundle shows up here, not
    at an officer's first export or sync."""
    names = module_names("muskan_desktop", NOT_ON_STATION_PCS)
    failed = import_all(names)
    if failed:
        raise StepFailed(f"{len(failed)} of {len(names)} modules do not load: {failed[0]}")
    return f"{len(names)} modules of the core load"


def module_names(package: str, skip: tuple[str, ...] = ()) -> list[str]:
    """`package` and its submodules, without importing them (subpackages are walked)."""
    import importlib.util
    import pkgutil

    out = [package]
    spec = importlib.util.find_spec(package)
    for info in pkgutil.iter_modules(list(spec.submodule_search_locations or []) if spec else []):
        name = f"{package}.{info.name}"
        if any(name == s or name.startswith(s + ".") for s in skip):
            continue
        out += module_names(name, skip) if info.ispkg else [name]
    return out


def import_all(names: list[str]) -> list[str]:
    """Import each module; one line per module that fails."""
    import importlib

    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    return failed


def step_keyring(st: State) -> str:
    """Where a register's key goes on this PC. The self-test's own register keeps its key in
    this process only (an in-memory keyring): nothing is left in the PC's keyring."""
    try:
        from . import keystore
    except ImportError:  # a build without register encryption
        return "registers are not encrypted in this build"
    try:
        usable, backend = keystore.keyring_status()
    finally:
        _use_memory_keyring(st)
    if usable:
        return f"the OS keyring keeps register keys ({backend})"
    if sys.platform == "win32":  # Windows always has one: the bundle lacks its backend
        raise StepFailed(f"no usable keyring ({backend}): Credential Manager must be reachable")
    return f"no OS keyring here ({backend}): registers open with a passphrase"


def _use_memory_keyring(st: State) -> None:
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.items.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    st.undo.append(lambda: keyring.set_keyring(previous))


def step_register(st: State) -> str:
    """A new register, migrated by Alembic from the bundled db/ folder to its head."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect, text

    from . import places
    from .cases import CaseService
    from .db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    revisions = len(list(script.walk_revisions()))
    st.ctx = st.open_register(st.home)
    ctx = st.context
    with ctx.db.read() as s:
        current = s.scalar(text("SELECT version_num FROM alembic_version"))
        tables = inspect(s.connection()).get_table_names()
    if current != head:
        raise StepFailed(f"register at schema {current}, expected {head}")
    with ctx.db.write() as s:
        CaseService(ctx).set_own_station(s, places.stations()[0])
    sealed = ""
    if getattr(ctx.db, "keys", None) is not None:  # an encrypted register (SQLCipher)
        with ctx.db.path.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                raise StepFailed("the register has a key but its file is not encrypted")
        sealed = ", encrypted"
    return f"{revisions} migrations ran to schema {head} ({len(tables)} tables{sealed})"


def step_encode(st: State) -> str:
    """Two missing children with photos: dlib finds and encodes each face."""
    from sqlalchemy import select

    from .cases import CaseService
    from .matching import MatchService
    from .models import FaceEmbedding

    ctx = st.context
    svc = CaseService(ctx)
    ms = MatchService(ctx)
    for key, photo, sex, latin, deva in (
        ("a", PERSON_A, "M", "Self Test A", "परीक्षण एक"),
        ("b", PERSON_B, "M", "Self Test B", "परीक्षण दो"),
    ):
        case = svc.create(
            {
                "kind": "missing",
                "sex": sex,
                "age_years": 12,
                "name_latin": latin,
                "name_deva": deva,
                "reported_on": ctx.today().isoformat(),
            },
        )
        st.cases[key] = case.id
        ms.add_photo(case.id, st.photos / photo)
    with ctx.db.read() as s:
        vectors = list(s.scalars(select(FaceEmbedding.vector)))
    sizes = {len(v) // 4 for v in vectors}
    if len(vectors) != 2 or sizes != {128}:
        raise StepFailed(f"expected 2 descriptors of 128 numbers, found {len(vectors)} {sizes}")
    from .faces import model_version

    return f"2 photos, one face each, 128-d descriptors (dlib {model_version()})"


def step_match(st: State) -> str:
    """The same child's second photo must rank that child first, inside the alert distance."""
    from .matching import MatchService

    ms = MatchService(st.context)
    leads = ms.match_photo(st.photos / PERSON_A_AGAIN, top=5, max_distance=1.0)
    if not leads:
        raise StepFailed("no lead at all for the second photo")
    top = leads[0]
    if top.case_id != st.cases.get("a"):
        raise StepFailed(
            f"the top lead is not the same person (distance {top.distance:.2f} to another case)"
        )
    limit = ms.settings.alert_distance
    if top.distance >= limit:
        raise StepFailed(f"same person at distance {top.distance:.2f}, not under {limit}")
    others = [x.distance for x in leads[1:]]
    other = f", other person {min(others):.2f}" if others else ""
    return f"same person ranked first at distance {top.distance:.2f}{other}"


def step_report(st: State) -> str:
    """A Hindi notice (shaped Devanagari, the photo) written and its text read back."""
    import pypdfium2 as pdfium

    from .reports import notice

    out = st.home / "selftest-notice-hi.pdf"
    notice(st.context, st.cases["a"], "hi", out)
    pdf = pdfium.PdfDocument(out)
    try:
        n = len(pdf)
        texts = []
        for i in range(n):
            page = pdf[i]
            tp = page.get_textpage()
            texts.append(tp.get_text_range())
            tp.close()
            page.close()
    finally:
        pdf.close()
    text = " ".join(" ".join(texts).split())
    missing = [w for w in HINDI_WORDS if w not in text]
    if missing:
        raise StepFailed(
            f"{len(missing)} of {len(HINDI_WORDS)} Hindi words not read back from the PDF"
        )
    kb = out.stat().st_size / 1024
    return f"Hindi notice, {n} page(s), {kb:.0f} KB, Devanagari text reads back"


def window_step(check: WindowCheck | None) -> Callable[[State], str]:
    def step_window(st: State) -> str:
        if check is None:
            raise StepSkipped("this entry point has no desktop front end; run `muskan`")
        st.context.db.close()  # the window opens the register itself, as at a normal start
        st.ctx = None
        return check(st.home, len(st.cases))

    return step_window


Step = tuple[str, Callable[[State], str], tuple[str, ...]]


def steps(window: WindowCheck | None) -> list[Step]:
    return [
        ("modules", step_modules, ()),
        ("keyring", step_keyring, ()),
        ("register", step_register, ()),
        ("encode", step_encode, ("register",)),
        ("match", step_match, ("encode",)),
        ("report", step_report, ("encode",)),
        ("window", window_step(window), ("register",)),
    ]


# -- running --------------------------------------------------------------------------------
def run(
    *,
    window: WindowCheck | None,
    photos: Path | None = None,
    out: TextIO | None = None,
    open_register: OpenRegister = default_open_register,
    step_list: list[Step] | None = None,
) -> int:
    """Run every step in a fresh temporary data folder; 0 only if all passed."""
    # MuskanDesktop.exe (no console) has no stdout: the exit code still tells
    stream = out or sys.stdout or open(os.devnull, "w")  # noqa: SIM115
    tmp = Path(tempfile.mkdtemp(prefix="muskan-selftest-"))
    st = State(
        home=tmp / "data", photos=photos or resource("selftest"), open_register=open_register
    )
    say(stream, f"Muskan Desktop {__version__} self-test ({_where()})")
    outcomes: dict[str, Outcome] = {}
    try:
        from .logs import setup_file_logging

        setup_file_logging(st.home)
        for name, fn, needs in step_list or steps(window):
            outcome = _run_step(st, name, fn, needs, outcomes)
            outcomes[name] = outcome
            say(stream, outcome.line())
    finally:
        if st.ctx is not None:
            st.ctx.db.close()
        _forget_keys(st.home)
        for undo in reversed(st.undo):
            undo()
    passed = sum(o.verdict == "PASS" for o in outcomes.values())
    ok = passed == len(outcomes)
    _detach_log(st.home)
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
        say(stream, f"self-test passed: {passed} of {len(outcomes)} steps")
    else:
        say(stream, f"self-test FAILED: {passed} of {len(outcomes)} steps passed")
        say(stream, f"the test data folder is kept for diagnosis: {tmp}")
    return 0 if ok else 1


def _run_step(
    st: State,
    name: str,
    fn: Callable[[State], str],
    needs: tuple[str, ...],
    done: dict[str, Outcome],
) -> Outcome:
    blocked = [n for n in needs if n in done and done[n].verdict != "PASS"]
    if blocked:
        return Outcome(name, "SKIP", f"needs the {blocked[0]} step", 0.0)
    t0 = time.perf_counter()
    try:
        detail = fn(st)
        verdict = "PASS"
    except StepSkipped as exc:
        detail, verdict = str(exc), "SKIP"
    except StepFailed as exc:
        detail, verdict = str(exc), "FAIL"
        log.error("self-test step %s failed: %s", name, exc)
    except Exception as exc:  # any error is this step's verdict; the others still run
        detail, verdict = _describe(exc), "FAIL"
        log.error("self-test step %s failed", name, exc_info=True)
    return Outcome(name, verdict, detail, time.perf_counter() - t0)


def _forget_keys(home: Path) -> None:
    try:
        from . import keystore
    except ImportError:
        return
    keystore.forget(home)


def _describe(exc: BaseException) -> str:
    """The error in one line, with where it was raised (a support person's first question)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" [{Path(frames[-1].filename).name}:{frames[-1].lineno}]" if frames else ""
    return f"{type(exc).__name__}: {' '.join(str(message).split())}{where}"


def _where() -> str:
    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "from source"
    return f"{frozen}, Python {sys.version.split()[0]}, {dt.date.today().isoformat()}"


def say(stream: TextIO, line: str) -> None:
    """Print one line a console in any code page can show (paths may hold any letter)."""
    stream.write(line.encode("ascii", "replace").decode("ascii") + "\n")
    stream.flush()


def _detach_log(home: Path) -> None:
    """Close the log file in the test folder, so Windows lets the folder be deleted."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "muskan_home", None) == home:
            root.removeHandler(h)
            h.close()


__all__ = ["Outcome", "State", "StepFailed", "run", "steps"]
