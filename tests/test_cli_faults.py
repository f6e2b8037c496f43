"""The `muskan` command when things go wrong: bad input, unknown ids, and a register that is
missing, read-only, locked, damaged or not ours.

Each failure must say what is wrong in words a person can act on (stderr), exit with the
documented code, print nothing on stdout that could pass for success, and change nothing: the
data folder is byte-for-byte the same afterwards (or, with no register, is not created).

The commands run as real subprocesses, the way a script or an IT cell would run them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from muskan_desktop.db import connect_raw
from muskan_desktop.keystore import load_keys
from muskan_desktop.paths import DB_FILENAME

EXIT_BAD_INPUT = 2
EXIT_UNKNOWN_ID = 3
EXIT_STORAGE = 4

ENV = {**os.environ, "MUSKAN_OFFICER": "SI Test"}
ENV.pop("MUSKAN_HOME", None)

UNKNOWN_ID = "01a00000-0000-7000-8000-000000000000"
ADD_CHILD = ("cases", "add", "--kind", "missing", "--name", "Asha", "--sex", "F", "--age", "10")
TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=30)).isoformat()
STATS = ("stats", "--from", (TODAY - dt.timedelta(days=365)).isoformat(), "--to", TODAY.isoformat())


# -- helpers -------------------------------------------------------------------------------
MUSKAN = (sys.executable, "-m", "muskan_desktop.cli")


def muskan(
    home: Path,
    *args: str,
    command: Sequence[str] = MUSKAN,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--home", str(home), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=preexec_fn,
        cwd=cwd,
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every file (sha256) and folder under `folder`, by relative path."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_fails(
    r: subprocess.CompletedProcess[str], code: int, *words: str
) -> subprocess.CompletedProcess[str]:
    """Exit `code`, every one of `words` in the message (case-insensitive), empty stdout."""
    detail = f"exit {r.returncode}\nstdout: {r.stdout!r}\nstderr: {r.stderr}"
    assert r.returncode == code, detail
    assert "Traceback" not in r.stderr, detail
    err = r.stderr.lower()
    for w in words:
        assert w.lower() in err, f"{w!r} not in the message\n{detail}"
    assert r.stdout.strip() == "", detail
    return r


def run_unchanged(
    home: Path, args: Sequence[str], code: int, *words: str
) -> subprocess.CompletedProcess[str]:
    before = snapshot(home)
    r = assert_fails(muskan(home, *args), code, *words)
    assert snapshot(home) == before, f"`{' '.join(args)}` changed the data folder"
    return r


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A register with 50 demo cases and one known missing child; built once per module."""
    home = tmp_path_factory.mktemp("template") / "home"
    r = muskan(home, "demo", "--cases", "50", "--seed", "3")
    assert r.returncode == 0, r.stderr
    r = muskan(home, *ADD_CHILD, "--set", f"reported_on={PAST}")
    assert r.returncode == 0, r.stderr
    case_id = r.stdout.strip()
    assert case_id
    # a finished command leaves only the register and the (empty) log folder behind
    assert not (home / f"{DB_FILENAME}-wal").exists()
    return home, case_id


@pytest.fixture
def register(template: tuple[Path, str], tmp_path: Path) -> Path:
    """A private copy of the template register for one test."""
    home = tmp_path / "home"
    shutil.copytree(template[0], home)
    return home


@pytest.fixture
def missing_case(template: tuple[Path, str]) -> str:
    return template[1]


# -- unknown ids ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("cases", "show", UNKNOWN_ID),
        ("cases", "show", UNKNOWN_ID, "--json"),
        ("cases", "step", UNKNOWN_ID, "recover", "recovered_on=2026-01-01"),
        ("cases", "edit", UNKNOWN_ID, "--set", "height_cm=120"),
        ("cases", "log", UNKNOWN_ID, "searched the bus stand"),
        ("cases", "risk", UNKNOWN_ID, "--level", "high"),
    ],
    ids=["show", "show-json", "step", "edit", "log", "risk"],
)
def test_unknown_id(register: Path, args: tuple[str, ...]) -> None:
    run_unchanged(register, args, EXIT_UNKNOWN_ID, "No case with id", UNKNOWN_ID)


# -- malformed dates -----------------------------------------------------------------------
def test_stats_with_impossible_month_is_a_usage_error(register: Path) -> None:
    args = ("stats", "--from", "2026-13-01", "--to", "2026-12-01")
    run_unchanged(register, args, EXIT_BAD_INPUT, "2026-13-01", "not a real calendar date")


