"""Web forms read from a command catalogue: the widgets a command's typed input needs, and back.

``form_of`` turns a command and the record it would act on into what the template draws (labels in the
person's language, required markers, today's date as the default, the choices the record offers);
``parse`` reads the posted form into the same typed input the API builds, refusing a bad value with a
message that names the field in Thai and English.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from domain.catalogue import Command, InputField, input_fields
from domain.errors import InvalidInput
from domain.values import parse_satang

HTML_KIND = {
    "token": "hidden",
    "text": "text",
    "date": "date",
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


@dataclass
class Form:
    command: Command
    label: str
    action: str
    version: int
    widgets: list[Widget]


def _label(f: InputField, lang: str) -> str:
    return f.en if lang == "en" else f.th


def _widgets(
    fields: tuple[InputField, ...], record: Any, lang: str, today: date, prefix: str, scope: str
) -> list[Widget]:
    widgets = []
    for f in fields:
        name = f"{prefix}{f.name}"
        wid = f"{scope}-{name}".replace(".", "-").replace("_", "-")
        label = _label(f, lang)
        if f.kind == "group" and f.meta.get("many"):
            items = (
                list(getattr(record, f.meta["per"])) if f.meta["per"] else [f"{i + 1}" for i in range(f.meta["rows"])]
            )
            children = [
                Widget(f"{name}.{i}", f"{wid}-{i}", str(item), "fieldset",
                       children=_widgets(input_fields(f.item_type), record, lang, today, f"{name}.{i}.", scope))
                for i, item in enumerate(items)
            ]  # fmt: skip
            widgets.append(Widget(name, wid, label, "fieldset", children=children))
        elif f.kind == "group":
            children = _widgets(input_fields(f.item_type), record, lang, today, f"{name}.", scope)
            widgets.append(Widget(name, wid, label, "fieldset", children=children))
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
                value = today.isoformat()
            if f.kind == "choice":
                labels = f.meta.get("labels") or {}
                options = [(m.value, labels.get(m, m.value)) for m in f.item_type]
                if not f.required:
                    options.insert(0, ("", "—"))
            if f.kind == "int" and f.meta.get("options"):
                kind = "select"
                options = [(str(v), text) for v, text in getattr(record, f.meta["options"])()]
            widgets.append(
                Widget(name, wid, label, kind, required=f.required and f.kind != "bool", value=value, options=options,
                       max_length=f.meta.get("max_length"))
            )  # fmt: skip
    return widgets


def form_of(command: Command, record: Any, base: str, lang: str, today: date) -> Form:
    return Form(
        command=command,
        label=command.en if lang == "en" else command.th,
        action=f"{base}/do/{command.name}",
        version=record.version,
        widgets=_widgets(command.fields, record, lang, today, "", command.name),
    )


def _refuse(f: InputField, th: str, en: str) -> InvalidInput:
    return InvalidInput(f"{f.th}: {th}", f"{f.en}: {en}")


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
            raise _refuse(f, "ต้องกรอก", "is required")
        return f.default
    if f.kind in ("text", "token"):
        if len(text) > f.meta["max_length"]:
            raise _refuse(f, f"ยาวเกิน {f.meta['max_length']:,} ตัวอักษร", f"longer than {f.meta['max_length']:,}")
        return text
    if f.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _refuse(f, "วันที่ไม่ถูกต้อง", "not a date") from None
    if f.kind == "money":
        return parse_satang(text, f.th, f.en)
    if f.kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise _refuse(f, "ต้องเป็นจำนวนเต็ม", "must be a whole number") from None
        if not f.meta["minimum"] <= number <= f.meta["maximum"]:
            raise _refuse(f, "อยู่นอกช่วงที่รับได้", "out of range")
        return number
    if f.kind == "choice":
        enum: type[Enum] = f.item_type
        try:
            return enum(text)
        except ValueError:
            choices = ", ".join(str(m.value) for m in enum)
            raise _refuse(f, f"ต้องเป็นหนึ่งใน {choices}", f"must be one of {choices}") from None
    if f.kind == "names":
        return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
    raise TypeError(f"no form reader for field kind {f.kind}")


def _filled(input_type: type, form: Mapping[str, Any], prefix: str) -> bool:
    """A row of a list is meant when any of its text or number fields is filled in."""
    kinds = ("text", "money", "int", "names", "date")
    return any(str(form.get(f"{prefix}{f.name}") or "").strip() for f in input_fields(input_type) if f.kind in kinds)


def _input(input_type: type, form: Mapping[str, Any], record: Callable[[], Any], prefix: str) -> Any:
    return input_type(**{f.name: _read(f, form, record, f"{prefix}{f.name}") for f in input_fields(input_type)})


def parse(command: Command, form: Mapping[str, Any], record: Callable[[], Any]) -> Any:
    """The posted form as the command's typed input; ``record`` loads the record, asked only for the length
    of a per-item group (the KPI actuals) — the handler loads it anyway."""
    return _input(command.input, form, record, "")
