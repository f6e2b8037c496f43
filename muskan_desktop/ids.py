"""Client-made ids: UUIDv7, time-ordered so new rows append to the index."""

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())


def station_id(code: str) -> str:
    """A station's id is derived from its code, so every laptop and the server agree on it
    without asking each other."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"muskan:station:{code}"))
