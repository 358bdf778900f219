"""Object ids as clients send them: a plain database id or a Relay global id."""

from __future__ import annotations

from strawberry import relay

from directory.errors import ErrorCode, PublicError


def local_id(value: str, type_name: str, field: str = "id") -> int:
    """The database id inside `value`; INVALID_ID when it is malformed or of another type."""
    if value.isdigit():
        return int(value)
    try:
        gid = relay.GlobalID.from_id(value)
    except Exception:
        gid = None
    if gid is None or gid.type_name != type_name or not gid.node_id.isdigit():
        raise PublicError(ErrorCode.INVALID_ID, f"{value!r} is not the id of a {type_name}", field)
    return int(gid.node_id)
