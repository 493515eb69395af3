"""Web forms read from a command catalogue: the widgets a command's typed input needs, and back.

``form_of`` turns a command and the record it would act on into what the template draws (labels in the
person's language, required markers, today's date as the default, the choices the record offers);
``parse`` reads the posted form into the same typed input the API builds, refusing a bad value with a
message that names the field in Thai and English.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from domain.catalogue import Command, Creation, InputField, input_fields
from domain.errors import InvalidInput
from domain.thai import be_numeric, parse_be_date, parse_be_month
from domain.values import parse_satang

HTML_KIND = {
    "token": "hidden",
    "text": "text",
    "date": "bedate",
    "month": "bedate",
    "money": "money",
    "int": "number",
    "bool": "checkbox",
    "choice": "select",
}


@dataclass
class Widget:
    name: str
    id: str
    label: str
    kind: str  # text, textarea, date, money, number, select, checkbox, names, fieldset
    required: bool = False
    value: Any = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Widget] = field(default_factory=list)
    max_length: int | None = None
    hint: str = ""
    error: str = ""


@dataclass
class Form:
    command: Command | Creation
    label: str
    action: str
    version: int
    widgets: list[Widget]
    error: str = ""  # a refusal of the whole command (not of one field)
    error_target: str = ""  # the id the error summary links to


@dataclass(frozen=True)
class Failure:
    """A refused command, kept for the page it returns to: what was typed, the message and its field."""

    command: str
    message: str
    field: str = ""
    values: dict[str, str] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"command": self.command, "message": self.message, "field": self.field, "values": self.values}


GROUP_HINTS = {  # the rules of a group, told before anyone fails them (domain/values.py: check_evidence)
    "Evidence": (
        "ระบุเลขที่หรือชื่อเอกสาร และลิงก์หรือค่าแฮช SHA-256 ของไฟล์อย่างน้อยหนึ่งอย่าง",
        "give the document's number or title, and a link or the file's SHA-256 hash",
    ),
}
HINTS = {
    "date": ("วัน/เดือน/ปี พ.ศ. เช่น 30/6/2562", "day/month/Buddhist-Era year, e.g. 30/6/2562"),
    "month": ("เดือน/ปี พ.ศ. เช่น 6/2562", "month/Buddhist-Era year, e.g. 6/2562"),
    "money": ("บาท เช่น 10,000.50", "baht, e.g. 10,000.50"),
    "names": ("คั่นแต่ละชื่อด้วยเครื่องหมายจุลภาค (,)", "separate names with commas"),
}


def _label(f: InputField, lang: str) -> str:
    return f.en if lang == "en" else f.th


def _widgets(
    fields: tuple[InputField, ...], record: Any, lang: str, today: date, prefix: str, scope: str,
    failure: Failure | None = None, people: list[tuple[str, str]] | None = None,
) -> list[Widget]:  # fmt: skip
    widgets = []
    for f in fields:
        name = f"{prefix}{f.name}"
        wid = widget_id(scope, name)
        label = _label(f, lang)
        if f.kind == "group" and f.meta.get("many"):
            items = (
                list(getattr(record, f.meta["per"])) if f.meta["per"] else [f"{i + 1}" for i in range(f.meta["rows"])]
            )
            children = [
                Widget(f"{name}.{i}", f"{wid}-{i}", str(item), "fieldset",
                       children=_widgets(input_fields(f.item_type), record, lang, today, f"{name}.{i}.", scope,
                                         failure, people))
                for i, item in enumerate(items)
            ]  # fmt: skip
            widgets.append(Widget(name, wid, label, "fieldset", children=children))
        elif f.kind == "group":
            children = _widgets(input_fields(f.item_type), record, lang, today, f"{name}.", scope, failure, people)
            hint = GROUP_HINTS.get(f.item_type.__name__, ("", ""))[1 if lang == "en" else 0]
            widgets.append(Widget(name, wid, label, "fieldset", children=children, hint=hint))
        else:
            kind = HTML_KIND.get(f.kind, "text")
            options: list[tuple[str, str]] = []
            value: Any = "" if f.default is None else f.default
            if f.kind == "text" and f.meta.get("lines", 1) > 1:
                kind = "textarea"
            if f.kind == "names":
                kind, value = "names", ""
            if f.kind == "token":
                value = secrets.token_urlsafe(16)  # a fresh key each time the form is drawn
            if f.kind == "date" and f.meta.get("default_today"):
                value = be_numeric(today)
            if f.kind == "choice":
                labels = f.meta.get("labels") or {}
                options = [(m.value, labels.get(m, m.value)) for m in f.item_type]
                if not f.required:
                    options.insert(0, ("", "—"))
            if f.kind == "int" and f.meta.get("options"):
                kind = "select"
                options = [(str(v), text) for v, text in getattr(record, f.meta["options"])()]
            if f.kind == "person":  # the organisation's people, by name and position
                kind = "select"
                options = [("", "— เลือก —" if lang == "th" else "— choose —"), *(people or [])]
            hint = HINTS.get(f.kind, ("", ""))[1 if lang == "en" else 0]
            widget = Widget(name, wid, label, kind, required=f.required and f.kind != "bool", value=value,
                            options=options, max_length=f.meta.get("max_length"), hint=hint)  # fmt: skip
            if failure is not None:  # the page after a refusal: what was typed, and the problem at its field
                widget.value = failure.values.get(name, "") if f.kind != "token" else failure.values.get(name, value)
                if f.kind == "bool":
                    widget.value = bool(failure.values.get(name))
                if failure.field == name:
                    widget.error = failure.message
            widgets.append(widget)
    return widgets


def widget_id(scope: str, name: str) -> str:
    """The HTML id of a command's field (``approve`` + ``evidence.title`` → ``approve-evidence-title``)."""
    return f"{scope}-{name}".replace(".", "-").replace("_", "-")


