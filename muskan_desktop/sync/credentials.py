"""The laptop's server credential: in the OS keyring, never in a plain file.

Where the OS has no keyring backend (a headless Linux box, a field laptop without Secret
Service), the register itself has no key in a keyring either: it is opened with the
officer's passphrase. The credential then goes inside that encrypted register (SQLCipher),
protected by the same passphrase as the children's records. Without a register to put it
in, saying so plainly beats the `fail`/`null` backends' silent loss.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, select

from muskan_desktop.errors import MuskanError
from muskan_desktop.models import Meta

SERVICE = "muskan-desktop-sync"
META_KEY = "sync_credential"  # where the register keeps it when there is no keyring


class NoKeyring(MuskanError):
    exit_code = 13

    def __init__(self) -> None:
        super().__init__(
            "This computer has no usable keyring to keep the server credential safely "
            "(Windows Credential Manager, macOS Keychain, or Secret Service/KWallet on Linux). "
            "Start a keyring service, or for scripts choose a backend with "
            "PYTHON_KEYRING_BACKEND; a register opened with a passphrase keeps it inside."
        )


@dataclass
class Credential:
    server: str
    device_id: str
    token: str
    refresh_token: str
    expires_at: str

    def dump(self) -> str:
        return json.dumps(asdict(self))


def _backend() -> Any:
    import keyring
    from keyring.backends import fail, null

    kr = keyring.get_keyring()
    inner = getattr(kr, "backends", None)  # a chainer: usable if any of its backends is
    if isinstance(kr, fail.Keyring | null.Keyring) or inner == []:
        raise NoKeyring()
    return kr


def _keyring() -> Any | None:
    try:
        return _backend()
    except NoKeyring:
        return None


def check(db: Any | None) -> None:
    """Raise NoKeyring if the credential would have nowhere safe to go."""
    if db is None and _keyring() is None:
        raise NoKeyring()


def key(device_id: str) -> str:
    return f"device:{device_id}"


def save(cred: Credential, db: Any | None = None) -> None:
    kr = _keyring()
    if kr is not None:
        kr.set_password(SERVICE, key(cred.device_id), cred.dump())
        return
    if db is None:
        raise NoKeyring()
    with db.write() as s:
        s.merge(Meta(key=META_KEY, value=cred.dump()))


def _parse(raw: str | None, device_id: str) -> Credential | None:
    if not raw:
        return None
    try:
        cred = Credential(**json.loads(raw))
    except (TypeError, ValueError):
        return None
    return cred if cred.device_id == device_id else None


def load(device_id: str, db: Any | None = None) -> Credential | None:
    kr = _keyring()
    if kr is None and db is None:
        raise NoKeyring()
    cred = _parse(kr.get_password(SERVICE, key(device_id)), device_id) if kr else None
    if cred is None and db is not None:  # enrolled while this computer had no keyring
        with db.read() as s:
            cred = _parse(s.scalar(select(Meta.value).where(Meta.key == META_KEY)), device_id)
    return cred


def forget(device_id: str, db: Any | None = None) -> None:
    import keyring.errors

    kr = _keyring()
    if kr is not None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            kr.delete_password(SERVICE, key(device_id))
    if db is not None:
        with db.write() as s:
            raw = s.scalar(select(Meta.value).where(Meta.key == META_KEY))
            if _parse(raw, device_id) is not None:
                s.execute(delete(Meta).where(Meta.key == META_KEY))
