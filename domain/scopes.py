"""What an order gives: scopes of power (power, action, unit, ceiling), how they nest, and backdating."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.delegation_commands import Action, Power
from domain.errors import InvalidInput
from domain.shapes import Scope
from domain.values import MAX_BAHT

ALL_UNITS = "*"


def unit_key(unit: str) -> str:
    return "".join(unit.split()).replace("สำนักงานปลัด", "สำนักปลัด")


def unit_covers(scope_unit: str, target_unit: str) -> bool:
    """``*`` covers every unit; otherwise the scope's unit must be named in the target's unit."""
    return scope_unit == ALL_UNITS or (bool(target_unit) and unit_key(scope_unit) in unit_key(target_unit))


def clean_scopes(scopes: list[dict[str, Any]]) -> list[Scope]:
    """Validate scopes: known power and action, a unit, a non-negative ceiling, no overlaps."""
    if not scopes:
        raise InvalidInput("ต้องระบุขอบเขตอำนาจอย่างน้อยหนึ่งรายการ", "at least one scope is required")
    cleaned = []
    for scope in scopes:
        try:
            power = Power(scope.get("power"))
            action = Action(scope.get("action"))
        except ValueError:
            raise InvalidInput(
                f"ขอบเขตอำนาจไม่ถูกต้อง: {scope}",
                f"unknown power or action in scope {scope} (powers: "
                f"{', '.join(p.value for p in Power)}; actions: {', '.join(a.value for a in Action)})",
            ) from None
        if action is Action.CONFER_POWER:
            raise InvalidInput(
                "อำนาจลงนามมอบอำนาจหรือแต่งตั้งผู้รักษาราชการแทนมอบต่อไม่ได้",
                "the power to confer power cannot itself be delegated",
            )
        unit = str(scope.get("unit") or ALL_UNITS).strip()
        ceiling = scope.get("ceiling_satang")
        if ceiling is not None and (
            not isinstance(ceiling, int) or isinstance(ceiling, bool) or not 0 <= ceiling < MAX_BAHT * 100
        ):
            raise InvalidInput(
                "วงเงินสูงสุดต้องเป็นจำนวนเต็มสตางค์ไม่ติดลบ", "the ceiling must be a non-negative integer in satang"
            )
        cleaned.append({"power": power.value, "action": action.value, "unit": unit, "ceiling_satang": ceiling})
    seen: dict[tuple[str, str], str] = {}
    for scope in cleaned:
        key = (scope["power"], scope["action"])
        other = seen.get(key)
        if other is not None and (
            other == scope["unit"] or ALL_UNITS in (other, scope["unit"]) or unit_covers(other, scope["unit"])
        ):
            raise InvalidInput(
                f"ขอบเขตอำนาจซ้ำซ้อนหรือขัดกัน: {scope['power']}/{scope['action']} หน่วยงาน {scope['unit']}",
                f"overlapping or contradictory scopes: {scope['power']}/{scope['action']} for unit {scope['unit']}",
            )
        seen[key] = scope["unit"]
    return cleaned


def scope_within(child: Scope, parents: list[Scope]) -> bool:
    """A sub-delegated scope may never be wider than one of its parent's scopes."""
    for parent in parents:
        if (parent["power"], parent["action"]) != (child["power"], child["action"]):
            continue
        if parent["unit"] != ALL_UNITS and (
            child["unit"] == ALL_UNITS or not unit_covers(parent["unit"], child["unit"])
        ):
            continue
        if parent["ceiling_satang"] is None:
            return True
        if child["ceiling_satang"] is not None and child["ceiling_satang"] <= parent["ceiling_satang"]:
            return True
    return False


def check_backdating(effective: date, signed_on: date, reason: str) -> str:
    """A record that confers power may take effect before the day it is signed only with a reason."""
    reason = (reason or "").strip()
    if effective < signed_on and not reason:
        raise InvalidInput(
            f"มีผลย้อนหลัง (ตั้งแต่ {effective.isoformat()} ก่อนวันลงนาม {signed_on.isoformat()}) ต้องระบุเหตุผล",
            f"takes effect in the past ({effective.isoformat()}, signed {signed_on.isoformat()}): a reason is required",
        )
    return reason
