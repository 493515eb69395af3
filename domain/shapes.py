"""The shapes of the small values events carry: who acted, on what basis, over which scope.

Events store them as plain JSON objects (their stored form is part of the hash-chained log and may not
change), so they are typed as ``TypedDict``s: checked where they are built and read, stored as they are.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Person(TypedDict):
    """A named office holder in an order (delegator, delegate, acting, holder)."""

    username: str
    name: str
    position: str


class Actor(TypedDict, total=False):
    """Who did it, as recorded on every event (``User.as_actor``); the public has no ``user_id``."""

    user_id: str | None
    username: str
    name: str
    role: str
    position: str


class Scope(TypedDict):
    """One power an order gives (domain/scopes.py)."""

    power: str
    action: str
    unit: str
    ceiling_satang: int | None


# The authority basis an act was done under: {"kind": "position" | "delegation" | "acting", …} — its
# keys depend on the kind (domain/authority.py builds each), so it stays a mapping.
Basis = dict[str, Any]
