"""A procurement's stage and its catalogue of commands on the desk.

The notices themselves (plan entry to acceptance) are issued through ``Procurements.issue`` by kind;
each kind's own rules live on the aggregate (domain/procurement.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.catalogue import DESK, Catalogue, Command, choice, every_state, text, whole


class Stage(str, Enum):
    OPEN = "open"  # notices may still be issued
    CLOSED = "closed"  # the work was inspected and the outcome recorded
    CANCELLED = "cancelled"


STAGE_THAI = {Stage.OPEN: "ดำเนินการอยู่", Stage.CLOSED: "ตรวจรับเสร็จสิ้น", Stage.CANCELLED: "ยกเลิกแล้ว"}


class Channel(str, Enum):
    WEBSITE = "website"
    NOTICE_BOARD = "notice_board"
    OFFICIAL_LETTER = "official_letter"
    EGP = "egp"


CHANNEL_THAI = {
    Channel.WEBSITE: "เว็บไซต์",
    Channel.NOTICE_BOARD: "บอร์ดประกาศ",
    Channel.OFFICIAL_LETTER: "หนังสือราชการ",
    Channel.EGP: "ระบบ e-GP",
}


@dataclass(frozen=True, kw_only=True)
class PublicationInput:
    number: int = whole("ประกาศ", "Notice", minimum=1, options="notice_numbers")
    channel: Channel = choice("ช่องทาง", "Channel", labels=CHANNEL_THAI)
    reference: str = text("อ้างอิง (ลิงก์/เลขที่)", "Reference (link or number)", required=False, max_length=300)


@dataclass(frozen=True, kw_only=True)
class CancelInput:
    reason: str = text("เหตุผลที่ยกเลิก", "Reason for the cancellation", max_length=4000, lines=3)


PROCUREMENTS = Catalogue(
    aggregate="procurement",
    th="โครงการจัดซื้อจัดจ้าง",
    state_of=lambda p: p.stage,
    state_label=lambda s: STAGE_THAI[s],
    commands=(
        Command("publication", "บันทึกการเผยแพร่ประกาศ", "Record a notice's publication", DESK, every_state(Stage),
                PublicationInput, "publish", route="notices/{number}/publications",
                unless=None),
        Command("cancel", "ยกเลิกโครงการ", "Cancel the procurement", DESK, frozenset({Stage.OPEN}), CancelInput,
                "cancel", description="A signed cancellation notice: the authority service checks the signer."),
    ),
)  # fmt: skip
