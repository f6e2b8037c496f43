"""Tables of the local case register (SQLAlchemy 2 typed ORM).

The server shares this model. Ids are client-made UUIDv7 strings so records can be created
offline and synced without renumbering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Station(Base):
    __tablename__ = "stations"
    id: Mapped[str] = _id()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_hi: Mapped[str | None] = mapped_column(String(120))
    subdivision_en: Mapped[str | None] = mapped_column(String(120))
    subdivision_hi: Mapped[str | None] = mapped_column(String(120))
    district_en: Mapped[str] = mapped_column(String(120), index=True)
    district_hi: Mapped[str | None] = mapped_column(String(120))
    range_en: Mapped[str | None] = mapped_column(String(120))
    range_hi: Mapped[str | None] = mapped_column(String(120))
    state_en: Mapped[str] = mapped_column(String(120))
    state_hi: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)


class Case(Base):
    """A missing-child report (kind=missing) or a found/rescued-child record (kind=found)."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_kind_status", "kind", "status"),
        Index("ix_cases_district_status_kind", "district", "status", "kind"),
        # the counts beside a sex or age filter read these alone (9 ms, not an 80 ms table scan)
        Index("ix_cases_sex_kind_status", "sex", "kind", "status"),
        Index("ix_cases_age_kind_status", "age_years", "kind", "status"),
        # the register, newest first, with every filter-bar column: one ordered index scan
        Index(
            "ix_cases_register",
            "reported_on",
            "id",
            "kind",
            "status",
            "sex",
            "district",
            "age_years",
            "station_id",
        ),
        Index("ix_cases_name_latin_id", "name_latin", "id"),
        # a name search's matches in register order, and their counts, from this index
        # alone: no case row is read (and decrypted) just for its date
        Index("ix_cases_id_sort", "id", "reported_on", "kind", "status"),
    )
    id: Mapped[str] = _id()
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    district: Mapped[str] = mapped_column(String(120))
    reported_on: Mapped[dt.date] = mapped_column(Date)

    # the child
    name_latin: Mapped[str | None] = mapped_column(String(200))
    name_deva: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[str | None] = mapped_column(String(400))
    sex: Mapped[str] = mapped_column(String(1))  # filtered through ix_cases_register
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    age_years: Mapped[int | None] = mapped_column(Integer)
    age_is_estimate: Mapped[bool] = mapped_column(Boolean, default=True)
    height_cm: Mapped[int | None] = mapped_column(Integer)
    build: Mapped[str | None] = mapped_column(String(40))
    complexion: Mapped[str | None] = mapped_column(String(40))
    hair: Mapped[str | None] = mapped_column(String(80))
    eyes: Mapped[str | None] = mapped_column(String(80))
    identification_marks: Mapped[str | None] = mapped_column(Text)
    clothing: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str | None] = mapped_column(String(200))

    # missing-child report
    fir_number: Mapped[str | None] = mapped_column(String(40))
    fir_date: Mapped[dt.date | None] = mapped_column(Date)
    gd_number: Mapped[str | None] = mapped_column(String(40))
    gd_date: Mapped[dt.date | None] = mapped_column(Date)
    sections: Mapped[str | None] = mapped_column(String(200))
    last_seen_on: Mapped[dt.date | None] = mapped_column(Date)
    last_seen_time: Mapped[str | None] = mapped_column(String(5))
    last_seen_place: Mapped[str | None] = mapped_column(Text)
    circumstances: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(16), index=True)
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_relation: Mapped[str | None] = mapped_column(String(40))
    guardian_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    guardian_address: Mapped[str | None] = mapped_column(Text)
    investigating_officer: Mapped[str | None] = mapped_column(String(200))

    # found/rescued-child record
    found_on: Mapped[dt.date | None] = mapped_column(Date)
    found_place: Mapped[str | None] = mapped_column(Text)
    found_by: Mapped[str | None] = mapped_column(String(200))
    cci_name: Mapped[str | None] = mapped_column(String(200))
    cci_address: Mapped[str | None] = mapped_column(Text)
    cci_contact: Mapped[str | None] = mapped_column(String(20))
    cwc_order: Mapped[str | None] = mapped_column(String(200))

    # lifecycle details, copied from the latest event of each step
    located_state: Mapped[str | None] = mapped_column(String(80))
    located_place: Mapped[str | None] = mapped_column(Text)
    located_on: Mapped[dt.date | None] = mapped_column(Date)
    team_sent: Mapped[str | None] = mapped_column(Text)
    recovered_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    restored_on: Mapped[dt.date | None] = mapped_column(Date)
    restored_to: Mapped[str | None] = mapped_column(String(200))
    restored_relation: Mapped[str | None] = mapped_column(String(40))
    closed_reason: Mapped[str | None] = mapped_column(String(40))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    identified_as: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)

    station: Mapped[Station] = relationship(lazy="select")
    events: Mapped[list[LifecycleEvent]] = relationship(
        order_by="LifecycleEvent.seq", back_populates="case", lazy="selectin"
    )


