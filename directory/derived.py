"""What a write must keep up to date besides its own rows, in the same transaction.

The features that change agencies, their people and their qualifications call
`agencies_changed`; the data derived from them lives in features that themselves read
agencies and people (matching's per-agency facts), so the call goes through this composition
module rather than an import that would tie the features in a cycle.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


async def agencies_changed(agency_ids: Iterable[int | None]) -> None:
    """Recompute what is derived from these agencies (None: a person without an agency)."""
    from directory.matching.store import refresh

    await refresh(agency_ids)


async def agencies_created(agencies: Iterable[tuple[int, str, Collection[str]]]) -> None:
    """What is derived from agencies just created (id, description, field codes), with nobody
    there yet."""
    from directory.matching.store import write_new

    await write_new(list(agencies))
