"""What the server reads from a request before it knows who sent it, and how often a client
may guess.

Two pure-ASGI middlewares, outside FastAPI's parsing:

- `BodyLimit`: every route has a maximum body size, enforced before a byte is parsed (the
  Content-Length first, then the bytes counted as they stream in: a chunked body carries no
  length). Beyond it the answer is 413 and the rest is not read. The large routes (a push,
  photo uploads) also need a device token the server knows before their body is read, so an
  unauthenticated client never makes the server hold more than a few kilobytes.
- `LoginThrottle`: failed logins, enrollments and token renewals are counted per client
  address (an IPv6 client by its /64); past the limit in the window the client gets 429 with
  Retry-After, whichever names it tries. In memory, with a bounded number of clients.

A realistic push: 2,000 entries (the laptop's batch) of fully filled demo cases is 3.7 MB
(1.8 KB an entry), so 5,000 (PushIn's maximum) is 9.2 MB; the default 32 MB leaves room.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from muskan_desktop.errors import MuskanError

if TYPE_CHECKING:
    from .store import ServerStore

KB = 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The server's request limits (MUSKAN_SERVER_MAX_PUSH_MB or `serve --max-push-mb` for
    the push; the rest follow from the protocol's own maxima)."""

    login_body: int = 8 * KB  # login, password change, enrollment, token renewal
    default_body: int = 64 * KB  # anything else (rows by id, GETs)
    missing_body: int = 512 * KB  # 5,000 photo hashes
    push_body: int = 32 * MB
    blobs_body: int = 24 * MB  # 16 MB of photos, base64 in JSON (21.4 MB) and its framing
    chunk_body: int = 8 * MB  # one chunk of a large photo
    max_failures: int = 20  # failed logins/enrollments/renewals per client ...
    failure_window: float = 15 * 60.0  # ... in this many seconds
    throttle_clients: int = 10_000  # clients remembered at most

    @classmethod
    def from_env(cls, push_mb: int | None = None) -> Limits:
        if push_mb is None:
            raw = os.environ.get("MUSKAN_SERVER_MAX_PUSH_MB", "").strip()
            if raw:
                if not raw.isdigit() or not 1 <= int(raw) <= 1024:
                    raise MuskanError(
                        f"MUSKAN_SERVER_MAX_PUSH_MB must be a whole number of megabytes "
                        f"from 1 to 1024, not {raw!r}"
                    )
                push_mb = int(raw)
        return cls() if push_mb is None else cls(push_body=push_mb * MB)


