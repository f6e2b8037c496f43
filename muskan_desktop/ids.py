"""Client-made ids: UUIDv7, time-ordered so new rows append to the index."""

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())
