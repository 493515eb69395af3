"""The complaint-handling guideline written from the workflow Prongsai enforces (ITA O27).

Every sentence follows from a setting or a rule the service applies: the channels it accepts, what a
complaint should say, the answer promise, the misconduct track and its appeal window, how a
complainant's identity is protected. :meth:`Guidelines.ensure` records a new version only when the
text would change, so the log shows when (and because of which configuration) it changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from application.store import Prongsai
from domain.complaint import INTAKE_THAI, MINOR_PENALTIES, SERIOUS_PENALTIES, Channel
from domain.complaint_commands import LEVEL_THAI, PENALTY_THAI, InquiryLevel, Penalty
from domain.errors import NotFound
from domain.guideline import ComplaintGuideline
from domain.people import SYSTEM_ACTOR
from domain.plan import Organisation
from domain.thai import to_thai_digits


def digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class Guidelines:
    def __init__(self, app: Prongsai, rules: Any, public_base_url: str = "") -> None:
        self.app = app
        self.rules = rules
        self.base = public_base_url.rstrip("/")

    def written(self, org_code: str) -> dict[str, Any]:
        """The guideline as today's configuration writes it (not yet recorded)."""
        organisation = self.app.find(Organisation, Organisation.create_id(org_code))
        if organisation is None:
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        r = self.rules
        n = to_thai_digits
        days = f"{n(str(r.answer_days))} {'วันทำการ' if r.working_days else 'วัน'}"
        channels = [INTAKE_THAI[c] for c in Channel if c is not Channel.REFERRAL]
        penalties = {level: [PENALTY_THAI[p] for p in Penalty if p in group] for level, group in (
            (InquiryLevel.MINOR, MINOR_PENALTIES), (InquiryLevel.SERIOUS, SERIOUS_PENALTIES))}  # fmt: skip
        penalty_text = "; ".join(f"{LEVEL_THAI[level]}: {', '.join(names)}" for level, names in penalties.items())
        form = f"{self.base}/p/{org_code}/complaint" if self.base else f"/p/{org_code}/complaint"
        track = f"{self.base}/track" if self.base else "/track"
        sections = [
            ("ช่องทางการร้องเรียน", [
                f"{organisation.name} รับเรื่องร้องเรียนทาง{' '.join(channels)}",
                f"แบบฟอร์มออนไลน์: {form} (เลือกประเภท 'ทุจริตและประพฤติมิชอบ' สำหรับเรื่องการทุจริต ซึ่งแยกจากเรื่องร้องทุกข์ทั่วไป)",
                "ร้องเรียนโดยไม่เปิดเผยชื่อได้ เรื่องที่รับทุกเรื่องได้รับเลขรับเรื่องและรหัสติดตาม",
            ]),
            ("สิ่งที่ควรระบุในเรื่องร้องเรียน", [
                "ชื่อ ที่อยู่ และหมายเลขโทรศัพท์ของผู้ร้องเรียน (เว้นแต่ประสงค์ไม่เปิดเผยชื่อ)",
                "ชื่อ ตำแหน่ง และสังกัดของผู้ถูกร้องเรียน",
                "ข้อเท็จจริงหรือพฤติการณ์ที่ร้องเรียนโดยชัดเจน พร้อมพยานหลักฐานหรือเอกสารประกอบ (ถ้ามี) "
                f"แนบไฟล์ได้ไม่เกิน {n(str(r.max_attachments))} ไฟล์",
            ]),
            ("ระยะเวลาการตอบ", [
                f"แจ้งผลหรือความคืบหน้าแก่ผู้ร้องภายใน {days} นับแต่วันรับเรื่อง",
                f"หากดำเนินการไม่แล้วเสร็จภายใน {days} จะชี้แจงเหตุผลเป็นลายลักษณ์อักษรให้ผู้ร้องทราบ",
                f"ผู้ร้องติดตามสถานะได้ด้วยตนเองด้วยรหัสติดตามที่ {track}",
            ]),
            ("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่", [
                "สืบสวนข้อเท็จจริง → หากมีมูล ตั้งคณะกรรมการสอบสวนทางวินัย (วินัยไม่ร้ายแรงหรือวินัยร้ายแรง) "
                "→ ผู้มีอำนาจสั่งลงโทษ → แจ้งผลแก่ผู้ร้อง",
                f"โทษทางวินัย — {penalty_text}",
                f"ผู้ถูกลงโทษอุทธรณ์ได้ภายใน {n(str(r.appeal_days))} วันนับแต่วันทราบคำสั่ง",
                "เรื่องร้องเรียนผู้บริหารท้องถิ่นหรือสมาชิกสภาท้องถิ่นส่งต่อหน่วยงานภายนอกที่มีอำนาจ "
                "(เช่น ผู้ว่าราชการจังหวัด ป.ป.ช. ป.ป.ท.) และแจ้งผู้ร้องทราบ",
            ]),
            ("การคุ้มครองผู้ร้องเรียน", [
                "ข้อมูลส่วนบุคคลของผู้ร้องและผู้ถูกร้องเก็บแบบเข้ารหัส ผู้ที่ได้รับมอบหมายเท่านั้นเปิดดูได้ "
                "โดยต้องระบุเหตุผล และทุกการเปิดดูถูกบันทึกไว้",
                "ไม่เปิดเผยชื่อผู้ร้องต่อผู้ถูกร้องเรียน",
                f"ข้อมูลส่วนบุคคลลบถาวรเมื่อพ้น {n(str(r.retention_days))} วัน ส่วนบันทึกการดำเนินการยังคงอยู่ให้ตรวจสอบได้",
            ]),
        ]  # fmt: skip
        return {
            "organisation": organisation.name,
            "configuration": {
                "answer_days": r.answer_days,
                "working_days": r.working_days,
                "appeal_days": r.appeal_days,
                "retention_days": r.retention_days,
                "max_attachments": r.max_attachments,
                "form_url": form,
                "tracking_url": track,
            },
            "sections": [{"heading": h, "paragraphs": p} for h, p in sections],
        }

    def ensure(self, org_code: str, actor: dict[str, Any] = SYSTEM_ACTOR) -> ComplaintGuideline:
        """Record the guideline if it was never recorded or the configuration changed its text."""
        content = self.written(org_code)
        guideline = self.app.find(ComplaintGuideline, ComplaintGuideline.create_id(org_code))
        if guideline is None:
            guideline = ComplaintGuideline(
                org_code=org_code, content=content, content_hash=digest(content), actor=actor
            )
        elif guideline.content_hash != digest(content):
            guideline.revise(content=content, content_hash=digest(content), actor=actor)
        else:
            return guideline
        self.app.commit(guideline)
        return guideline

    def as_of(self, org_code: str, at: datetime) -> tuple[ComplaintGuideline, int]:
        """The guideline in force at ``at`` and its version number."""
        guideline = self.app.as_of(ComplaintGuideline, ComplaintGuideline.create_id(org_code), at)
        if guideline is None:
            raise NotFound(
                "ยังไม่ได้ออกแนวปฏิบัติการจัดการเรื่องร้องเรียน ณ เวลานั้น",
                "no complaint guideline had been recorded by then (it is recorded when first published)",
            )
        return guideline, guideline.version
