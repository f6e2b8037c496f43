"""Backups you can restore, and a data folder that survives kills, a full disk, an empty
register file and a lost keys.json (issue 15, items 6 and 14).

Everything runs through the real `muskan` command as a subprocess; a kill is a real
`os._exit` in that process at a chosen step (os.replace or Path.write_bytes wrapped by a
small launcher), so nothing after it runs, as with `kill -9`.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from muskan_desktop.paths import DB_FILENAME

from .conftest import shared_dir

PASS = "backup passphrase 15"
EXIT_STORAGE = 4
EXIT_LEFT_OUT = 9
KILLED = 137  # as a shell reports kill -9

ENV = {**os.environ, "MUSKAN_OFFICER": "SI Backup", "MUSKAN_BACKUP_PASSPHRASE": PASS}
for _name in ("MUSKAN_HOME", "MUSKAN_PASSWORD"):
    ENV.pop(_name, None)

# Runs `muskan` with os.replace / Path.write_bytes wrapped to die (os._exit, as kill -9) at
# the step named by MUSKAN_TEST_KILL_AT; the data folder's name is MUSKAN_TEST_HOME_NAME.
KILLER = textwrap.dedent(
    """
    import os, pathlib, sys
    step, home_name = os.environ["MUSKAN_TEST_KILL_AT"], os.environ["MUSKAN_TEST_HOME_NAME"]
    real_replace, real_write = os.replace, pathlib.Path.write_bytes
    written = []

    def replace(src, dst, *a, **kw):
        name = pathlib.Path(dst).name
        if step == "before-archive-rename" and name.endswith(".mbk"):
            os._exit(137)
        real_replace(src, dst, *a, **kw)
        if step == "after-journal" and name.endswith(".restore-journal.json"):
            os._exit(137)
        if step == "between-renames" and ".before-restore-" in name:
            os._exit(137)
        if step == "after-swap" and name == home_name:
            os._exit(137)

    def write_bytes(self, data):
        n = real_write(self, data)
        if step == "during-unpack" and ".restore-" in str(self):
            written.append(self)
            if len(written) == 3:
                os._exit(137)
        return n

    os.replace, pathlib.Path.write_bytes = replace, write_bytes
    from muskan_desktop.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def muskan(
    home: Path, *args: str, env: dict[str, str] | None = None, killer: bool = False
) -> subprocess.CompletedProcess[str]:
    command = (
        [sys.executable, "-c", KILLER] if killer else [sys.executable, "-m", "muskan_desktop.cli"]
    )
    return subprocess.run(
        [*command, "--home", str(home), *args],
        env=env or ENV,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def ok(r: subprocess.CompletedProcess[str], code: int = 0) -> subprocess.CompletedProcess[str]:
    assert r.returncode == code, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    assert "Traceback" not in r.stderr, r.stderr
    return r


def cases_json(home: Path) -> list[dict[str, object]]:
    return json.loads(ok(muskan(home, "cases", "list", "--json")).stdout)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): (
            "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        )
        for p in sorted(folder.rglob("*"))
    }


def photo_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / "photos").glob("*/*") if p.is_file())