def test_stats_with_day_first_date_is_a_usage_error(register: Path) -> None:
    args = ("stats", "--from", "01/02/2026", "--to", "2026-12-01")
    run_unchanged(register, args, EXIT_BAD_INPUT, "01/02/2026", "YYYY-MM-DD")


def test_stats_period_ending_before_it_starts(register: Path) -> None:
    args = ("stats", "--from", "2026-06-01", "--to", "2026-05-01")
    run_unchanged(register, args, EXIT_BAD_INPUT, "ends before it starts")


def test_add_with_30_february(register: Path) -> None:
    args = (*ADD_CHILD, "--set", "last_seen_on=2026-02-30")
    run_unchanged(register, args, EXIT_BAD_INPUT, "last_seen_on", "not a real calendar date")


def test_add_with_day_first_date(register: Path) -> None:
    args = (*ADD_CHILD, "--set", "reported_on=01/02/2026")
    run_unchanged(register, args, EXIT_BAD_INPUT, "reported_on", "01/02/2026", "YYYY-MM-DD")


# -- impossible values ---------------------------------------------------------------------
def test_add_adult_as_missing_child(register: Path) -> None:
    args = ("cases", "add", "--kind", "missing", "--name", "A", "--sex", "F", "--age", "19")
    run_unchanged(register, args, EXIT_BAD_INPUT, "age_years", "under 18")


def test_add_with_future_date(register: Path) -> None:
    future = (TODAY + dt.timedelta(days=40)).isoformat()
    args = (*ADD_CHILD, "--set", f"last_seen_on={future}")
    run_unchanged(register, args, EXIT_BAD_INPUT, "last_seen_on", future, "in the future")


def test_add_with_bad_phone(register: Path) -> None:
    args = (*ADD_CHILD, "--set", "guardian_phone=12345")
    run_unchanged(register, args, EXIT_BAD_INPUT, "guardian_phone", "12345", "phone number")


def test_add_with_unknown_field(register: Path) -> None:
    args = (*ADD_CHILD, "--set", "shoe_size=4")
    run_unchanged(register, args, EXIT_BAD_INPUT, "shoe_size", "not a case field")


def test_edit_with_implausible_height(register: Path, missing_case: str) -> None:
    args = ("cases", "edit", missing_case, "--set", "height_cm=900")
    run_unchanged(register, args, EXIT_BAD_INPUT, "height_cm", "900")


# -- lifecycle -----------------------------------------------------------------------------
def test_unknown_step_lists_the_allowed_ones(register: Path, missing_case: str) -> None:
    r = run_unchanged(register, ("cases", "step", missing_case, "fly"), EXIT_BAD_INPUT, "'fly'")
    assert "allowed: trace, recover, close" in r.stderr


def test_restoring_a_case_that_is_only_missing(register: Path, missing_case: str) -> None:
    args = ("cases", "step", missing_case, "restore", f"restored_on={PAST}", "restored_to=Father")
    r = run_unchanged(register, args, EXIT_BAD_INPUT, "cannot be 'restore'", "allowed:")
    assert "trace" in r.stderr and "recover" in r.stderr


def test_step_without_its_required_detail(register: Path, missing_case: str) -> None:
    args = ("cases", "step", missing_case, "recover")
    run_unchanged(register, args, EXIT_BAD_INPUT, "recovered_on", "required")


# -- no register ---------------------------------------------------------------------------
NO_REGISTER_COMMANDS = [
    ("cases", "list"),
    ("cases", "list", "--json"),
    ("cases", "show", "X"),
    ("cases", "edit", "X", "--set", "height_cm=120"),
    ("cases", "step", "X", "recover", "recovered_on=2026-01-01"),
    STATS,
    ("station", "show"),
]


