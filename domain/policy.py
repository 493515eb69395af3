"""Which roles may try which measure commands.

Roles decide who may *try*; the authority basis of an approval is recorded on the event. Until the
delegation module lands, approving and returning are the executive's own power (พ.ร.บ.เทศบาล
มาตรา 48 เตรส (3)).
"""

from __future__ import annotations

from typing import Any

from domain.errors import NotPermitted
from domain.people import Role, User

_WORKERS = {Role.STAFF, Role.DIVISION_HEAD, Role.CLERK, Role.DEPUTY, Role.EXECUTIVE}
_MANAGERS = {Role.DIVISION_HEAD, Role.CLERK, Role.DEPUTY, Role.EXECUTIVE}

MEASURE_COMMANDS: dict[str, set[Role]] = {
    "submit": _WORKERS,
    "approve": {Role.EXECUTIVE},
    "return": {Role.EXECUTIVE},
    "start": _WORKERS,
    "complete-step": _WORKERS,
    "complete": _MANAGERS,
    "disburse": _WORKERS,
    "correct-step": _MANAGERS,
    "reverse-disbursement": _MANAGERS,
    "report-result": _MANAGERS,
    "publish": {Role.CLERK, Role.DEPUTY, Role.EXECUTIVE},
    "could-not-proceed": _MANAGERS,
}

COMMAND_THAI = {
    "submit": "เสนอขออนุมัติ",
    "approve": "อนุมัติ",
    "return": "ส่งกลับแก้ไข",
    "start": "เริ่มดำเนินการ",
    "complete-step": "บันทึกขั้นตอน",
    "complete": "ปิดโครงการ",
    "disburse": "บันทึกการเบิกจ่าย",
    "correct-step": "แก้ไขการบันทึกขั้นตอน",
    "reverse-disbursement": "ยกเลิกรายการเบิกจ่าย",
    "report-result": "รายงานผล",
    "publish": "เผยแพร่",
    "could-not-proceed": "บันทึกว่าไม่สามารถดำเนินการได้",
}


def check_may(user: User, command: str) -> None:
    if user.role not in MEASURE_COMMANDS[command]:
        raise NotPermitted(
            f"บทบาท '{user.role.thai}' ไม่มีสิทธิ์{COMMAND_THAI[command]}",
            f"role '{user.role.value}' may not {command}",
        )


def approval_basis(user: User) -> dict[str, Any]:
    """The authority an approval rests on: for now, the position's own power."""
    return {
        "kind": "position",
        "role": user.role.value,
        "position": user.position,
        "law": "พ.ร.บ.เทศบาล พ.ศ. 2496 มาตรา 48 เตรส (3)",
    }