def leftovers(home: Path) -> list[str]:
    """Staging folders, journals and half-written copies a backup or restore left behind."""
    out = [p.name for p in home.parent.glob(f".{home.name}.restore-*")]
    backups = home / "backups"
    out += [p.name for p in backups.glob("muskan-for-archive-*")] if backups.is_dir() else []
    return out


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A station register (20 demo cases, two children with photos) and its backup.
    Returns (home, archive, the case ids with photos)."""
    faces = shared_dir() / "data" / "faces"
    base = tmp_path_factory.mktemp("backup-template")
    home = base / "station"
    ok(muskan(home, "demo", "--cases", "20", "--seed", "5"))
    ids = []
    for name, photo in (("Asha Minj", "obama.jpg"), ("Ravi Ekka", "biden.jpg")):
        r = ok(
            muskan(
                home, "cases", "add", "--kind", "missing", "--name", name, "--sex", "F",
                "--age", "10", "--photo", str(faces / photo),
            )
        )  # fmt: skip
        ids.append(r.stdout.strip())
    assert len(photo_files(home)) == 2
    archive = base / "station.mbk"
    ok(muskan(home, "backup", "create", str(archive)))
    return home, archive, ids


@pytest.fixture
def station(template: tuple[Path, Path, list[str]], tmp_path: Path) -> Path:
    home = tmp_path / "station"
    shutil.copytree(template[0], home)
    return home


@pytest.fixture
def archive(template: tuple[Path, Path, list[str]], tmp_path: Path) -> Path:
    out = tmp_path / "station.mbk"
    shutil.copy(template[1], out)
    return out


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))


# -- item 6: a damaged photo ---------------------------------------------------------------
def test_create_leaves_out_a_damaged_photo_and_restore_asks_for_partial(
    station: Path, tmp_path: Path
) -> None:
    damaged = photo_files(station)[0]
    good = photo_files(station)[1]
    flip_a_byte(damaged)
    before = cases_json(station)
    out = tmp_path / "with-damage.mbk"

    r = ok(muskan(station, "backup", "create", str(out)), EXIT_LEFT_OUT)
    assert "backup written" in r.stdout and out.is_file()
    assert "LEFT OUT" in r.stderr and damaged.name in r.stderr and "damaged" in r.stderr
    assert good.name not in r.stderr and "--partial" in r.stderr
    assert not list(tmp_path.glob(".*.tmp"))

    laptop = tmp_path / "laptop"
    r = ok(muskan(laptop, "backup", "restore", str(out)), EXIT_STORAGE)
    assert (
        damaged.name in r.stderr and "--partial" in r.stderr and "nothing was changed" in r.stderr
    )
    assert good.name not in r.stderr
    assert cases_json(laptop) == []  # the new laptop's register is still empty

    r = ok(muskan(laptop, "backup", "restore", str(out), "--partial"), EXIT_LEFT_OUT)
    assert "restored" in r.stdout and damaged.name in r.stderr and "NOT restored" in r.stderr
    assert cases_json(laptop) == before
    assert [p.name for p in photo_files(laptop)] == [good.name]
    ok(muskan(laptop, "audit", "verify"))
    assert not leftovers(laptop)

    helptext = " ".join(ok(muskan(station, "backup", "create", "--help")).stdout.split())
    assert "left out" in helptext and "exit code is 9" in helptext
    assert "--partial" in ok(muskan(station, "backup", "restore", "--help")).stdout


def _repack_with_damage(src: Path, dst: Path) -> str:
    """An archive as an older `backup create` wrote it: a damaged photo packed as it was (its
    manifest hash that of the damaged bytes). Returns the damaged member's name."""
    from muskan_desktop.backup import MAGIC, MANIFEST
    from muskan_desktop.sealed import SealedWriter, derive, open_chunks

    with src.open("rb") as fh:
        assert fh.read(len(MAGIC)) == MAGIC
        header = fh.readline()
        key = derive(PASS, json.loads(header))
        plain = b"".join(open_chunks(fh, key, header))
    members: list[tuple[str, bytes]] = []
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
        for m in tar:
            f = tar.extractfile(m)
            assert f is not None
            members.append((m.name, f.read()))
    manifest = json.loads(dict(members)[MANIFEST])
    victim = next(n for n, _ in members if n.startswith("photos/"))
    out: list[tuple[str, bytes]] = []
    for name, data in members:
        if name == victim:
            data = bytearray(data)
            data[len(data) // 2] ^= 0x40
            data = bytes(data)
            manifest["members"][name] = hashlib.sha256(data).hexdigest()
        if name == MANIFEST:
            data = json.dumps(manifest).encode()
        out.append((name, data))
    with dst.open("wb") as fh:
        fh.write(MAGIC + header)
        w = SealedWriter(fh, key, header)
        with tarfile.open(fileobj=w, mode="w|") as tar:  # type: ignore[call-overload]
            for name, data in out:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        w.finish()
    return victim


def test_restore_partial_saves_an_archive_that_holds_a_damaged_photo(
    station: Path, archive: Path, tmp_path: Path
) -> None:
    """An archive written before create checked its photos: one damaged photo must not make
    the whole archive unrestorable."""
    before = cases_json(station)
    old = tmp_path / "old.mbk"
    victim = _repack_with_damage(archive, old)
    laptop = tmp_path / "laptop"
    r = ok(muskan(laptop, "backup", "restore", str(old)), EXIT_STORAGE)
    assert victim in r.stderr and "--partial" in r.stderr
    assert cases_json(laptop) == []
    r = ok(muskan(laptop, "backup", "restore", str(old), "--partial"), EXIT_LEFT_OUT)
    assert victim in r.stderr and "NOT restored" in r.stderr
    assert cases_json(laptop) == before
    assert len(photo_files(laptop)) == 1 and victim.split("/")[-1] not in str(photo_files(laptop))


# -- item 14: a restore killed at each step ------------------------------------------------
@pytest.mark.parametrize(
    ("step", "outcome"),
    [
        ("during-unpack", "untouched"),
        ("after-journal", "rolled back"),
        ("between-renames", "finished"),
        ("after-swap", "finished"),
    ],
)
def test_a_restore_killed_at_any_step_is_recovered_at_the_next_start(
    station: Path, archive: Path, step: str, outcome: str
) -> None:
    restored = cases_json(station)  # what the archive holds
    ok(muskan(station, "cases", "add", "--kind", "found", "--sex", "M", "--age", "7"))
    current = cases_json(station)
    assert len(current) == len(restored) + 1

    env = {**ENV, "MUSKAN_TEST_KILL_AT": step, "MUSKAN_TEST_HOME_NAME": station.name}
    r = muskan(station, "backup", "restore", str(archive), "--force", env=env, killer=True)
    assert r.returncode == KILLED, r.stderr  # it died at the step, as with kill -9
    assert leftovers(station) or not station.exists()  # it left work behind

    r = ok(muskan(station, "cases", "list", "--json"))
    expected = current if outcome in ("untouched", "rolled back") else restored
    assert json.loads(r.stdout) == expected
    if outcome == "untouched":
        assert "Removed what an interrupted backup or restore left behind" in r.stderr
    else:
        assert f"An interrupted restore of {archive.name} into {station} was {outcome}" in r.stderr
    assert leftovers(station) == []
    # the folder works as before: a write, the audit chain, the photos
    ok(muskan(station, "cases", "add", "--kind", "found", "--sex", "F", "--age", "4"))
    ok(muskan(station, "audit", "verify"))
    assert len(photo_files(station)) == 2
    if outcome == "finished":
        assert list(station.parent.glob(f"{station.name}.before-restore-*"))  # kept
    # and a second restore, not killed, works
    ok(muskan(station, "backup", "restore", str(archive), "--force"))
    assert cases_json(station) == restored


def test_the_window_start_finishes_a_restore_killed_between_the_renames(
    station: Path, archive: Path
) -> None:
    """The window makes the data folder and its log before it opens the register: the
    interrupted restore is still finished, and the window is handed what was done."""
    import logging

    from muskan_desktop.logs import setup_file_logging
    from ui.app import open_register

    restored = cases_json(station)
    ok(muskan(station, "cases", "add", "--kind", "found", "--sex", "M", "--age", "7"))
    env = {**ENV, "MUSKAN_TEST_KILL_AT": "between-renames", "MUSKAN_TEST_HOME_NAME": station.name}
    r = muskan(station, "backup", "restore", str(archive), "--force", env=env, killer=True)
    assert r.returncode == KILLED, r.stderr
    assert not station.exists()

    station.mkdir(parents=True, exist_ok=True)  # as ui.app.run does before the window opens
    root = logging.getLogger()
    handlers = list(root.handlers)
    setup_file_logging(station)
    try:
        ctx = open_register(station)
        try:
            assert any("was finished" in n for n in ctx.notices), ctx.notices
        finally:
            ctx.db.close()
    finally:
        for h in root.handlers[:]:
            if h not in handlers:
                root.removeHandler(h)
                h.close()
    assert cases_json(station) == restored
    assert leftovers(station) == []


def test_a_killed_backup_create_leaves_nothing_behind(station: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    out = out_dir / "station.mbk"
    env = {**ENV, "MUSKAN_TEST_KILL_AT": "before-archive-rename"}
    env["MUSKAN_TEST_HOME_NAME"] = station.name
    r = muskan(station, "backup", "create", str(out), env=env, killer=True)
    assert r.returncode == KILLED, r.stderr
    half = list(out_dir.iterdir())
    assert len(half) == 1 and half[0].name.startswith(".station.mbk.")  # the half archive
    assert leftovers(station)  # and the register's copy made for it

    r = ok(muskan(station, "cases", "list"))
    assert "Removed what an interrupted backup" in r.stderr
    assert leftovers(station) == []
    r = ok(muskan(station, "backup", "create", str(out)))
    assert "Removed what an interrupted backup" in r.stderr
    assert [p.name for p in out_dir.iterdir()] == ["station.mbk"]


# -- item 14: an empty register file, a lost keys.json -------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("cases", "add", "--kind", "missing", "--name", "Sita", "--sex", "F", "--age", "9"),
        ("cases", "list"),
        ("demo", "--cases", "3"),
    ],
    ids=["add", "list", "demo"],
)
def test_an_empty_register_file_is_never_replaced_by_a_new_register(
    station: Path, args: tuple[str, ...]
) -> None:
    (station / DB_FILENAME).write_bytes(b"")
    before = snapshot(station)
    r = ok(muskan(station, *args), EXIT_STORAGE)
    assert r.stdout == ""
    for words in ("empty (0 bytes)", "photos (", str(station / "photos"), "backup restore"):
        assert words in r.stderr, r.stderr
    assert snapshot(station) == before


