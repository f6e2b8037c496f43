"""The central server's web API (FastAPI: typed requests give the OpenAPI schema that clients
and schemathesis read; Starlette underneath, served by uvicorn).

Every request carries the client's schema version (`X-Muskan-Schema`); too old gets 426
and a message, and the laptop keeps its outbox until it is upgraded.
"""

from typing import Annotated, Any, NotRequired

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, with_config
from sqlalchemy.exc import DataError, OperationalError
from typing_extensions import TypedDict

from muskan_desktop.roles import Action, can

from . import officers, protocol
from .http_errors import (
    ErrorBarrier,
    FiniteJSONRoute,
    NonFiniteNumber,
    non_finite_handler,
    validation_handler,
)
from .limits import Limits
from .limits import attach as attach_limits
from .officers import ServerOfficer
from .store import AuthError, Device, ServerStore

PROTOCOL = 1
MIN_CLIENT_SCHEMA = "0006"  # the first register schema with the sync tables
SHA = r"^[0-9a-f]{64}$"
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class EnrollIn(BaseModel):
    code: str = Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")
    label: str | None = Field(default=None, max_length=120, pattern=NO_NUL)


class RefreshIn(BaseModel):
    device_id: str = Field(max_length=36, pattern=r"^[0-9a-fA-F-]+$")
    refresh_token: str = Field(max_length=200, pattern=r"^[A-Za-z0-9_-]+$")


@with_config(ConfigDict(extra="forbid"))
class EntryIn(TypedDict):
    """One outbox entry. (A TypedDict: validated straight into the dict the server applies;
    10,000 model objects a drain, each copied into a dict, cost more than the validation.)"""

    seq: Annotated[int, Field(ge=1, le=2**53)]
    entity: Annotated[str, Field(max_length=40, pattern=r"^[a-z_]+$")]
    row_id: Annotated[str, Field(max_length=36, pattern=NO_NUL)]
    op: Annotated[str, Field(max_length=10, pattern=r"^[a-z]+$")]
    data: dict[str, Any]
    base: NotRequired[dict[str, int] | None]
    actor: NotRequired[Annotated[str | None, Field(max_length=80, pattern=NO_NUL)]]
    role: NotRequired[Annotated[str | None, Field(max_length=20, pattern=NO_NUL)]]
    created_at: NotRequired[Annotated[str | None, Field(max_length=40, pattern=NO_NUL)]]
    blob: NotRequired[Annotated[str | None, Field(max_length=20, pattern=NO_NUL)]]


class PushIn(BaseModel):
    entries: list[EntryIn] = Field(max_length=5000)


class RowsIn(BaseModel):
    entity: str = Field(max_length=40, pattern=r"^[a-z_]+$")
    ids: list[Annotated[str, Field(max_length=36, pattern=NO_NUL)]] = Field(max_length=500)


class BlobIn(BaseModel):
    sha256: str = Field(pattern=SHA)
    data: str = Field(max_length=30 * 1024 * 1024)


class BlobsIn(BaseModel):
    blobs: list[BlobIn] = Field(max_length=1000)


class OfficerLoginIn(BaseModel):
    station: str = Field(min_length=1, max_length=40, pattern=NO_NUL)
    username: str = Field(min_length=1, max_length=80, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=200, pattern=NO_NUL)


class PasswordIn(BaseModel):
    old: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    new: str = Field(min_length=1, max_length=200, pattern=NO_NUL)


class ShasIn(BaseModel):
    shas: list[Annotated[str, Field(pattern=SHA)]] = Field(max_length=5000)


def _schema_ok(version: str | None) -> None:
    if not version:
        raise ApiError(400, "no_schema", "Send the register's schema version in X-Muskan-Schema.")
    if not version.isdigit() or len(version) > 8:
        raise ApiError(400, "bad_schema", "X-Muskan-Schema must be a schema number like 0008.")
    if int(version) < int(MIN_CLIENT_SCHEMA):
        raise ApiError(
            426,
            "client_too_old",
            f"This laptop's Muskan (schema {version}) is older than the server accepts "
            f"({MIN_CLIENT_SCHEMA}); upgrade it. Its queued work is kept and sent after.",
        )