@dataclass
class NewRecord:
    """What a creation form stands on before its record exists."""

    org_code: str
    version: int = 0


def form_of(
    command: Command | Creation,
    record: Any,
    base: str,
    lang: str,
    today: date,
    failure: Failure | None = None,
    people: list[tuple[str, str]] | None = None,
) -> Form:
    mine = failure if failure is not None and failure.command == command.name else None
    form = Form(
        command=command,
        label=command.en if lang == "en" else command.th,
        action=f"{base}/do/{command.name}",
        version=record.version,
        widgets=_widgets(command.fields, record, lang, today, "", command.name, mine, people),
    )
    if mine is not None:
        form.error = mine.message
        form.error_target = widget_id(command.name, mine.field) if mine.field else f"do-{command.name}"
    return form


def _refuse(f: InputField, name: str, th: str, en: str) -> InvalidInput:
    return InvalidInput(f"{f.th}: {th}", f"{f.en}: {en}", field=name)


def _read(f: InputField, form: Mapping[str, Any], record: Callable[[], Any], name: str) -> Any:
    raw = form.get(name)
    text = "" if raw is None else str(raw).strip()
    if f.kind == "group":
        if f.meta.get("many"):
            if f.meta["per"]:
                count = len(getattr(record(), f.meta["per"]))
                return [_input(f.item_type, form, record, f"{name}.{i}.") for i in range(count)]
            rows = [i for i in range(f.meta["rows"]) if _filled(f.item_type, form, f"{name}.{i}.")]
            return [_input(f.item_type, form, record, f"{name}.{i}.") for i in rows]
        return _input(f.item_type, form, record, f"{name}.")
    if f.kind == "bool":
        return text in ("on", "true", "1")
    if not text:
        if f.required:
            raise _refuse(f, name, "ต้องกรอก", "is required")
        return f.default
    if f.kind == "month":
        try:
            return parse_be_month(text)
        except ValueError:
            raise _refuse(
                f, name, "ใช้รูปแบบ เดือน/ปี พ.ศ. เช่น 6/2562", "use month/Buddhist-Era year, e.g. 6/2562"
            ) from None
    if f.kind in ("text", "token", "person"):
        if len(text) > f.meta["max_length"]:
            raise _refuse(f, name, f"ยาวเกิน {f.meta['max_length']:,} ตัวอักษร", f"longer than {f.meta['max_length']:,}")
        return text
    if f.kind == "date":
        try:
            return parse_be_date(text)
        except ValueError:
            raise _refuse(f, name, "ใช้รูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 30/6/2562",
                          "use day/month/Buddhist-Era year, e.g. 30/6/2562") from None  # fmt: skip
    if f.kind == "money":
        try:
            return parse_satang(text, f.th, f.en)
        except InvalidInput as exc:
            raise InvalidInput(exc.th, exc.en, field=name) from None
    if f.kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise _refuse(f, name, "ต้องเป็นจำนวนเต็ม", "must be a whole number") from None
        if not f.meta["minimum"] <= number <= f.meta["maximum"]:
            raise _refuse(f, name, "อยู่นอกช่วงที่รับได้", "out of range")
        return number
    if f.kind == "choice":
        enum: type[Enum] = f.item_type
        try:
            return enum(text)
        except ValueError:
            choices = ", ".join(str(m.value) for m in enum)
            raise _refuse(f, name, f"ต้องเป็นหนึ่งใน {choices}", f"must be one of {choices}") from None
    if f.kind == "names":
        return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
    raise TypeError(f"no form reader for field kind {f.kind}")


def _filled(input_type: type, form: Mapping[str, Any], prefix: str) -> bool:
    """A row of a list is meant when any of its text or number fields is filled in."""
    kinds = ("text", "money", "int", "names", "date", "month", "person")
    return any(str(form.get(f"{prefix}{f.name}") or "").strip() for f in input_fields(input_type) if f.kind in kinds)


def _input(input_type: type, form: Mapping[str, Any], record: Callable[[], Any], prefix: str) -> Any:
    return input_type(**{f.name: _read(f, form, record, f"{prefix}{f.name}") for f in input_fields(input_type)})


def parse(command: Command | Creation, form: Mapping[str, Any], record: Callable[[], Any]) -> Any:
    """The posted form as the command's typed input; ``record`` loads the record, asked only for the length
    of a per-item group (the KPI actuals) — the handler loads it anyway."""
    return _input(command.input, form, record, "")
