"""Records and events in human terms: Thai (or English) labels, BE dates in Bangkok time, baht with
separators, names and positions — never enum names, ``None``, dicts or satang.

``show`` renders any value a record or an event carries (nested dicts and lists included) as escaped
HTML; ``rows`` lists a record's fields with their labels; ``timeline`` turns a record's history into what
happened, when, who did it and on what authority. A key or an event that has no label is collected in
``UNLABELLED`` so a test can name it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from markupsafe import Markup, escape

from domain.clock import BANGKOK
from domain.complaint import CATEGORY_THAI, INTAKE_THAI, Category
from domain.complaint import Channel as IntakeChannel
from domain.complaint_commands import (
    LEVEL_THAI,
    PENALTY_THAI,
    REJECT_THAI,
    STATE_THAI,
    InquiryLevel,
    Penalty,
    RejectReason,
    State,
)
from domain.delegation_commands import (
    ACTING_THAI,
    ACTION_THAI,
    POWER_THAI,
    STATUS_THAI,
    ActingStage,
    Action,
    DelegationStatus,
    Power,
)
from domain.measure_commands import NOT_PROCEED_THAI, BudgetState, NotProceedReason, Status
from domain.measure_commands import STATUS_THAI as MEASURE_THAI
from domain.obligations import KINDS as OBLIGATION_KINDS
from domain.obligations import STAGES as OBLIGATION_STAGES
from domain.obligations import stage_words
from domain.people import ROLE_THAI, Role
from domain.procurement import METHOD_THAI, NOTICE_THAI, Method
from domain.procurement_commands import CHANNEL_THAI, SOURCE_THAI, STAGE_THAI, Channel, ReferenceSource, Stage
from domain.red_flags import RULE_TITLES
from domain.suppliers import KIND_EN, KIND_THAI
from domain.thai import THAI_MONTHS, baht, thai_date

SUPPLIER_LISTS = {kind: (th, KIND_EN[kind]) for kind, th in KIND_THAI.items()}  # SupplierRegister.imports[…]["kind"]

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")  # fmt: skip

# Thai labels of every coded value, by its enum; English is the code made readable unless given here.
ENUM_THAI: dict[type[Enum], dict[Any, str]] = {
    Status: MEASURE_THAI,
    NotProceedReason: NOT_PROCEED_THAI,
    BudgetState: {s: s.thai for s in BudgetState},
    DelegationStatus: STATUS_THAI,
    ActingStage: ACTING_THAI,
    Power: POWER_THAI,
    Action: ACTION_THAI,
    Method: METHOD_THAI,
    Stage: STAGE_THAI,
    Channel: CHANNEL_THAI,
    ReferenceSource: SOURCE_THAI,
    State: STATE_THAI,
    RejectReason: REJECT_THAI,
    Penalty: PENALTY_THAI,
    InquiryLevel: LEVEL_THAI,
    Role: ROLE_THAI,
    Category: CATEGORY_THAI,
    IntakeChannel: INTAKE_THAI,
}
ENUM_ENGLISH: dict[type[Enum], dict[Any, str]] = {
    Status: {Status.PLANNED: "Planned (not yet submitted)", Status.SUBMITTED: "Submitted for approval",
             Status.RETURNED: "Returned for revision", Status.APPROVED: "Approved", Status.IN_PROGRESS: "In progress",
             Status.COMPLETED: "Completed", Status.RESULT_REPORTED: "Result reported", Status.PUBLISHED: "Published",
             Status.COULD_NOT_PROCEED: "Could not proceed"},
    DelegationStatus: {DelegationStatus.DRAFTED: "Draft (not signed)", DelegationStatus.ISSUED: "Signed",
                       DelegationStatus.CIRCULATED: "Circulated", DelegationStatus.PUBLISHED: "Published",
                       DelegationStatus.REVOKED: "Revoked"},
    ActingStage: {ActingStage.DRAFTED: "Draft (not signed)", ActingStage.SIGNED: "Signed", ActingStage.ENDED: "Ended"},
    Method: {Method.E_BIDDING: "e-bidding", Method.E_MARKET: "e-market", Method.SELECTIVE: "Selective",
             Method.SPECIFIC: "Specific (direct)"},
    Channel: {Channel.WEBSITE: "Website", Channel.NOTICE_BOARD: "Notice board",
              Channel.OFFICIAL_LETTER: "Official letter", Channel.EGP: "e-GP"},
}  # fmt: skip
# Where a misconduct case stands on its disciplinary track (Complaint.discipline["stage"]).
DISCIPLINE_STAGES = {
    "fact_finding": ("อยู่ระหว่างสืบสวนข้อเท็จจริง", "Fact-finding"),
    "no_substance": ("ไม่มีมูล", "No substance"),
    "substance": ("มีมูล รอตั้งคณะกรรมการสอบสวน", "Has substance, inquiry to open"),
    "inquiry": ("อยู่ระหว่างสอบสวน", "Inquiry"),
    "found_guilty": ("ผลสอบสวน: ผิดวินัย", "Found guilty"),
    "found_not_guilty": ("ผลสอบสวน: ไม่ผิดวินัย", "Found not guilty"),
    "appeal_window": ("สั่งลงโทษแล้ว อยู่ในระยะอุทธรณ์", "Decided, within the appeal window"),
    "appealed": ("อยู่ระหว่างอุทธรณ์", "Appealed"),
    "final": ("ถึงที่สุด", "Final"),
}
# What a plan item is (the plan's own words: โครงการ, กิจกรรม, มาตรการ).
ITEM_KINDS = {"project": ("โครงการ", "Project"), "activity": ("กิจกรรม", "Activity"), "measure": ("มาตรการ", "Measure")}
# What a complaint's notices to the complainant are (Complaint.notices[…]["kind"]).
CASE_NOTICES = {
    "acknowledgement": ("แจ้งตอบรับ", "Acknowledgement"),
    "progress": ("ความคืบหน้า", "Progress"),
    "delay-explanation": ("ชี้แจงความล่าช้า", "Delay explanation"),
    "answer": ("ตอบผล", "Answer"),
    "rejection": ("ไม่รับพิจารณา", "Rejection"),
    "referral": ("ส่งต่อหน่วยงานภายนอก", "Referral"),
    "objection": ("ผู้ร้องโต้แย้งผล", "Objection by the complainant"),
}
# Keys whose string values are codes of one of these enums (in events, which store plain values).
CODED: dict[str, tuple[type[Enum], ...]] = {
    "status": (Status, DelegationStatus),
    "stage": (ActingStage, Stage),
    "state": (State,),
    "power": (Power,),
    "action": (Action,),
    "method": (Method,),
    "channel": (Channel, IntakeChannel),
    "source": (ReferenceSource,),
    "penalty": (Penalty,),
    "level": (InquiryLevel,),
    "role": (Role,),
    "accused_role": (Role,),
    "holder_role": (Role,),
    "category": (Category,),
    "via": (IntakeChannel,),
    "reason": (RejectReason, NotProceedReason),
    "rejected": (RejectReason,),
    "budget_state": (BudgetState,),
}

# The label of every field a record or an event shows.
FIELDS: dict[str, tuple[str, str]] = {
    "accepted": ("ผลการตรวจรับ", "Accepted"),
    "accused_role": ("ผู้ถูกร้องเป็น", "The accused is"),
    "accused": ("ผู้ถูกร้อง", "The accused"),
    "complainant": ("ผู้ร้อง", "The complainant"),
    "phone": ("โทรศัพท์", "Phone"),
    "address": ("ที่อยู่", "Address"),
    "attachment": ("ไฟล์แนบ", "Attachment"),
    "email": ("อีเมล", "E-mail"),
    "fields": ("ข้อมูลที่เปิดดู", "Data read"),
    "acknowledgements": ("การรับทราบ", "Acknowledgements"),
    "acting": ("ผู้รักษาราชการแทน", "Acting holder"),
    "action": ("เรื่อง", "Action"),
    "actions_count": ("จำนวนครั้งที่ใช้อำนาจ", "Times used"),
    "actual": ("ผลที่ได้", "Actual"),
    "agency": ("หน่วยงานที่ส่งต่อ", "Agency referred to"),
    "agreed_satang": ("ราคาที่ตกลง", "Agreed price"),
    "allocation_satang": ("งบประมาณ", "Budget"),
    "amount_satang": ("จำนวนเงิน", "Amount"),
    "ordinance": ("เทศบัญญัติงบประมาณ", "Budget ordinance"),
    "budget_source": ("แหล่งที่มาของงบประมาณ", "Budget source"),
    "district": ("อำเภอ", "District"),
    "province": ("จังหวัด", "Province"),
    "announced_on": ("วันที่ประกาศ", "Announced on"),
    "anonymous": ("ไม่ระบุตัวตน", "Anonymous"),
    "answer": ("คำตอบ", "Answer"),
    "answered_on": ("วันที่ตอบ", "Answered on"),
    "appeal_until": ("อุทธรณ์ได้ถึง", "Appeal until"),
    "appeal": ("คำอุทธรณ์", "Appeal"),
    "approval": ("การอนุมัติ", "Approval"),
    "area": ("พื้นที่", "Area"),
    "at": ("เมื่อ", "At"),
    "attachments": ("เอกสารแนบ", "Attachments"),
    "attendance": ("การเข้าร่วม", "Attendance"),
    "backdate_reason": ("เหตุผลที่มีผลย้อนหลัง", "Reason for taking effect in the past"),
    "basis": ("ฐานอำนาจ", "Authority basis"),
    "bidders": ("ผู้เสนอราคา", "Bidders"),
    "budget_recorded": ("งบประมาณที่บันทึก", "Budget recorded"),
    "budget_satang": ("วงเงินงบประมาณ", "Budget"),
    "budgets": ("งบประมาณตามแผน (บาท)", "Budget in the plan (baht)"),
    "by": ("โดย", "By"),
    "cancelled": ("การยกเลิก", "Cancellation"),
    "case_no": ("เลขที่เรื่อง", "Case number"),
    "category": ("ประเภท", "Category"),
    "ceiling_satang": ("วงเงินสูงสุด", "Ceiling"),
    "channel": ("ช่องทาง", "Channel"),
    "channels": ("ช่องทางที่เผยแพร่", "Published through"),
    "closes_on": ("ปิดรับข้อเสนอ", "Closes on"),
    "code": ("รหัส", "Code"),
    "committee": ("คณะกรรมการ", "Committee"),
    "community": ("ชุมชน", "Community"),
    "completed_on": ("วันที่แล้วเสร็จ", "Completed on"),
    "contract": ("สัญญา", "Contract"),
    "date": ("วันที่", "Date"),
    "delay_explained": ("ชี้แจงความล่าช้าแล้ว", "Delay explained"),
    "delegate": ("ผู้รับมอบอำนาจ", "Delegate"),
    "delegator": ("ผู้มอบอำนาจ", "Delegator"),
    "description": ("รายละเอียด", "Description"),
    "details": ("รายละเอียด", "Details"),
    "dimension": ("มิติ", "Dimension"),
    "disbursed_satang": ("เบิกจ่ายแล้ว", "Disbursed"),
    "disbursements": ("การเบิกจ่าย", "Disbursements"),
    "discipline": ("ขั้นตอนทางวินัย", "Disciplinary track"),
    "disclosed_to": ("เปิดเผยตัวผู้ร้องแก่", "Identity disclosed to"),
    "document": ("เอกสาร", "Document"),
    "drafted_by": ("ผู้ร่าง", "Drafted by"),
    "due_on": ("ครบกำหนดตอบ", "Answer due"),
    "effective_from": ("มีผลตั้งแต่", "Effective from"),
    "ended_by": ("ผู้สั่งสิ้นสุด", "Ended by"),
    "ends": ("สิ้นสุด", "Ends"),
    "erased": ("ลบข้อมูลส่วนบุคคลแล้ว", "Personal data erased"),
    "evidence": ("หลักฐาน", "Evidence"),
    "fact_finder": ("ผู้สืบสวน", "Fact-finder"),
    "fact_finding": ("การสืบสวนข้อเท็จจริง", "Fact-finding"),
    "fewer_invited_reason": ("เหตุผลที่เชิญน้อยกว่ากำหนด", "Reason for inviting fewer"),
    "finding": ("ผลการสอบสวน", "Finding"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "for": ("แทน", "On behalf of"),
    "guilty": ("ผิดวินัย", "Guilty"),
    "has_substance": ("มีมูล", "Has substance"),
    "holder": ("ผู้ดำรงตำแหน่ง", "Office holder"),
    "holder_role": ("ตำแหน่งที่รักษาการ", "Office"),
    "index": ("รายการที่", "Item"),
    "inspect_on": ("วันที่ตรวจรับ", "Inspection date"),
    "inspection": ("การตรวจรับ", "Inspection"),
    "invitation": ("การเชิญชวน", "Invitation"),
    "invited": ("ผู้ได้รับเชิญ", "Invited"),
    "issued_on": ("วันที่ลงนาม", "Signed on"),
    "kind": ("ประเภท", "Kind"),
    "kpi_actuals": ("ผลตามตัวชี้วัด", "KPI actuals"),
    "kpis": ("ตัวชี้วัด", "KPIs"),
    "law": ("อาศัยอำนาจตาม", "Under"),
    "level": ("ระดับ", "Level"),
    "link": ("ลิงก์", "Link"),
    "location": ("สถานที่", "Location"),
    "met": ("บรรลุเป้าหมาย", "Target met"),
    "method": ("วิธีจัดหา", "Method"),
    "mission": ("ภารกิจ", "Mission"),
    "month": ("เดือน", "Month"),
    "name": ("ชื่อ", "Name"),
    "no": ("ลำดับ", "No."),
    "no_budget": ("ไม่ใช้งบประมาณ", "No budget"),
    "not_proceed": ("ไม่สามารถดำเนินการได้", "Could not proceed"),
    "note": ("หมายเหตุ", "Note"),
    "notices": ("ประกาศ", "Notices"),
    "number": ("เลขที่", "Number"),
    "objectives": ("วัตถุประสงค์", "Objectives"),
    "organisation_name": ("ชื่อหน่วยงาน", "Organisation"),
    "org_codes": ("หน่วยงาน", "Organisations"),
    "plan_keys": ("แผนปฏิบัติการ", "Plans"),
    "fiscal_years": ("ปีงบประมาณ", "Fiscal years"),
    "dimensions": ("มิติ", "Dimensions"),
    "missions": ("ภารกิจ", "Missions"),
    "item_codes": ("รหัสโครงการในแผน", "Item codes"),
    "content_hash": ("ค่าแฮชของเอกสารแผน", "Hash of the plan document"),
    "corrections": (
        "การแก้ไขด้วยมือ (โครงการ ช่อง ค่าที่อ่าน ค่าที่พิมพ์ บรรทัด เหตุผล)",
        "Corrections by hand (item, field, value read, value typed, line, reason)",
    ),
    "revision": ("ฉบับแก้ไขที่", "Revision"),
    "display_name": ("ชื่อ", "Name"),
    "active": ("ใช้งานอยู่", "Active"),
    "observers": ("ผู้สังเกตการณ์", "Observers"),
    "officer": ("ผู้รับผิดชอบ", "Officer"),
    "opens_on": ("เปิดรับข้อเสนอ", "Opens on"),
    "order_date": ("ลงวันที่", "Order date"),
    "order_no": ("เลขที่คำสั่ง", "Order number"),
    "outcome": ("ผลสุดท้าย", "Outcome"),
    "penalty": ("โทษ", "Penalty"),
    "period": ("ระยะเวลา", "Period"),
    "personal_fields": ("ข้อมูลส่วนบุคคลที่เข้ารหัสไว้", "Encrypted personal data"),
    "place": ("สถานที่", "Place"),
    "planned": ("แผนการจัดซื้อจัดจ้าง", "Procurement plan"),
    "planned_month": ("เดือนที่คาดว่าจะประกาศ", "Planned month"),
    "position": ("ตำแหน่ง", "Position"),
    "power": ("อำนาจ", "Power"),
    "price_satang": ("ราคา", "Price"),
    "project_no": ("เลขที่โครงการ (e-GP)", "Project number (e-GP)"),
    "public": ("แจ้งผู้ร้อง", "Shown to the complainant"),
    "published": ("การเผยแพร่", "Publication"),
    "published_on": ("วันที่เผยแพร่", "Published on"),
    "reason": ("เหตุผล", "Reason"),
    "received_on": ("วันที่รับเรื่อง", "Received on"),
    "recipients": ("ผู้รับแจ้งเวียน", "Recipients"),
    "reference": ("อ้างอิง", "Reference"),
    "referral": ("การส่งต่อ", "Referral"),
    "registered_by": ("ผู้บันทึกโครงการ", "Registered by"),
    "rejected": ("ไม่รับพิจารณา", "Rejected"),
    "remarks": ("ข้อสังเกต", "Remarks"),
    "reports": ("รายงานประจำเดือน", "Monthly reports"),
    "responsible_unit": ("หน่วยงานรับผิดชอบ", "Responsible unit"),
    "result": ("ผลการดำเนินงาน", "Result"),
    "return_reason": ("เหตุผลที่ส่งกลับ", "Reason returned"),
    "revocation_reason": ("เหตุผลที่เพิกถอน", "Reason revoked"),
    "revoked_at": ("เพิกถอนเมื่อ", "Revoked at"),
    "role": ("บทบาท", "Role"),
    "scope": ("ขอบเขตอำนาจ", "Scope"),
    "scope_version": ("ฉบับของขอบเขต", "Scope version"),
    "scope_versions": ("ขอบเขตอำนาจ (ตามฉบับ)", "Scopes (by version)"),
    "scopes": ("ขอบเขตอำนาจ", "Scopes"),
    "sha256": ("ค่าแฮช SHA-256", "SHA-256"),
    "signature": ("การลงนาม", "Signature"),
    "signed_on": ("วันที่ลงนาม", "Signed on"),
    "signer": ("ผู้ลงนาม", "Signed by"),
    "source": ("ที่มาของราคากลาง", "Source"),
    "specific_ground": ("เหตุผลการใช้วิธีเฉพาะเจาะจง", "Ground for the specific method"),
    "stage": ("ขั้นตอน", "Stage"),
    "started_on": ("วันที่เริ่ม", "Started on"),
    "starts": ("เริ่ม", "Starts"),
    "state": ("สถานะ", "State"),
    "status": ("สถานะ", "Status"),
    "step_no": ("ขั้นตอนที่", "Step"),
    "steps": ("ขั้นตอนการดำเนินงาน", "Method steps"),
    "steps_done": ("ขั้นตอนที่ทำแล้ว", "Steps done"),
    "sub_delegation_allowed": ("มอบอำนาจต่อได้", "May sub-delegate"),
    "sub_mission": ("ภารกิจย่อย", "Sub-mission"),
    "subject": ("เรื่อง", "Subject"),
    "submitted_by": ("ผู้เสนอ", "Submitted by"),
    "summary": ("สรุป", "Summary"),
    "target": ("เป้าหมาย", "Target"),
    "targets": ("เป้าหมาย", "Targets"),
    "text": ("ข้อความ", "Text"),
    "time": ("เวลา", "Time"),
    "title": ("ชื่อเอกสาร", "Title"),
    "unit": ("หน่วยงาน", "Unit"),
    "valid_from": ("มีผลตั้งแต่", "Valid from"),
    "valid_until": ("สิ้นสุด", "Valid until"),
    "version": ("ฉบับที่", "Version"),
    "via": ("ผ่าน", "Via"),
    "warnings": ("ข้อเตือน", "Warnings"),
    "winner": ("ผู้ชนะ", "Winner"),
    # red flags (domain/red_flags.py): the rule, what it saw, the signer's note
    "acknowledgement": ("บันทึกรับทราบของผู้ลงนาม", "Signer's acknowledgement"),
    "message_th": ("ข้อความ", "Message"),
    "minimum": ("ขั้นต่ำ", "Minimum"),
    "numbers": ("ตัวเลขที่ตรวจพบ", "Figures seen"),
    "red_flags": ("ข้อสังเกต (red flag)", "Red flags"),
    # reminders (domain/obligations.py): what was sent, to whom, when and why
    "sent": ("การแจ้งเตือนที่ส่งแล้ว", "Notices sent"),
    "to": ("ผู้รับแจ้ง", "Sent to"),
    "updates_by_email": ("ผู้ร้องขอรับแจ้งความคืบหน้าทางอีเมล", "Updates by e-mail to the complainant"),
    "on": ("วันที่แจ้ง", "Sent on"),
    # imported facts about firms (domain/suppliers.py): addresses and directors are keyed digests
    "companies": ("ข้อมูลนิติบุคคล (ตามเลขประจำตัวผู้เสียภาษี)", "Company facts (by tax id)"),
    "debarred": ("บัญชีรายชื่อผู้ทิ้งงาน", "Debarment list"),
    "directors": ("กรรมการ (ค่าที่เข้ารหัสเพื่อเทียบกัน)", "Directors (keyed digests, to compare)"),
    "file_name": ("ชื่อไฟล์", "File name"),
    "imported_on": ("นำเข้าเมื่อ", "Imported on"),
    "imports": ("การนำเข้า", "Imports"),
    "listed_on": ("วันที่แจ้งเวียน", "Circulated on"),
    "rows": ("จำนวนรายการ", "Rows"),
    "tax_id": ("เลขประจำตัวผู้เสียภาษี", "Tax id"),
    "reference_satang": ("ราคากลาง", "Reference price"),
    "rule": ("กฎ", "Rule"),
    "share": ("สัดส่วน", "Share"),
    "threshold": ("เกณฑ์", "Threshold"),
    "spread": ("ส่วนต่างราคา", "Spread"),
    "prices_satang": ("ราคาที่เสนอ", "Prices bid"),
    "wins": ("จำนวนครั้งที่ชนะ", "Wins"),
    "days": ("จำนวนวัน", "Days"),
}
# Never shown: identifiers, keys and ciphertexts (their presence is told in other words where it matters).
HIDDEN = frozenset({
    "id", "org_code", "plan_key", "measure_id", "parent_id", "user_id", "username", "keys", "idempotency_key",
    "personal", "tracking_hash", "delegation_id", "acting_id", "parents", "message_en", "code_en", "allowed_actions",
    "created_on", "modified_on", "legacy_token_hash", "legacy_password_hash", "key", "obligation", "record_id",
    "recipient",
})  # fmt: skip
UNLABELLED: set[str] = set()
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
YES_NO = {"th": ("ใช่", "ไม่ใช่"), "en": ("Yes", "No")}
NOTHING = "—"


def label(key: str, lang: str) -> str:
    if key in FIELDS:
        th, en = FIELDS[key]
        return en if lang == "en" else th
    if MONTH.match(key):
        return month_name(key, lang)
    if not re.fullmatch(r"[a-z]+(_[a-z]+)+|[a-z]{3,}", key):
        return key  # a number, a year, a unit's name: already human
    UNLABELLED.add(key)
    return key.replace("_", " ")


def enum_label(member: Enum, lang: str) -> str:
    if lang == "en":
        english = ENUM_ENGLISH.get(type(member), {}).get(member)
        return english or str(member.value).replace("_", " ").replace("-", " ").capitalize()
    return ENUM_THAI.get(type(member), {}).get(member) or str(member.value)


DOCUMENTS = {
    "procurement-plan": ("แผนการจัดซื้อจัดจ้าง", "Annual procurement plan"),
    "procurement-notices": ("ประกาศเกี่ยวกับการจัดซื้อจัดจ้าง", "Procurement notices"),
    "procurement-summary": ("สรุปผลการจัดซื้อจัดจ้างรายเดือน (สขร.๑)", "Monthly procurement summary (สขร.๑)"),
    "procurement-annual": ("รายงานผลการจัดซื้อจัดจ้างประจำปี", "Annual procurement report"),
    "complaint-guideline": ("แนวปฏิบัติการจัดการเรื่องร้องเรียน", "Complaint-handling guideline"),
    "complaint-channels": ("ช่องทางแจ้งเรื่องร้องเรียนการทุจริต", "Channels for corruption complaints"),
    "complaint-statistics": ("สถิติเรื่องร้องเรียน", "Complaint statistics"),
    "anti-corruption-plan": ("แผนปฏิบัติการป้องกันการทุจริต", "The anti-corruption plan"),
    "plan-progress": ("รายงานผลการดำเนินงานตามแผน", "Plan progress report"),
    "eplan": ("ข้อมูลสำหรับระบบ e-Plan", "e-Plan export"),
    "delegation-compliance": ("รายงานการใช้อำนาจตามคำสั่งมอบอำนาจ", "Delegation compliance"),
}
PAGES = {
    "procurement-register": ("ทะเบียนประกาศจัดซื้อจัดจ้าง", "Register of procurement notices"),
    "misconduct-form": ("แบบฟอร์มร้องเรียนการทุจริต", "Corruption complaint form"),
    "plan": ("หน้าแผนปฏิบัติการ", "The plan's page"),
}
ROUND_PERIOD = re.compile(r"^(\d{4})-r(6|12)$")


def period_text(value: str, lang: str) -> str | None:
    """A report period: a BE fiscal year (2562), a round (2562-r6) or a month (2019-06)."""
    if value.isdigit() and len(value) == 4:
        return f"FY {value} (BE)" if lang == "en" else f"ปีงบประมาณ {value}"
    found = ROUND_PERIOD.match(value)
    if found:
        year, months = found.groups()
        return f"FY {year} (BE), {months}-month round" if lang == "en" else f"ปีงบประมาณ {year} รอบ {months} เดือน"
    return month_name(value, lang) if MONTH.match(value) else None


def code_label(key: str, value: str, lang: str) -> str | None:
    for table, wanted in ((DOCUMENTS, "document"), (PAGES, "page")):
        if key == wanted and value in table:
            th, en = table[value]
            return en if lang == "en" else th
    if key == "period":
        return period_text(value, lang)
    for enum in CODED.get(key, ()):
        try:
            return enum_label(enum(value), lang)
        except ValueError:
            continue
    if key == "stage" and value in DISCIPLINE_STAGES:
        th, en = DISCIPLINE_STAGES[value]
        return en if lang == "en" else th
    if key == "stage" and (value in OBLIGATION_STAGES or value.startswith("due-soon-")):  # a reminder's stage
        th, en = stage_words(value)
        days = value.removeprefix("due-soon-") if value.startswith("due-soon-") else ""
        return (
            (f"{en} ({days} days before)" if lang == "en" else f"{th} (ล่วงหน้า {days} วัน)")
            if days
            else (en if lang == "en" else th)
        )
    if key == "kind" and value in OBLIGATION_KINDS:
        th, en = OBLIGATION_KINDS[value]
        return en if lang == "en" else th
    if key == "kind" and value in ITEM_KINDS:
        th, en = ITEM_KINDS[value]
        return en if lang == "en" else th
    if key == "kind" and value in CASE_NOTICES:
        th, en = CASE_NOTICES[value]
        return en if lang == "en" else th
    if key == "kind" and value in NOTICE_THAI:
        return NOTICE_THAI[value] if lang == "th" else value.replace("_", " ").capitalize()
    if key == "kind" and value in SUPPLIER_LISTS:
        th, en = SUPPLIER_LISTS[value]
        return en if lang == "en" else th
    if key in ("rule", "code") and value in RULE_TITLES:  # a red flag's rule (a warning's code is the same)
        th, en = RULE_TITLES[value]
        return en if lang == "en" else th
    return None


def month_name(month: str, lang: str) -> str:
    year, number = MONTH.match(month).groups()  # type: ignore[union-attr]
    if lang == "en":
        return f"{ENGLISH_MONTHS[int(number) - 1]} {year}"
    return f"{THAI_MONTHS[int(number) - 1]} {int(year) + 543}"


def day_text(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year + 543} BE"
    return thai_date(day, thai_digits=False)


def moment_text(moment: datetime, lang: str) -> str:
    local = moment.astimezone(BANGKOK)
    return f"{day_text(local.date(), lang)} {local:%H:%M}" + (" (Bangkok)" if lang == "en" else " น.")


def money_text(satang: int | None, lang: str) -> str:
    if satang is None:
        return NOTHING
    return f"{baht(satang)} {'baht' if lang == 'en' else 'บาท'}"


def is_person(value: Any) -> bool:
    return isinstance(value, dict) and "name" in value and ("position" in value or "role" in value)


def person_text(value: dict[str, Any], lang: str) -> str:
    position = value.get("position") or ""
    if not position and value.get("role"):
        position = code_label("role", str(value["role"]), lang) or ""
    return f"{value.get('name') or NOTHING}" + (f" ({position})" if position else "")


def basis_text(basis: dict[str, Any], lang: str) -> str:
    kind = basis.get("kind")
    en = lang == "en"
    if kind == "position":
        return f"{'own power as' if en else 'อำนาจตามตำแหน่ง'} {basis.get('position') or ''}".strip()
    if kind == "delegation":
        by = basis.get("delegator")
        text = f"{'delegation order' if en else 'คำสั่งมอบอำนาจที่'} {basis.get('order_no', '')}"
        return text + (f" ({'from' if en else 'ผู้มอบ'} {person_text(by, lang)})" if is_person(by) else "")
    if kind == "acting":
        holder = basis.get("for")
        text = f"{'acting for' if en else 'รักษาราชการแทน'} {person_text(holder, lang) if is_person(holder) else ''}"
        text += f" {'under order' if en else 'ตามคำสั่งที่'} {basis.get('order_no', '')}"
        via = basis.get("via")
        return text + (f" · {basis_text(via, lang)}" if isinstance(via, dict) else "")
    return ""


def scope_text(scope: dict[str, Any], lang: str) -> str:
    power = code_label("power", str(scope.get("power")), lang) or scope.get("power")
    action = code_label("action", str(scope.get("action")), lang) or scope.get("action")
    unit = scope.get("unit")
    unit_text = ("every unit" if lang == "en" else "ทุกหน่วยงาน") if unit in ("*", None, "") else unit
    ceiling = scope.get("ceiling_satang")
    limit = f", {'up to' if lang == 'en' else 'วงเงินไม่เกิน'} {money_text(ceiling, lang)}" if ceiling is not None else ""
    return f"{power}: {action} ({unit_text}){limit}"


def text_of(value: Any, key: str, lang: str) -> str | None:
    """A value that reads as one line, or None when it needs a structure."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        yes, no = YES_NO[lang]
        return yes if value else no
    if isinstance(value, Enum):
        return enum_label(value, lang)
    if isinstance(value, datetime):
        return moment_text(value, lang)
    if isinstance(value, date):
        return day_text(value, lang)
    if isinstance(value, int) and (key.endswith("_satang") or key == "amount"):
        return money_text(value, lang)
    if isinstance(value, int | float) and key.isdigit() and len(key) == 4:  # a plan's budget for a BE year
        return f"{value:,}"
    if isinstance(value, int | float):
        return f"{value:,}" if abs(value) >= 10_000 and key not in ("version", "no", "step_no") else str(value)
    if isinstance(value, str):
        coded = code_label(key, value, lang)
        if coded is not None:
            return coded
        if ISO_MOMENT.match(value):
            try:
                return moment_text(datetime.fromisoformat(value), lang)
            except ValueError:
                return value
        if ISO_DAY.match(value):
            try:
                return day_text(date.fromisoformat(value), lang)
            except ValueError:
                return value
        if MONTH.match(value):
            return month_name(value, lang)
        return value
    if is_person(value):
        return person_text(value, lang)
    if isinstance(value, dict) and value.get("kind") in ("position", "delegation", "acting"):
        return basis_text(value, lang)
    if isinstance(value, dict) and {"power", "action"} <= value.keys():
        return scope_text(value, lang)
    if key in ("fields", "personal_fields") and isinstance(value, list):  # "complainant.name" → ผู้ร้อง: ชื่อ
        return ", ".join(": ".join(label(part, lang) for part in str(v).split(".")) for v in value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(text_of(v, key, lang) or "" for v in value)
    return None


def show(value: Any, key: str = "", lang: str = "th") -> Markup:
    """Any value as escaped HTML in human terms; dicts become definition lists, lists become lists."""
    line = text_of(value, key, lang)
    if line is not None:
        return escape(line)
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if str(k) not in HIDDEN]
        if key == "sent":  # a reminders record: {notice key: notice}, shown as the notices
            return show(list(value.values()), "notices_sent", lang)
        if key == "channels":  # {channel code: publication}
            return Markup(", ").join(escape(code_label("channel", str(k), lang) or k) for k, _ in items)
        parts = [Markup("<dt>{}</dt><dd>{}</dd>").format(label(str(k), lang), show(v, str(k), lang)) for k, v in items]
        return Markup('<dl class="kv">') + Markup("").join(parts) + Markup("</dl>")
    if isinstance(value, list | tuple):
        parts = [Markup("<li>{}</li>").format(show(v, key, lang)) for v in value]
        return Markup("<ul>") + Markup("").join(parts) + Markup("</ul>")
    return escape(str(value))