class NameKey(Base):
    """Phonetic keys of a case's names (both scripts, aliases): the name search index."""

    __tablename__ = "name_keys"
    # a key's cases from the index alone, without reading the table's rows
    __table_args__ = (Index("ix_name_keys_key_case", "key", "case_id"),)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(40), primary_key=True)


class Photo(Base):
    """Photo metadata; the bytes live in the data folder under their SHA-256."""

    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    taken_on: Mapped[dt.date | None] = mapped_column(Date)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(80))


class LifecycleEvent(Base):
    """One lifecycle step: who moved the case, when, from where to where, with what details."""

    __tablename__ = "lifecycle_events"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    case: Mapped[Case] = relationship(back_populates="events")


class TracingEntry(Base):
    """What was done to trace the child (append-only: triggers refuse update and delete)."""

    __tablename__ = "tracing_entries"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    done_on: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class RiskAssessment(Base):
    """The SHO's risk assessment; each reassessment is a new row, the latest one counts."""

    __tablename__ = "risk_assessments"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessed_by: Mapped[str] = mapped_column(String(80))
    review_due: Mapped[dt.date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class MatchCandidate(Base):
    """A face-match lead between a missing and a found child (never an identification)."""

    __tablename__ = "match_candidates"
    __table_args__ = (UniqueConstraint("missing_photo_sha", "found_photo_sha"),)
    id: Mapped[str] = _id()
    missing_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    found_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    missing_photo_sha: Mapped[str] = mapped_column(String(64))
    found_photo_sha: Mapped[str] = mapped_column(String(64))
    distance: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(14), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class MatchVerdict(Base):
    __tablename__ = "match_verdicts"
    id: Mapped[str] = _id()
    candidate_id: Mapped[str] = mapped_column(ForeignKey("match_candidates.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(14))
    note: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who did what to which record, when, from which device; hash-chained row to row."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(80))
    device: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Meta(Base):
    """Small facts about this register: its own station, its device id."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FaceEmbedding(Base):
    """The 128-number face descriptor of one photo of a case, for one face model.

    `seq` (never reused: AUTOINCREMENT) lets the in-memory index pick up only rows newer than
    the ones it holds; `id` is the sync identity like every other table's. The vector is 128
    little-endian float32 (512 bytes); `box` is where the face is in the upright photo and
    `quality` the measures it passed (sharpness, yaw, eye distance) before it was stored.
    """

    __tablename__ = "face_embeddings"
    __table_args__ = (
        UniqueConstraint("photo_sha256", "case_id", "model"),
        {"sqlite_autoincrement": True},
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    photo_sha256: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    model: Mapped[str] = mapped_column(String(80))
    model_version: Mapped[str] = mapped_column(String(40))
    box: Mapped[dict[str, int]] = mapped_column(JSON)
    quality: Mapped[dict[str, Any]] = mapped_column(JSON)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Officer(Base):
    """An officer account on this register: argon2id password hash, role, lockout state."""

    __tablename__ = "officers"
    id: Mapped[str] = _id()
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CaseLink(Base):
    """A missing child's case and a found child's record that an officer confirmed are the
    same child (from a face-match verdict). Ended, never deleted, if the verdict is undone."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("missing_case_id", "found_case_id"),)
    id: Mapped[str] = _id()
    missing_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    found_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    candidate_id: Mapped[str | None] = mapped_column(ForeignKey("match_candidates.id"))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    linked_by: Mapped[str] = mapped_column(String(80))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_by: Mapped[str | None] = mapped_column(String(80))


from .sync import tables as _sync_tables  # noqa: E402,F401  (the sync tables join this metadata)
