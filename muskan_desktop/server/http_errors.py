"""Errors the server answers and logs without a word of what the request held.

- JSON bodies are parsed with non-finite numbers refused (`NaN`, `Infinity`, and numbers
  too large for a float such as 1e400): a 400 before validation, in the one parse FastAPI
  makes (a route class whose request parses with the hooks; nothing is parsed twice).
- A 422 names the fields (only names the API declares) and says what is wrong in plain
  words: no `input`, no `ctx`, nothing copied from the body.
- An unhandled exception is answered 500 and logged with its stack (files, lines,
  functions) and exception types, never the exception messages: those carry the request's
  values (a validation error prints its input; a database error its parameters).
"""

from __future__ import annotations

import json
import logging
import math
import re
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("muskan_desktop.server")

WITHHELD = "(message withheld: it may hold request data)"


class NonFiniteNumber(HTTPException):
    """(An HTTPException so that FastAPI passes it on as it is, rather than as its own
    "error parsing the body".)"""

    def __init__(self) -> None:
        super().__init__(400, "non_finite")


def _refuse_constant(_name: str) -> Any:
    raise NonFiniteNumber()


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise NonFiniteNumber()
    return value


def loads(body: bytes | str) -> Any:
    return json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)


class FiniteJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_finite_json"):
            self._finite_json = loads(await self.body())
        return self._finite_json


class FiniteJSONRoute(APIRoute):
    """Every route's request parses JSON with non-finite numbers refused."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def finite(request: Request) -> Response:
            return await handler(FiniteJSONRequest(request.scope, request.receive))

        return finite


async def non_finite_handler(_req: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(
        {
            "error": "non_finite",
            "message": "The request holds a number JSON does not allow (NaN, Infinity, or "
            "one too large); nothing was changed.",
        },
        status_code=400,
    )


_PLACES = {"body", "query", "header", "path", "cookie"}
# Messages pydantic builds from the value or from an exception raised on it: said plainly.
_OWN_WORDS = {
    "json_invalid": "The body is not valid JSON.",
    "value_error": "The value is not valid here.",
    "assertion_error": "The value is not valid here.",
}
MAX_PROBLEMS = 20


def declared_names(app: FastAPI) -> frozenset[str]:
    """Every field and parameter name of the API's schema: the only names a 422 repeats."""
    names: set[str] = set(_PLACES)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                names.update(props)
            if node.get("in") in _PLACES and isinstance(node.get("name"), str):
                names.add(node["name"])
                names.add(node["name"].lower())
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(app.openapi())
    return frozenset(names)


def validation_handler(app: FastAPI) -> Callable[[Request, Exception], Any]:
    names: list[frozenset[str]] = []

    async def handler(_req: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if not names:
            names.append(declared_names(app))
        known = names[0]
        problems = []
        for e in exc.errors()[:MAX_PROBLEMS]:
            loc = [p if isinstance(p, int) or p in known else "?" for p in e.get("loc", ())]
            kind = str(e.get("type", "invalid"))
            msg = _OWN_WORDS.get(kind) or str(e.get("msg", "is not valid"))[:200]
            problems.append({"loc": loc, "msg": msg, "type": kind})
        first = problems[0] if problems else {"loc": [], "msg": "The request is not valid."}
        where = ".".join(str(p) for p in first["loc"])
        return JSONResponse(
            {
                "error": "invalid_request",
                "message": f"{where}: {first['msg']}" if where else str(first["msg"]),
                "detail": problems,
            },
            status_code=422,
        )

    return handler


def describe_exception(exc: BaseException, _seen: set[int] | None = None) -> str:
    """The traceback of `exc` (and what it was raised from) with the exception types and
    the code's lines, without the exception messages or any local values."""
    seen = _seen if _seen is not None else set()
    seen.add(id(exc))
    parts: list[str] = []
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None and id(cause) not in seen:
        parts.append(describe_exception(cause, seen))
        parts.append("\nwhich led to:\n")
    parts.append("Traceback (most recent call last):\n")
    parts.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    kind = type(exc)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    parts.append(f"{name} {WITHHELD}")
    if isinstance(exc, BaseExceptionGroup):
        for i, sub in enumerate(exc.exceptions, 1):
            inner = describe_exception(sub, seen).replace("\n", "\n    ")
            parts.append(f"\n  sub-exception {i}:\n    {inner}")
    return "".join(parts)


class WithheldFormatter(logging.Formatter):
    """A log formatter whose tracebacks hold no exception messages (see describe_exception):
    for uvicorn's own error log, should anything reach it."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        exc = ei[1]
        return describe_exception(exc) if exc is not None else ""


def log_config(level: str = "WARNING") -> dict[str, Any]:
    """`uvicorn.run(log_config=...)`: every logger to stderr through WithheldFormatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "withheld": {
                "()": f"{__name__}.WithheldFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "withheld",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {"muskan_desktop": {"level": "INFO"}},
    }


_HEX = re.compile(r"[0-9a-fA-F-]{16,}")


class ErrorBarrier:
    """Outermost: an exception nothing else handled is logged (describe_exception) and
    answered 500 here, so that neither Starlette nor uvicorn prints it with its message."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            path = _HEX.sub("…", scope.get("path", ""))  # photo hashes, ids
            log.error(
                "unhandled error in %s %s:\n%s", scope.get("method"), path, describe_exception(exc)
            )
            if started:
                return  # (uvicorn closes a response left half-sent)
            body = json.dumps(
                {
                    "error": "internal",
                    "message": "The server hit an unexpected error and logged it (without "
                    "the request's contents). Retry later, or tell the "
                    "server's administrator if it persists.",
                }
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