def rows(record: Any, lang: str, hide: frozenset[str] = frozenset()) -> list[tuple[str, Markup]]:
    """A record's fields in order, labelled, skipping identifiers and what the page shows elsewhere."""
    out = []
    for key, value in vars(record).items():
        if key.startswith("_") or key in HIDDEN or key in hide:
            continue
        out.append((label(key, lang), show(value, key, lang)))
    return out


# -- events ------------------------------------------------------------------------------------

EVENTS: dict[str, tuple[str, str]] = {
    "Measure.Planned": ("บรรจุในแผน", "Entered in the plan"),
    "Measure.SubmittedForApproval": ("เสนอขออนุมัติ", "Submitted for approval"),
    "Measure.Approved": ("อนุมัติ", "Approved"),
    "Measure.Returned": ("ส่งกลับแก้ไข", "Returned for revision"),
    "Measure.Started": ("เริ่มดำเนินการ", "Started"),
    "Measure.StepCompleted": ("บันทึกขั้นตอนที่ทำแล้ว", "Step completed"),
    "Measure.Completed": ("ปิดโครงการ", "Completed"),
    "Measure.DisbursementRecorded": ("บันทึกการเบิกจ่าย", "Disbursement recorded"),
    "Measure.StepCorrected": ("แก้ไขการบันทึกขั้นตอน", "Step record corrected"),
    "Measure.DisbursementReversed": ("ยกเลิกรายการเบิกจ่าย", "Disbursement reversed"),
    "Measure.ResultReported": ("รายงานผล", "Result reported"),
    "Measure.Published": ("เผยแพร่ต่อสาธารณะ", "Published"),
    "Measure.CouldNotProceed": ("บันทึกว่าไม่สามารถดำเนินการได้", "Declared unable to proceed"),
    "Measure.BudgetRecorded": ("บันทึกงบประมาณ", "Budget recorded"),
    "Measure.OrdinanceBudgetRecorded": ("บันทึกงบประมาณตามเทศบัญญัติ", "Ordinance budget recorded"),
    "Measure.PlanDetailsRevised": ("ปรับรายละเอียดตามแผนฉบับแก้ไข", "Details revised with the plan"),
    "Delegation.Drafted": ("ร่างคำสั่ง", "Order drafted"),
    "Delegation.Signed": ("ลงนามคำสั่ง", "Order signed"),
    "Delegation.Issued": ("ลงนามคำสั่ง (บันทึกก่อนมีฐานอำนาจ)", "Order signed (recorded before bases were kept)"),
    "Delegation.Circulated": ("แจ้งเวียน", "Circulated"),
    "Delegation.ReceiptAcknowledged": ("รับทราบคำสั่ง", "Receipt acknowledged"),
    "Delegation.Published": ("เผยแพร่ต่อสาธารณะ", "Published"),
    "Delegation.AmendmentSigned": ("ลงนามแก้ไขคำสั่ง", "Amendment signed"),
    "Delegation.Amended": ("แก้ไขคำสั่ง", "Amended"),
    "Delegation.RevocationSigned": ("ลงนามเพิกถอนคำสั่ง", "Revocation signed"),
    "Delegation.Revoked": ("เพิกถอนคำสั่ง", "Revoked"),
    "Delegation.MonthlyReportFiled": ("รายงานผลการใช้อำนาจประจำเดือน", "Monthly report filed"),
    "ActingAppointment.Appointed": ("ร่างคำสั่งให้รักษาราชการแทน", "Acting appointment drafted"),
    "ActingAppointment.Signed": ("ลงนามแต่งตั้งผู้รักษาราชการแทน", "Acting appointment signed"),
    "ActingAppointment.Ended": ("สิ้นสุดการรักษาราชการแทน", "Acting period ended"),
    "Procurement.Registered": ("บันทึกโครงการจัดซื้อจัดจ้าง", "Procurement registered"),
    "Procurement.NoticeIssued": ("ลงนามประกาศ", "Notice signed"),
    "Procurement.BudgetSourceRecorded": ("บันทึกแหล่งที่มาของงบประมาณ", "Budget source recorded"),
    "Procurement.WarningRaised": ("ข้อเตือน", "Warning raised"),
    "Procurement.RedFlagRaised": ("ข้อสังเกต (red flag)", "Red flag raised"),
    "Procurement.NoticePublished": ("บันทึกการเผยแพร่ประกาศ", "Notice publication recorded"),
    "Procurement.ObserverAppointed": ("แต่งตั้งผู้สังเกตการณ์", "Observer appointed"),
    "Procurement.ObserverAttended": ("ผู้สังเกตการณ์เข้าร่วม", "Observer attended"),
    "Procurement.ObserverRemarked": ("ข้อสังเกตของผู้สังเกตการณ์", "Observer's remark"),
    "Complaint.Received": ("รับเรื่อง", "Received"),
    "Complaint.Acknowledged": ("แจ้งตอบรับ", "Acknowledged"),
    "Complaint.Assigned": ("มอบหมายผู้รับผิดชอบ", "Assigned"),
    "Complaint.ProgressNoticed": ("แจ้งความคืบหน้า", "Progress notice"),
    "Complaint.DelayExplained": ("ชี้แจงความล่าช้า", "Delay explained"),
    "Complaint.Resolved": ("ตอบผลการดำเนินการ", "Answered"),
    "Complaint.Rejected": ("ไม่รับพิจารณา", "Rejected"),
    "Complaint.ReferredOutside": ("ส่งต่อหน่วยงานภายนอก", "Referred outside"),
    "Complaint.Closed": ("ยุติเรื่อง", "Closed"),
    "Complaint.Reopened": ("เปิดเรื่องใหม่", "Reopened"),
    "Complaint.UpdatesRequested": ("ผู้ร้องขอรับแจ้งความคืบหน้าทางอีเมล", "Complainant asked for updates by e-mail"),
    "Complaint.IdentityDisclosed": ("เปิดเผยตัวผู้ร้องแก่ผู้มีอำนาจ", "Identity disclosed"),
    "Complaint.PersonalDataRead": ("อ่านข้อมูลส่วนบุคคล", "Personal data read"),
    "Complaint.PersonalDataErased": ("ลบข้อมูลส่วนบุคคล", "Personal data erased"),
    "Complaint.FactFindingStarted": ("เริ่มสืบสวนข้อเท็จจริง", "Fact-finding started"),
    "Complaint.FactFindingConcluded": ("สรุปผลการสืบสวน", "Fact-finding concluded"),
    "Complaint.InquiryOpened": ("ตั้งคณะกรรมการสอบสวน", "Inquiry opened"),
    "Complaint.FindingRecorded": ("บันทึกผลการสอบสวน", "Finding recorded"),
    "Complaint.DisciplinaryDecision": ("สั่งลงโทษหรือยกข้อกล่าวหา", "Disciplinary decision"),
    "Complaint.Appealed": ("อุทธรณ์", "Appealed"),
    "Complaint.DisciplineFinal": ("ยุติขั้นตอนทางวินัย", "Disciplinary track final"),
    "Organisation.Registered": ("ลงทะเบียนหน่วยงาน", "Organisation registered"),
    "Organisation.PlanAttached": ("แนบแผนปฏิบัติการ", "Plan attached"),
    "Organisation.Described": ("บันทึกที่ตั้งหน่วยงาน", "Location recorded"),
    "ItaPack.Opened": ("เปิดชุดหลักฐาน ITA", "ITA pack opened"),
    "ItaPack.Assembled": ("จัดทำชุดหลักฐาน ITA", "ITA pack assembled"),
    "Reminders.Opened": ("เปิดบันทึกการแจ้งเตือนของปีงบประมาณ", "Reminders of the fiscal year opened"),
    "Reminders.Sent": ("แจ้งเตือนกำหนดเวลา", "Deadline notices sent"),
    "SupplierRegister.Opened": ("เปิดทะเบียนข้อมูลผู้ประกอบการ", "Supplier register opened"),
    "SupplierRegister.ListImported": ("นำเข้าข้อมูลผู้ประกอบการ/บัญชีผู้ทิ้งงาน", "Supplier facts or debarment list imported"),
    "ComplaintGuideline.Issued": ("ออกแนวปฏิบัติการจัดการเรื่องร้องเรียน", "Complaint guideline issued"),
    "ComplaintGuideline.Revised": ("ปรับปรุงแนวปฏิบัติการจัดการเรื่องร้องเรียน", "Complaint guideline revised"),
    "Plan.Imported": ("นำเข้าแผนปฏิบัติการ", "Plan imported"),
    "Plan.Revised": ("แผนฉบับแก้ไข", "Plan revised"),
    "Plan.CorrectedByHand": ("แก้ไขค่าที่อ่านจากเอกสารแผนด้วยมือ", "Values read from the plan corrected by hand"),
    "User.Registered": ("ลงทะเบียนผู้ใช้", "User registered"),
    "User.TokenRotated": ("ออกโทเค็นใหม่", "Token rotated"),
    "User.PasswordChanged": ("เปลี่ยนรหัสผ่าน", "Password changed"),
    "User.TokenIssued": ("ออกโทเค็น", "Token issued"),
    "User.PasswordSet": ("ตั้งรหัสผ่าน", "Password set"),
    "User.Deactivated": ("ระงับผู้ใช้", "User deactivated"),
    "ReportRecord.Opened": ("เปิดรอบรายงาน", "Report period opened"),
    "ReportRecord.Generated": ("จัดทำรายงาน", "Report generated"),
    "ReportSchedule.Created": ("กำหนดตารางรายงาน", "Report schedule set"),
    "ReportSchedule.Changed": ("แก้ไขตารางรายงาน", "Report schedule changed"),
}
# What a timeline row says beside the event: the fields that tell what happened (never the actor again).
DETAIL_SKIP = frozenset({"actor", "signer", "basis", "idempotency_key", "kind"})


