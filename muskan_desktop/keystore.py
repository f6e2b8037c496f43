"""The register's keys: a random database key and a random photo key, never on disk in clear.

Both keys are made with `secrets` when a register is created and kept in the OS keyring
(Windows Credential Manager, macOS Keychain, Secret Service) under the register's own id.
Where the OS has no keyring (a headless Linux box) or the entry is gone (the folder was
copied to another machine), a copy of the keys wrapped with a passphrase (argon2id ->
AES-GCM) in keys.json opens it: the passphrase comes from MUSKAN_PASSPHRASE or is asked by
the window. keys.json itself holds no secret: only the register id and that wrapped copy.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .durable import atomic_write
from .errors import MuskanError

log = logging.getLogger(__name__)

SERVICE = "Muskan Desktop"
KEYFILE = "keys.json"
PASSPHRASE_ENV = "MUSKAN_PASSPHRASE"
# argon2id for wrapping with a passphrase: RFC 9106's second recommended profile (64 MiB)
KDF = {"t": 3, "m": 65536, "p": 4}


class KeyUnavailable(MuskanError):
    """The register's keys cannot be had: no keyring entry and no (right) passphrase."""

    exit_code = 4


# SQLCipher authenticates every page with an HMAC. SHA-256 (SHA-NI in today's CPUs) costs
# about a third less than SQLCipher 4's default SHA-512 when pages are read and decrypted
# (benchmarks/encryption.py); a register keeps the algorithm it was made with.
HMAC = "HMAC_SHA256"


@dataclass(frozen=True)
class RegisterKeys:
    register_id: str
    db: bytes  # 32 bytes: SQLCipher raw key (no PBKDF2 on open)
    photo: bytes  # 32 bytes: AES-256-GCM for photos and thumbnails
    hmac: str = "HMAC_SHA512"  # SQLCipher 4's default, for keys stored without the field

    @property
    def db_pragma(self) -> str:
        """The value for `PRAGMA key`: a raw key, so opening costs no key derivation."""
        return f"\"x'{self.db.hex()}'\""

    def cipher_pragmas(self, schema: str = "") -> list[str]:
        """Run right after the key (`schema`: "enc." for an attached database)."""
        if self.hmac not in ("HMAC_SHA1", "HMAC_SHA256", "HMAC_SHA512"):
            raise KeyUnavailable(f"Unknown page authentication {self.hmac!r} in the keys.")
        return [f"PRAGMA {schema}cipher_hmac_algorithm = {self.hmac}"]

    def to_json(self) -> str:
        return json.dumps({"db": self.db.hex(), "photo": self.photo.hex(), "hmac": self.hmac})

    @classmethod
    def from_json(cls, register_id: str, text: str) -> RegisterKeys:
        d = json.loads(text)
        return cls(
            register_id,
            bytes.fromhex(d["db"]),
            bytes.fromhex(d["photo"]),
            d.get("hmac", "HMAC_SHA512"),
        )

    @classmethod
    def new(cls) -> RegisterKeys:
        return cls(str(uuid.uuid4()), secrets.token_bytes(32), secrets.token_bytes(32), HMAC)


_cache: dict[Path, RegisterKeys] = {}
_lock = threading.Lock()
_session_passphrase: str | None = None


def set_session_passphrase(passphrase: str | None) -> None:
    """The passphrase the window asked for (kept in memory for this run only)."""
    global _session_passphrase
    _session_passphrase = passphrase or None


def _passphrase() -> str | None:
    return _session_passphrase or os.environ.get(PASSPHRASE_ENV) or None