@pytest.mark.parametrize("args", NO_REGISTER_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_no_register_folder_is_not_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "nowhere" / "muskan"
    assert_fails(muskan(home, *args), EXIT_STORAGE, "There is no case register", str(home))
    assert not home.exists()
    assert not home.parent.exists()


@pytest.mark.parametrize("args", NO_REGISTER_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_no_register_empty_folder_stays_empty(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "empty"
    home.mkdir()
    assert_fails(muskan(home, *args), EXIT_STORAGE, "There is no case register")
    assert list(home.iterdir()) == []


def test_no_register_empty_file_is_left_alone(tmp_path: Path) -> None:
    """A zero-byte muskan.db (e.g. an interrupted copy) counts as no register."""
    home = tmp_path / "home"
    home.mkdir()
    (home / DB_FILENAME).touch()
    run_unchanged(home, ("cases", "list"), EXIT_STORAGE, "There is no case register")


# -- read-only register --------------------------------------------------------------------
def _chattr_works(probe_dir: Path) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    probe = probe_dir / "chattr-probe"
    probe.write_bytes(b"x")
    try:
        if subprocess.run([chattr, "+i", str(probe)], capture_output=True).returncode != 0:
            return False
        try:
            with probe.open("r+b") as fh:
                fh.write(b"y")
        except OSError:
            return True  # really unwritable, even for root
        return False
    finally:
        subprocess.run([chattr, "-i", str(probe)], capture_output=True)
        probe.unlink()


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Make a file or folder immutable (`chattr +i`): unwritable even for root."""
    if not _chattr_works(tmp_path):
        pytest.skip("chattr +i is not available or not supported on this filesystem")
    done: list[Path] = []

    def make(p: Path) -> None:
        subprocess.run(["chattr", "+i", str(p)], check=True)
        done.append(p)

    try:
        yield make
    finally:
        for p in reversed(done):
            subprocess.run(["chattr", "-i", str(p)], check=True)


READ_ONLY_COMMANDS = [
    ("cases", "list"),
    ADD_CHILD,
    ("cases", "show", UNKNOWN_ID),
    STATS,
    ("demo", "--cases", "3"),
]


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_read_only_register_file(
    register: Path, immutable: Callable[[Path], None], args: tuple[str, ...]
) -> None:
    db = register / DB_FILENAME
    immutable(db)
    with pytest.raises(OSError):  # the test's own check that the file really is read-only
        db.open("r+b").close()
    run_unchanged(register, args, EXIT_STORAGE, "read-only", str(db))


def test_read_only_register_folder(register: Path, immutable: Callable[[Path], None]) -> None:
    """The file is writable but its folder is not: SQLite cannot make its journal there."""
    immutable(register)
    with pytest.raises(OSError):
        (register / "probe").touch()
    for args in (("cases", "list"), ADD_CHILD):
        run_unchanged(register, args, EXIT_STORAGE, "read-only")


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


# Runs the command line from the project's site-packages with another interpreter of the
# same version, for when this one lives where user nobody cannot reach (e.g. under /root).
BOOT = (
    "import os, site, sys\n"
    "for d in sys.argv.pop(1).split(os.pathsep): site.addsitedir(d)\n"
    "from muskan_desktop.cli import main\n"
    "sys.argv[0] = 'muskan'\n"
    "sys.exit(main())"
)


def _nobody_command() -> list[str] | None:
    """A `muskan` command line user nobody can run, or None."""
    paths = sysconfig.get_paths()
    site_dirs = os.pathsep.join(dict.fromkeys((paths["purelib"], paths["platlib"])))
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [list(MUSKAN)]
    for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
        exe = shutil.which(f"python{version}", path=folder)  # same version: same wheels
        if exe:
            candidates.append([exe, "-c", BOOT, site_dirs])
    for cmd in candidates:
        try:
            probe = subprocess.run(
                [*cmd, "--version"],
                env=ENV,
                capture_output=True,
                text=True,
                preexec_fn=_as_nobody,
                cwd="/",
                timeout=60,
            )
        except OSError:  # e.g. the interpreter is under root's private home folder
            continue
        if probe.returncode == 0 and "Muskan Desktop" in probe.stdout:
            return cmd
    return None


def test_read_only_by_permissions(template: tuple[Path, str]) -> None:
    """The ordinary case: the file and its folder lack write permission for this user.

    Root ignores permission bits, so as root the commands run as user `nobody`.
    """
    preexec: Callable[[], None] | None = None
    command: Sequence[str] = MUSKAN
    if os.geteuid() == 0:
        found = _nobody_command()
        if found is None:
            pytest.skip(
                "running as root and user nobody cannot run this project's Python; "
                "the chattr +i tests cover the read-only register"
            )
        preexec, command = _as_nobody, found
    # a folder the other user can reach (pytest's tmp folders are private to their owner)
    base = Path(tempfile.mkdtemp(prefix="muskan-ro-"))
    base.chmod(0o755)
    home = base / "home"
    shutil.copytree(template[0], home)
    dirs = [home, *(p for p in home.rglob("*") if p.is_dir())]
    files = [p for p in home.rglob("*") if p.is_file()]
    try:
        for f in files:
            f.chmod(0o444)
        for d in dirs:
            d.chmod(0o555)
        before = snapshot(home)
        for args in (("cases", "list"), ADD_CHILD, STATS):
            r = muskan(home, *args, command=command, preexec_fn=preexec, cwd=Path("/"))
            assert_fails(r, EXIT_STORAGE, "read-only", str(home / DB_FILENAME))
            assert snapshot(home) == before
    finally:
        for d in dirs:
            d.chmod(0o755)
        for f in files:
            f.chmod(0o644)
        shutil.rmtree(base)


# -- locked register -----------------------------------------------------------------------
@pytest.mark.slow
def test_locked_register(register: Path) -> None:
    """Another program holds the write lock: after the 5 s busy wait, a clear 'locked'."""
    before = snapshot(register)
    holder = connect_raw(
        register / DB_FILENAME, load_keys(register, create=False), isolation_level=None
    )
    try:
        holder.execute("BEGIN EXCLUSIVE")
        for args in (ADD_CHILD, ("cases", "list")):
            r = muskan(register, *args)
            assert_fails(r, EXIT_STORAGE, "locked", "another program")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(register) == before
    # and once the lock is gone the register works again
    r = muskan(register, "cases", "list", "--limit", "1")
    assert r.returncode == 0, r.stderr


# -- damaged register ----------------------------------------------------------------------
def _random_bytes(home: Path) -> None:
    db = home / DB_FILENAME
    db.write_bytes(random.Random(7).randbytes(db.stat().st_size))


def _garbage_after_header(home: Path) -> None:
    """A real SQLite header, then the schema page and some later pages overwritten."""
    db = home / DB_FILENAME
    data = bytearray(db.read_bytes())
    rnd = random.Random(11)
    data[100:4096] = rnd.randbytes(4096 - 100)
    for page in (5, 10, 20, 40):
        data[page * 4096 : (page + 1) * 4096] = rnd.randbytes(4096)
    db.write_bytes(bytes(data))


def _garbage_table_pages(home: Path) -> None:
    """Header and schema intact; the root pages of the cases and audit tables overwritten."""
    db = home / DB_FILENAME
    con = connect_raw(db, load_keys(home, create=False))
    try:
        size = int(con.execute("PRAGMA page_size").fetchone()[0])
        roots = dict(con.execute("SELECT name, rootpage FROM sqlite_master WHERE type='table'"))
    finally:
        con.close()
    data = bytearray(db.read_bytes())
    rnd = random.Random(13)
    for table in ("cases", "audit_events"):
        start = (roots[table] - 1) * size
        data[start : start + size] = rnd.randbytes(size)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "commands"),
    [
        (_random_bytes, [("cases", "list"), ("cases", "show", "X"), STATS, ADD_CHILD]),
        (_garbage_after_header, [("cases", "list"), ("cases", "show", "X"), STATS, ADD_CHILD]),
        (_garbage_table_pages, [("cases", "list"), STATS, ADD_CHILD]),
    ],
    ids=["random-bytes", "garbage-after-header", "garbage-table-pages"],
)
def test_damaged_register(
    register: Path, damage: Callable[[Path], None], commands: list[tuple[str, ...]]
) -> None:
    damage(register)
    db_bytes = (register / DB_FILENAME).read_bytes()
    for args in commands:
        run_unchanged(register, args, EXIT_STORAGE, "damaged", "backup")
    assert (register / DB_FILENAME).read_bytes() == db_bytes


# -- an SQLite file that is not ours -------------------------------------------------------
@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    con = sqlite3.connect(home / DB_FILENAME)
    con.execute("CREATE TABLE inventory (item TEXT, qty INTEGER)")
    con.execute("INSERT INTO inventory VALUES ('lathi', 40)")
    con.commit()
    con.close()
    return home


@pytest.mark.parametrize(
    "args", [("cases", "list"), ("cases", "show", "X"), STATS, ADD_CHILD, ("demo", "--cases", "3")]
)
def test_foreign_sqlite_file_is_refused(foreign: Path, args: tuple[str, ...]) -> None:
    r = muskan(foreign, *args)
    assert_fails(r, EXIT_STORAGE, "not a Muskan register")
    con = sqlite3.connect(foreign / DB_FILENAME)
    try:
        tables = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables == ["inventory"]
        assert con.execute("SELECT * FROM inventory").fetchall() == [("lathi", 40)]
    finally:
        con.close()
    assert sorted(p.name for p in foreign.iterdir()) == [DB_FILENAME]


@pytest.mark.parametrize("args", [("cases", "list"), ADD_CHILD])
def test_foreign_sqlite_file_is_byte_identical(foreign: Path, args: tuple[str, ...]) -> None:
    run_unchanged(foreign, args, EXIT_STORAGE, "not a Muskan register")