def _json_response(status: int, code: str, message: str, headers: dict[str, str]) -> list[Message]:
    body = json.dumps({"error": code, "message": message}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return [
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    ]


async def _answer(send: Send, status: int, code: str, message: str, **headers: str) -> None:
    for m in _json_response(status, code, message, headers):
        await send(m)


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or ():
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // KB} KB"


_SMALL = {
    "/v1/officers/login",
    "/v1/officers/password",
    "/v1/enroll",
    "/v1/token",
    "/v1/wiped",
}
_CHUNK = re.compile(r"^/v1/blobs/[^/]+$")


class BodyLimit:
    """413 for a body over its route's limit, before the app reads or parses any of it."""

    def __init__(self, app: ASGIApp, store: ServerStore, limits: Limits) -> None:
        self.app, self.store, self.limits = app, store, limits

    def limit_for(self, method: str, path: str) -> tuple[int, bool]:
        """(The most bytes the route takes, whether the device must be known first.)"""
        lim = self.limits
        if path in _SMALL:
            return lim.login_body, False
        if method == "POST" and path == "/v1/push":
            return lim.push_body, True
        if method == "POST" and path == "/v1/blobs":
            return lim.blobs_body, True
        if method == "PUT" and _CHUNK.match(path):
            return lim.chunk_body, True
        if path == "/v1/blobs/missing":
            return lim.missing_body, False
        return lim.default_body, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, known_device = self.limit_for(scope["method"], scope["path"])
        too_large = (
            f"The request body is larger than the server takes for {scope['path']} "
            f"(at most {_size(limit)}); it was not read, and nothing was changed."
        )
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _answer(send, 413, "too_large", too_large, Connection="close")
            return
        if known_device and (refusal := await self._unknown_device(scope)) is not None:
            await _answer(send, 401, *refusal, Connection="close")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                chunks.clear()
                await _answer(send, 413, "too_large", too_large, Connection="close")
                return
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        del chunks
        replayed = False

        async def replay() -> Message:
            nonlocal replayed, body
            if replayed:
                return await receive()  # (a disconnect, when the app waits for one)
            replayed = True
            out: Message = {"type": "http.request", "body": body, "more_body": False}
            body = b""
            return out

        await self.app(scope, replay, send)

    async def _unknown_device(self, scope: Scope) -> tuple[str, str] | None:
        """A refusal for a request whose device token the server does not know or that has
        expired; None lets the route decide (revoked devices included: a hand-in)."""
        from .store import AuthError

        auth = _header(scope, b"authorization") or ""
        token = auth[7:].strip() if auth.startswith("Bearer ") else ""
        try:
            await run_in_threadpool(self.store.authenticate, token or None)
        except AuthError as exc:
            if exc.code in ("no_token", "bad_token", "token_expired"):
                return exc.code, exc.message
        return None


_THROTTLED = {"/v1/officers/login", "/v1/enroll", "/v1/token"}


def client_key(scope: Scope) -> str:
    """A client's address; an IPv6 client by its /64 (one host holds a whole /64)."""
    client = scope.get("client")
    host = str(client[0]) if client else "?"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class FailureLog:
    """Recent failures per client, in memory: at most `limits.throttle_clients` clients (the
    least recently failing forgotten first), at most `limits.max_failures` times each."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, key: str) -> int:
        """Seconds until this client may try again (0: now)."""
        seen = self.failures.get(key)
        if not seen:
            return 0
        now = self.clock()
        while seen and seen[0] <= now - self.limits.failure_window:
            seen.popleft()
        if not seen:
            del self.failures[key]
            return 0
        if len(seen) < self.limits.max_failures:
            return 0
        return max(1, math.ceil(seen[0] + self.limits.failure_window - now))

    def record(self, key: str) -> None:
        seen = self.failures.pop(key, None) or deque(maxlen=self.limits.max_failures)
        seen.append(self.clock())
        self.failures[key] = seen  # the most recent at the end
        while len(self.failures) > self.limits.throttle_clients:
            self.failures.popitem(last=False)


class LoginThrottle:
    """At most `limits.max_failures` failed logins, enrollments or token renewals per client
    in `limits.failure_window` seconds, across every name and station it tries. A failure is
    an answer of 401 or 403; once over, the client gets 429 (Retry-After) without its request
    being read, whatever it sends, until its oldest failure ages out."""

    def __init__(self, app: ASGIApp, log: FailureLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in _THROTTLED:
            await self.app(scope, receive, send)
            return
        key = client_key(scope)
        wait = self.log.retry_after(key)
        if wait:
            await _answer(
                send,
                429,
                "too_many_failures",
                "Too many failed logins from this computer; try again in "
                f"{math.ceil(wait / 60)} minute(s).",
                **{"Retry-After": str(wait), "Connection": "close"},
            )
            return
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status in (401, 403):
                self.log.record(key)


def attach(app: Any, store: ServerStore, limits: Limits) -> FailureLog:
    """Wrap the app: the throttle outside (a throttled client is not even read), then the
    body limit. Returns the failure log (tests move its clock)."""
    log = FailureLog(limits)
    app.add_middleware(BodyLimit, store=store, limits=limits)
    app.add_middleware(LoginThrottle, log=log)
    return log