def test_an_empty_register_file_is_restored_from_a_backup(
    station: Path, archive: Path, template: tuple[Path, Path, list[str]]
) -> None:
    (station / DB_FILENAME).write_bytes(b"")
    r = ok(muskan(station, "backup", "restore", str(archive)))
    assert "could not be opened" in r.stderr and "restored" in r.stdout
    assert cases_json(station) == cases_json(template[0])
    kept = list(station.parent.glob(f"{station.name}.before-restore-*"))
    assert len(kept) == 1 and (kept[0] / DB_FILENAME).stat().st_size == 0


def test_a_missing_keys_file_is_named(
    station: Path, archive: Path, template: tuple[Path, Path, list[str]]
) -> None:
    (station / "keys.json").unlink()
    before = snapshot(station)
    for args in (("cases", "list"), ("cases", "add", "--kind", "found", "--sex", "M")):
        r = ok(muskan(station, *args), EXIT_STORAGE)
        assert "the register's key file keys.json is missing" in r.stderr.lower(), r.stderr
        assert "backup restore" in r.stderr and "damaged" not in r.stderr
        assert snapshot(station) == before
    r = ok(muskan(station, "backup", "restore", str(archive)))
    assert cases_json(station) == cases_json(template[0])


# -- item 14: a full disk ------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 12 MB filesystem (tmpfs), unmounted afterwards."""
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {r.stderr.strip() or r.returncode}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` up, then give back about `leave` bytes."""
    filler = disk / f"filler-{uuid.uuid4().hex[:6]}"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with filler.open("r+b") as fh:
        fh.truncate(max(0, filler.stat().st_size - leave))
    return filler


@pytest.mark.parametrize("leave", [0, 96 * 1024], ids=["no-room", "a-little-room"])
def test_a_full_disk_gets_one_clear_message(
    small_disk: Path, template: tuple[Path, Path, list[str]], leave: int
) -> None:
    home = small_disk / "station"
    shutil.copytree(template[0], home)
    case_id = template[2][0]
    before = cases_json(home)
    csv_file = small_disk.parent / "more.csv"
    csv_file.write_text("kind,name_latin,sex,age_years\nmissing,Asha Tirkey,F,9\n")
    faces = shared_dir() / "data" / "faces"
    filler = fill(small_disk, leave)
    commands: Sequence[tuple[Path, tuple[str, ...]]] = [
        (home, ("cases", "add", "--kind", "missing", "--name", "Sita", "--sex", "F", "--age", "9")),
        (home, ("cases", "import", str(csv_file))),
        (home, ("photos", "add", case_id, str(faces / "obama2.jpg"))),
        (home, ("backup", "create", str(small_disk / "station.mbk"))),
        (small_disk / "new-station", ("demo", "--cases", "5")),
    ]
    for folder, args in commands:
        r = muskan(folder, *args)
        detail = f"{' '.join(args)}: exit {r.returncode}\n{r.stderr}"
        assert r.returncode == EXIT_STORAGE, detail
        assert f"The disk is full: nothing was saved. Free space on {small_disk}" in r.stderr, (
            detail
        )
        assert "sqlalche.me" not in r.stderr and "Traceback" not in r.stderr, detail
        assert r.stdout.strip() == "", detail
    assert not (small_disk / "station.mbk").exists()
    assert not [p for p in small_disk.iterdir() if p.name.startswith(".station.mbk")]
    filler.unlink()
    assert cases_json(home) == before  # nothing was saved, nothing was lost
    ok(muskan(home, "audit", "verify"))


@pytest.mark.parametrize(
    "raw",
    [
        OSError(errno.ENOSPC, "No space left on device", "/data/muskan/photos/ab/x.tmp"),
        sqlite3.OperationalError("database or disk is full"),
    ],
    ids=["oserror", "sqlite"],
)
def test_the_window_shows_the_same_full_disk_message(
    qtbot, modal_boxes, monkeypatch, raw: Exception
) -> None:
    """The window's error handler (ui/errors.show_error) gives a full disk the plain message,
    not the raw error text or the crash dialog."""
    from PySide6.QtWidgets import QMessageBox

    from ui.errors import show_error

    def crash_dialog(box: QMessageBox) -> int:
        modal_boxes.append(("crash dialog", box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", crash_dialog)

    show_error(None, raw)
    assert len(modal_boxes) == 1
    kind, _title, text = modal_boxes[0]
    assert kind == "warning" and text.startswith("The disk is full: nothing was saved.")
    assert "Free space on" in text and "No space left" not in text
