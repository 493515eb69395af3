"""Which roles may try which measure commands.

Roles decide who may *try*; whether an approval is valid in law at that moment is the authority
service's answer (position, delegation order or acting record), recorded on the event.
"""

from __future__ import annotations

from domain.errors import NotPermitted
from domain.people import Role, User

_WORKERS = {Role.STAFF, Role.DIVISION_HEAD, Role.CLERK, Role.DEPUTY, Role.EXECUTIVE}
_MANAGERS = {Role.DIVISION_HEAD, Role.CLERK, Role.DEPUTY, Role.EXECUTIVE}

MEASURE_COMMANDS: dict[str, set[Role]] = {
    "submit": _WORKERS,
    "approve": _WORKERS,  # who may *try*; the authority service decides (domain/authority.py)
    "return": _WORKERS,
    "start": _WORKERS,
    "complete-step": _WORKERS,
    "complete": _MANAGERS,
    "disburse": _WORKERS,
    "correct-step": _MANAGERS,
    "reverse-disbursement": _MANAGERS,
    "report-result": _MANAGERS,
    "publish": {Role.CLERK, Role.DEPUTY, Role.EXECUTIVE},
    "could-not-proceed": _MANAGERS,
    "record-budget": _MANAGERS,
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
    "record-budget": "บันทึกงบประมาณที่อ่านจากแผนไม่ได้",
}


def check_may(user: User, command: str) -> None:
    if user.role not in MEASURE_COMMANDS[command]:
        raise NotPermitted(
            f"บทบาท '{user.role.thai}' ไม่มีสิทธิ์{COMMAND_THAI[command]}",
            f"role '{user.role.value}' may not {command}",
        )
