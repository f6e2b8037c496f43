"""The laptop's server credential, kept in the OS keyring (never in the register or a file).

Where the OS has no keyring backend (a headless Linux box), saying so plainly beats the
`fail`/`null` backends' silent loss: the officer gets a message naming the fix.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from muskan_desktop.errors import MuskanError

SERVICE = "muskan-desktop-sync"


class NoKeyring(MuskanError):
    exit_code = 13

    def __init__(self) -> None:
        super().__init__(
            "This computer has no usable keyring to keep the server credential safely "
            "(Windows Credential Manager, macOS Keychain, or Secret Service/KWallet on Linux). "
            "Start a keyring service, or for scripts choose a backend with "
            "PYTHON_KEYRING_BACKEND."
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


def key(device_id: str) -> str:
    return f"device:{device_id}"


def save(cred: Credential) -> None:
    _backend().set_password(SERVICE, key(cred.device_id), cred.dump())


def load(device_id: str) -> Credential | None:
    raw = _backend().get_password(SERVICE, key(device_id))
    if not raw:
        return None
    try:
        return Credential(**json.loads(raw))
    except (TypeError, ValueError):
        return None


def forget(device_id: str) -> None:
    import keyring.errors

    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        _backend().delete_password(SERVICE, key(device_id))
