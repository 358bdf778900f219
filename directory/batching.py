"""DataLoader factories: one query per batch of keys, built fresh for every request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Fetch = Callable[[list[K]], Awaitable[Iterable[tuple[K, V]]]]


def grouped_loader(fetch: Fetch[K, V]) -> DataLoader[K, list[V]]:
    """Each key maps to the list of values `fetch` pairs with it (possibly empty)."""

    async def load(keys: list[K]) -> list[list[V]]:
        groups: dict[K, list[V]] = defaultdict(list)
        for key, value in await fetch(keys):
            groups[key].append(value)
        return [groups.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


def keyed_loader(fetch: Fetch[K, V]) -> DataLoader[K, V | None]:
    """Each key maps to the one value `fetch` pairs with it, or None."""

    async def load(keys: list[K]) -> list[V | None]:
        found = dict(await fetch(keys))
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)