def event_label(kind: str, changes: dict[str, Any], lang: str) -> str:
    if kind not in EVENTS:
        UNLABELLED.add(kind)
        name = kind.rsplit(".", 1)[-1]
        return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    th, en = EVENTS[kind]
    text = en if lang == "en" else th
    if kind.endswith("NoticeIssued") and changes.get("kind"):
        text += f": {code_label('kind', str(changes['kind']), lang)}"
    return text


def kind_of(entry: dict[str, Any]) -> str:
    return str(entry.get("kind") or entry.get("type") or "")


def timeline(history: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Newest first: number, when, what, who (name and position) and on what authority, with the details."""
    out = []
    for h in reversed(history):
        changes = h.get("changes") or {}
        who = h.get("actor") or changes.get("signer")
        basis = changes.get("basis")
        details = {k: v for k, v in changes.items() if k not in DETAIL_SKIP and k not in HIDDEN and v not in ("", None)}
        if kind_of(h).endswith(("Planned", "PlanDetailsRevised")):  # the plan's text: on the page above, not here
            details.pop("details", None)
        out.append(
            {
                "version": h["version"],
                "when": moment_text(h["timestamp"], lang),
                "what": event_label(h.get("kind") or h["type"], changes, lang),
                "who": person_text(who, lang) if is_person(who) else NOTHING,
                "basis": basis_text(basis, lang) if isinstance(basis, dict) else "",
                "details": show(details, "", lang) if details else Markup(""),
            }
        )
    return out
