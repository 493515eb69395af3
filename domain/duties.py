"""Segregation of duties: four eyes, and authority asked only when the record's state allows the act.

Commands that exercise or confer power take their authority basis lazily (a callable), so a refusal
comes in the order a person expects: a role that may never act (403), then a record that cannot
take the act in its current state (409), then whoever proposed the thing (403 four-eyes), and only
then the authority service (403 no-authority).
"""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import FourEyes
from domain.shapes import Actor, Basis, Person

LazyBasis = Basis | Callable[[], Basis]


def resolve(basis: LazyBasis) -> Basis:
    return basis() if callable(basis) else basis


def same_person(a: Actor | Person | None, b: Actor | Person | None) -> bool:
    return bool(a and b and a.get("username") and a.get("username") == b.get("username"))


def check_four_eyes(proposer: Actor | Person | None, actor: Actor | Person, what_th: str, what_en: str) -> None:
    """The one who proposed a thing never approves, signs or accepts that same thing."""
    if same_person(proposer, actor):
        raise FourEyes(
            f"ผู้เสนอเรื่องไม่อาจ{what_th}เรื่องของตนเองได้ (หลักสี่ตา) — ต้องเป็นผู้มีอำนาจคนอื่น",
            f"four eyes: whoever proposed this may not {what_en} it themselves — another holder of the power must",
            proposer=proposer.get("username") if proposer else None,
        )