def keyring_status() -> tuple[bool, str]:
    """(usable, backend name). keyring's fail/null backends, or a chainer with nothing in
    it, mean this computer has no keyring."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        kr = keyring.get_keyring()
        name = f"{type(kr).__module__}.{type(kr).__name__}"
        if isinstance(kr, fail.Keyring | null.Keyring):
            return False, name
        if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
            return False, name
        return True, name
    except Exception as exc:  # a broken keyring installation is the same as none
        return False, type(exc).__name__


def no_keyring_message(backend: str) -> str:
    return (
        f"This computer has no usable keyring (backend: {backend}), so the register's key "
        f"cannot be kept there. Give a passphrase instead: the window asks for it; scripts "
        f"set {PASSPHRASE_ENV}. Keep it safe: without it (or a backup) the register cannot "
        "be opened."
    )


def key_file(home: Path) -> Path:
    return home / KEYFILE


def has_keys(home: Path) -> bool:
    return key_file(home).is_file()


def needs_passphrase(home: Path) -> bool:
    """Will opening `home` need a passphrase this process does not have? (The window asks
    before it opens the register off the GUI thread.)"""
    if _passphrase() is not None or Path(home).resolve() in _cache:
        return False
    ok, _ = keyring_status()
    info = _read_file(home)
    if info is None:
        return not ok
    return not (ok and _from_keyring(str(info["register"])) is not None)


def needs_passphrase_again() -> bool:
    """The window gave a passphrase this run (not MUSKAN_PASSPHRASE): worth asking again."""
    return _session_passphrase is not None


def load_keys(home: Path, *, create: bool = True) -> RegisterKeys:
    """The keys of the register in `home`, made (and stored) on first use if `create`."""
    home = Path(home).resolve()
    with _lock:
        info = _read_file(home)
        cached = _cache.get(home)
        if cached is not None and info is not None and cached.register_id == info["register"]:
            return cached
        if info is None:
            if not create:
                raise KeyUnavailable(
                    f"The register's key file {KEYFILE} is missing from {home}: put it back "
                    "from a copy of this folder, or restore the folder from a backup with "
                    "`muskan backup restore FILE`."
                )
            keys = RegisterKeys.new()
            store_keys(home, keys)
        else:
            keys = _unlock(home, info)
        _cache[home] = keys
        return keys


def forget(home: Path) -> None:
    _cache.pop(Path(home).resolve(), None)


def destroy(home: Path) -> None:
    """Destroy the keys of the register in `home` (its keyring entry, keys.json and this
    process's copy): what they encrypted (the register, its photos and backups) can no
    longer be read by anyone. For the wipe of a revoked laptop (sync/client.py)."""
    home = Path(home).resolve()
    with _lock:
        _cache.pop(home, None)
        try:
            info = _read_file(home)
        except KeyUnavailable:  # damaged: nothing to read an id from, remove it anyway
            info = None
        if info is not None and keyring_status()[0]:
            try:
                import keyring

                keyring.delete_password(SERVICE, _entry(str(info["register"])))
            except Exception as exc:  # no such entry: nothing to destroy
                log.info("no keyring entry to remove: %s", type(exc).__name__)
        key_file(home).unlink(missing_ok=True)


def store_keys(home: Path, keys: RegisterKeys, *, passphrase: str | None = None) -> None:
    """Keep `keys` for `home`: in the keyring if there is one, and wrapped with the
    passphrase if one is given (or set); at least one of the two or KeyUnavailable."""
    ok, backend = keyring_status()
    saved = False
    if ok:
        try:
            import keyring

            keyring.set_password(SERVICE, _entry(keys.register_id), keys.to_json())
            saved = True
        except Exception as exc:
            log.warning("keyring refused the register key: %s", type(exc).__name__)
    pw = passphrase or _passphrase()
    wrapped = wrap(keys, pw) if pw else None
    if not saved and wrapped is None:
        raise KeyUnavailable(no_keyring_message(backend))
    body = {"version": 1, "register": keys.register_id, "keyring": saved, "wrapped": wrapped}
    home.mkdir(parents=True, exist_ok=True)
    atomic_write(key_file(home), json.dumps(body, indent=1).encode())
    _cache[Path(home).resolve()] = keys


def _entry(register_id: str) -> str:
    return f"register-{register_id}"


def _read_file(home: Path) -> dict[str, object] | None:
    p = key_file(home)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyUnavailable(f"The keys file {p} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("register"), str):
        raise KeyUnavailable(f"The keys file {p} is damaged; restore the folder from a backup.")
    return data


def _from_keyring(register_id: str) -> RegisterKeys | None:
    try:
        import keyring

        text = keyring.get_password(SERVICE, _entry(register_id))
    except Exception as exc:
        log.warning("keyring lookup failed: %s", type(exc).__name__)
        return None
    return RegisterKeys.from_json(register_id, text) if text else None


def _unlock(home: Path, info: dict[str, object]) -> RegisterKeys:
    register_id = str(info["register"])
    ok, backend = keyring_status()
    if ok:
        keys = _from_keyring(register_id)
        if keys is not None:
            return keys
    wrapped = info.get("wrapped")
    if not isinstance(wrapped, dict):
        if not ok:
            raise KeyUnavailable(no_keyring_message(backend))
        raise KeyUnavailable(
            f"The key of the register in {home} is not in this computer's keyring (was the "
            "folder copied from another computer?). Restore it with `muskan backup restore`."
        )
    pw = _passphrase()
    if pw is None:
        why = "this computer has no keyring" if not ok else "its key is not in this keyring"
        raise KeyUnavailable(
            f"The register in {home} needs its passphrase ({why}): the window asks for it; "
            f"scripts set {PASSPHRASE_ENV}."
        )
    keys = unwrap(wrapped, pw, register_id)
    if ok:  # next time straight from the keyring
        try:
            import keyring

            keyring.set_password(SERVICE, _entry(register_id), keys.to_json())
        except Exception:
            log.warning("could not copy the register key into the keyring")
    return keys


def _kek(passphrase: str, salt: bytes, t: int, m: int, p: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(passphrase.encode(), salt, t, m, p, 32, Type.ID)


def wrap(keys: RegisterKeys, passphrase: str) -> dict[str, object]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _kek(passphrase, salt, KDF["t"], KDF["m"], KDF["p"])
    ct = AESGCM(kek).encrypt(nonce, keys.to_json().encode(), keys.register_id.encode())
    return {"kdf": "argon2id", **KDF, "salt": salt.hex(), "nonce": nonce.hex(), "ct": ct.hex()}


def unwrap(wrapped: dict[str, object], passphrase: str, register_id: str) -> RegisterKeys:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        salt = bytes.fromhex(str(wrapped["salt"]))
        t, m, p = (int(str(wrapped[k])) for k in ("t", "m", "p"))
        kek = _kek(passphrase, salt, t, m, p)
        plain = AESGCM(kek).decrypt(
            bytes.fromhex(str(wrapped["nonce"])),
            bytes.fromhex(str(wrapped["ct"])),
            register_id.encode(),
        )
    except InvalidTag:
        raise KeyUnavailable("Wrong passphrase for this register; nothing was opened.") from None
    except (KeyError, ValueError) as exc:
        raise KeyUnavailable(f"The wrapped key in {KEYFILE} is damaged: {exc}") from exc
    return RegisterKeys.from_json(register_id, plain.decode())


PassphraseAsker = Callable[[bool], str | None]