def create_app(store: ServerStore, limits: Limits | None = None) -> FastAPI:
    """The API on `store`. Requests are size-limited before they are read and failed logins
    throttled per client (limits.py); bodies parse with NaN/Infinity refused, and neither a
    422 nor the log repeats what a request held (http_errors.py)."""
    limits = limits or Limits.from_env()
    app = FastAPI(
        title="Muskan central server",
        version=str(PROTOCOL),
        description="Offline-first sync for Muskan Desktop station laptops.",
        # spans and OpenTelemetry logs carry exception messages (request values); metrics
        # carry none
        telemetry={"tracing": False, "logs": False, "operation_spans": False},
    )
    app.router.route_class = FiniteJSONRoute
    app.state.store = store
    app.state.login_failures = attach_limits(app, store, limits)
    app.add_middleware(ErrorBarrier)  # outermost of ours: nothing below logs a message
    app.add_exception_handler(NonFiniteNumber, non_finite_handler)
    app.add_exception_handler(RequestValidationError, validation_handler(app))

    @app.exception_handler(ApiError)
    async def _api_error(_req: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "message": exc.message}, status_code=exc.status)

    @app.exception_handler(AuthError)
    async def _auth_error(_req: Request, exc: AuthError) -> JSONResponse:
        status = 403 if exc.code == "device_revoked" else 401
        return JSONResponse({"error": exc.code, "message": exc.message}, status_code=status)

    @app.exception_handler(DataError)
    async def _bad_data(_req: Request, _exc: DataError) -> JSONResponse:
        return JSONResponse(
            {"error": "bad_data", "message": "A value the database cannot store (e.g. NUL)."},
            status_code=422,
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_req: Request, _exc: OperationalError) -> JSONResponse:
        return JSONResponse(
            {"error": "unavailable", "message": "The server's database is unavailable; retry."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    def schema_header(
        x_muskan_schema: Annotated[str | None, Header()] = None,
    ) -> str:
        _schema_ok(x_muskan_schema)
        return x_muskan_schema or ""

    def _token(authorization: str | None) -> str | None:
        if authorization and authorization.startswith("Bearer "):
            return authorization[7:].strip()
        return None

    def device(
        _schema: Annotated[str, Depends(schema_header)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Device:
        """For push and photo upload: an active device (token unexpired), or a revoked one
        in the one hand-in its administrator allowed (ServerStore.revoke: the rule)."""
        dev = store.authenticate(_token(authorization), handin=True)
        if not can(dev.role, Action.SYNC):
            raise ApiError(403, "role", "This device's role may not sync.")
        return dev

    def active(
        _schema: Annotated[str, Depends(schema_header)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Device:
        """For everything else: an active device (token unexpired, not revoked)."""
        dev = store.authenticate(_token(authorization))
        if not can(dev.role, Action.SYNC):
            raise ApiError(403, "role", "This device's role may not sync.")
        return dev

    def officer(authorization: Annotated[str | None, Header()] = None) -> ServerOfficer:
        token = None
        if authorization and authorization.startswith("Bearer "):
            token = authorization[7:].strip()
        return officers.authenticate(store, token)

    @app.post("/v1/officers/login")
    def officer_login(body: OfficerLoginIn) -> dict[str, Any]:
        """A short-lived (15 minutes) officer token, for reading from the server."""
        return officers.login(store, body.station, body.username, body.password)

    @app.post("/v1/officers/password")
    def officer_password(
        body: PasswordIn, who: Annotated[ServerOfficer, Depends(officer)]
    ) -> dict[str, Any]:
        officers.change_own_password(store, who, body.old, body.new)
        return {"ok": True}

    @app.get("/v1/officers/me")
    def officer_me(who: Annotated[ServerOfficer, Depends(officer)]) -> dict[str, Any]:
        return {"username": who.username, "role": who.role, "station_id": who.station_id}

    @app.get("/v1/officers/cases")
    def officer_cases(
        who: Annotated[ServerOfficer, Depends(officer)],
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        """Cases the officer may read: a viewer (range/district officer) its district's,
        anyone else its own station's."""
        if not can(who.role, Action.VIEW):
            raise ApiError(403, "role", f"The role {who.role} may not view cases.")
        return {"cases": officers.cases_for(store, who, offset, limit)}

    @app.get("/v1/officers/station")
    def station_officers(dev: Annotated[Device, Depends(active)]) -> dict[str, Any]:
        """The station's accounts for its laptops (offline login on any of them)."""
        return {"officers": officers.station_roster(store, dev.station_id)}

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True, "protocol": PROTOCOL, "min_schema": MIN_CLIENT_SCHEMA}

    @app.post("/v1/enroll")
    def enroll(body: EnrollIn, _s: Annotated[str, Depends(schema_header)]) -> dict[str, Any]:
        return store.enroll(body.code, body.label)

    @app.post("/v1/token")
    def token(body: RefreshIn, _s: Annotated[str, Depends(schema_header)]) -> dict[str, Any]:
        return store.refresh(body.device_id, body.refresh_token)

    @app.get("/v1/status")
    def status(dev: Annotated[Device, Depends(active)]) -> dict[str, Any]:
        return {
            "device_id": dev.id,
            "station_id": dev.station_id,
            "revoked": dev.revoked,
            "last_seq": dev.last_seq,
        }

    @app.post("/v1/push")
    def push(body: PushIn, dev: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        # A revoked laptop in its hand-in delivers its queue; it receives nothing, and is
        # told to wipe once its queue is delivered ("revoked").
        out = protocol.push(store, dev, body.entries)
        out["revoked"] = dev.revoked
        return out

    @app.post("/v1/wiped")
    def wiped(body: RefreshIn, _s: Annotated[str, Depends(schema_header)]) -> dict[str, Any]:
        """A revoked laptop reports that it removed its case data (recorded; gives nothing)."""
        store.wiped(body.device_id, body.refresh_token)
        return {"ok": True}

    @app.get("/v1/pull")
    def pull(
        dev: Annotated[Device, Depends(active)],
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=2000)] = 500,
    ) -> dict[str, Any]:
        return protocol.pull(store, dev, after, limit)

    @app.post("/v1/rows")
    def rows(body: RowsIn, dev: Annotated[Device, Depends(active)]) -> dict[str, Any]:
        return protocol.rows_by_id(store, dev, body.entity, body.ids)

    @app.post("/v1/blobs/missing")
    def missing(body: ShasIn, dev: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        """Photos this device's station has not sent yet (another station's copy does not
        count: a station proves it holds a photo by sending it)."""
        return {"missing": protocol.missing_blobs(store, dev, body.shas)}

    @app.get("/v1/blobs/{sha}/upload")
    def upload_status(sha: str, dev: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        _check_sha(sha)
        return protocol.upload_status(store, dev, sha)

    @app.post("/v1/blobs")
    def upload_many(body: BlobsIn, dev: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        """Small photos in one request, base64 in JSON (at most 16 MB of them)."""
        import base64
        import binascii

        try:
            items = [(b.sha256, base64.b64decode(b.data, validate=True)) for b in body.blobs]
        except (binascii.Error, ValueError):
            raise ApiError(422, "bad_blob", "A photo's bytes are not valid base64.") from None
        if sum(len(d) for _, d in items) > 16 * 1024 * 1024:
            raise ApiError(413, "too_large", "Send at most 16 MB of photos per request.")
        return protocol.upload_many(store, dev, items)

    @app.put("/v1/blobs/{sha}")
    async def upload(
        sha: str,
        request: Request,
        dev: Annotated[Device, Depends(device)],
        offset: Annotated[int, Query(ge=0, le=2**40)] = 0,
        total: Annotated[int, Query(ge=1, le=2**40)] = 1,
    ) -> dict[str, Any]:
        _check_sha(sha)
        chunk = await request.body()
        if len(chunk) > 8 * 1024 * 1024:
            raise ApiError(413, "too_large", "Send photos in chunks of at most 8 MB.")
        try:
            return protocol.upload_chunk(store, dev, sha, offset, total, chunk)
        except ValueError as exc:
            raise ApiError(422, "bad_blob", str(exc)) from None

    @app.get("/v1/blobs/{sha}", response_class=Response)
    def download(sha: str, dev: Annotated[Device, Depends(active)]) -> Response:
        _check_sha(sha)
        data = store.read_blob(sha) if protocol.blob_visible(store, dev, sha) else None
        if data is None:
            raise ApiError(404, "no_blob", "No such photo for this station.")
        return Response(data, media_type="application/octet-stream")

    return app


def _check_sha(sha: str) -> None:
    import re

    if not re.fullmatch(SHA, sha):
        raise ApiError(422, "bad_sha", "A photo is named by the 64 hex digits of its SHA-256.")
