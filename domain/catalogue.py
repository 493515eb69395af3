"""One declaration per command: the catalogue every layer derives from.

A ``Command`` names what a person may ask of a record: who may ask (roles), in which of the record's
states it is valid (and, where the state alone does not say, a further condition), its Thai and English
label, and its typed input (a frozen dataclass whose fields carry their own labels and limits). The
aggregate's state guard and "what can I do next" answer, the application's role check, the API route
and its request body, and the web form are all read from here — add a command once and it exists
everywhere, with the same rules.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from domain.duties import same_person
from domain.errors import InvalidTransition, NotFound, NotPermitted, RuleBroken
from domain.people import Role, User

# -- the roles, named once ---------------------------------------------------------------------

DESK = frozenset({Role.STAFF, Role.DIVISION_HEAD, Role.CLERK, Role.DEPUTY, Role.EXECUTIVE})  # everyone at work
MANAGERS = DESK - {Role.STAFF}  # heads of division and above
SENIOR = frozenset({Role.CLERK, Role.DEPUTY, Role.EXECUTIVE})  # the municipality's top three offices
EXECUTIVE_OFFICE = frozenset({Role.CLERK, Role.EXECUTIVE})  # the executive and the permanent secretary


# -- input fields: a dataclass field carrying its label, its kind and its limits ----------------


def _field(kind: str, th: str, en: str, *, default: Any = dataclasses.MISSING, **meta: Any) -> Any:
    metadata = {"kind": kind, "th": th, "en": en, "required": default is dataclasses.MISSING, **meta}
    if isinstance(default, list):
        return field(default_factory=list, metadata={**metadata, "required": False})
    return field(default=default, metadata=metadata)


def text(th: str, en: str, *, required: bool = True, max_length: int = 4000, lines: int = 1) -> Any:
    """Free text; ``lines`` > 1 is a paragraph."""
    if required:
        return _field("text", th, en, max_length=max_length, lines=lines)
    return _field("text", th, en, default="", max_length=max_length, lines=lines)


def day(th: str, en: str, *, default_today: bool = True, required: bool = True) -> Any:
    """A business date (Thai calendar on screens, ISO in the API)."""
    if required:
        return _field("date", th, en, default_today=default_today)
    return _field("date", th, en, default=None, default_today=False)


def month(th: str, en: str) -> Any:
    """A calendar month, stored as ``YYYY-MM`` (Christian era, as the log keeps dates); people type the
    Thai way (``6/2562``)."""
    return _field("month", th, en, max_length=7)


def person(th: str, en: str) -> Any:
    """Someone of the organisation, by username: a web form offers its people by name and position."""
    return _field("person", th, en, max_length=100)


def money(th: str, en: str, *, required: bool = True, minimum: int = 1) -> Any:
    """An amount in satang; people type baht (Thai or Arabic digits, separators allowed)."""
    if required:
        return _field("money", th, en, minimum=minimum)
    return _field("money", th, en, default=None, minimum=minimum)


def whole(th: str, en: str, *, minimum: int = 0, maximum: int = 10**9, options: str = "", required: bool = True) -> Any:
    """A whole number; ``options`` names a record method listing the values a person may pick.
    A command's ``route`` may name it (``steps/{step_no}/complete``): then the API takes it from the path."""
    if required:
        return _field("int", th, en, minimum=minimum, maximum=maximum, options=options)
    return _field("int", th, en, default=None, minimum=minimum, maximum=maximum, options=options)


def token(th: str, en: str) -> Any:
    """A key the client makes up so that sending the same command twice records it once: optional in the
    API; on a web form, a fresh one in a hidden field each time the form is drawn."""
    return _field("token", th, en, default="", max_length=100)


def flag(th: str, en: str, *, default: bool = False) -> Any:
    return _field("bool", th, en, default=default)


def choice(th: str, en: str, *, labels: dict[Any, str] | None = None, default: Any = dataclasses.MISSING) -> Any:
    """One of an Enum's members; ``labels`` gives the Thai text of each."""
    return _field("choice", th, en, default=default, labels=labels or {})


def names(th: str, en: str, *, required: bool = True, max_items: int = 100) -> Any:
    """A list of short texts (recipients, committee members); people type them separated by commas."""
    if required:
        return _field("names", th, en, max_items=max_items)
    return _field("names", th, en, default=[], max_items=max_items)


def group(th: str, en: str, *, many: bool = False, per: str = "", rows: int = 3) -> Any:
    """A nested input (evidence, KPI actuals, scopes); ``many``: a list — one per item of the record's ``per``
    list, or (without ``per``) up to ``rows`` rows on a web form, blank rows left out."""
    if many:
        return _field("group", th, en, default=[], many=True, per=per, rows=rows)
    return _field("group", th, en, many=False, per=per)


@dataclass(frozen=True)
class InputField:
    """A field of a command's input, as every edge needs it."""

    name: str
    type: Any  # the resolved annotation
    kind: str
    th: str
    en: str
    required: bool
    meta: dict[str, Any]
    default: Any

    @property
    def item_type(self) -> Any:
        """The dataclass of a group field (or of one of its items)."""
        args = typing.get_args(self.type)
        if self.meta.get("many"):
            return args[0]
        return next((a for a in args if a is not type(None)), self.type) if args else self.type


@functools.cache
def input_fields(input_type: type) -> tuple[InputField, ...]:
    """The fields of a command input, read once per type (every request and form uses them)."""
    hints = typing.get_type_hints(input_type)
    found = []
    for f in dataclasses.fields(input_type):
        default = f.default if f.default is not dataclasses.MISSING else None
        if f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        meta = dict(f.metadata)
        found.append(
            InputField(
                name=f.name,
                type=hints[f.name],
                kind=meta.pop("kind"),
                th=meta.pop("th"),
                en=meta.pop("en"),
                required=meta.pop("required"),
                meta=meta,
                default=default,
            )
        )
    return tuple(found)


def as_arguments(value: Any) -> dict[str, Any]:
    """A command input as keyword arguments for the application service (nested inputs as mappings,
    choices as their values — the values the events record)."""

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v):
            return {k: plain(x) for k, x in vars(v).items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v.value if isinstance(v, Enum) else v

    return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}


# -- commands and their catalogue --------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A further condition beyond the state (e.g. "a step is still open"), with why it fails."""

    holds: Callable[[Any], bool]
    th: str
    en: str


@dataclass(frozen=True)
class Command:
    name: str  # kebab-case; the web form's and (by default) the API route's last segment
    th: str
    en: str
    roles: frozenset[Role]
    states: frozenset[Enum]
    input: type
    handler: str  # the application service's method: handler(user, record_id, version, **input)
    route: str = ""  # the API path under the record when it is not the name (may name ``{field}``s)
    unless: Condition | None = None
    description: str = ""
    # What must have happened first (e.g. the winner before the contract): refused as a broken rule (422).
    requires: tuple[Condition, ...] = ()
    # The power the command exercises (an ``Action``): the authority service is asked before it is offered.
    power: Enum | None = None
    # Four eyes: the people who proposed the record (``record -> (actor, ...)``) may not use this command.
    proposers: Callable[[Any], tuple[Any, ...]] | None = None

    @property
    def fields(self) -> tuple[InputField, ...]:
        return input_fields(self.input)

    @property
    def api_path(self) -> str:
        return self.route or self.name


@dataclass(frozen=True)
class Creation:
    """A command that brings a record into being in an organisation: ``handler(user, org_code, **input)``."""

    name: str
    th: str
    en: str
    roles: frozenset[Role]
    input: type
    handler: str
    description: str = ""

    @property
    def fields(self) -> tuple[InputField, ...]:
        return input_fields(self.input)


@dataclass(frozen=True)
class Catalogue:
    """The commands of one aggregate and the state each record is in."""

    aggregate: str  # "measure", "delegation", ...
    th: str
    state_of: Callable[[Any], Enum]
    state_label: Callable[[Enum], str]
    commands: tuple[Command, ...]
    creations: tuple[Creation, ...] = ()

    def creation(self, name: str) -> Creation:
        for creation in self.creations:
            if creation.name == name:
                return creation
        raise NotFound(f"ไม่รู้จักคำสั่ง '{name}'", f"unknown {self.aggregate} command '{name}'")

    def creatable(self, user: User) -> list[Creation]:
        """What this person may bring into being (their role allows it)."""
        return [c for c in self.creations if user.role in c.roles]

    def __post_init__(self) -> None:
        seen = [c.name for c in self.commands]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{self.aggregate}: a command is declared twice")

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    def __getitem__(self, name: str) -> Command:
        for command in self.commands:
            if command.name == name:
                return command
        raise NotFound(f"ไม่รู้จักคำสั่ง '{name}'", f"unknown {self.aggregate} command '{name}'")

    def check_role(self, user: User, name: str) -> None:
        command = self[name]
        if user.role not in command.roles:
            raise NotPermitted(
                f"บทบาท '{user.role.thai}' ไม่มีสิทธิ์{command.th}",
                f"role '{user.role.value}' may not {command.en.lower()}",
            )

    def check_state(self, record: Any, name: str) -> None:
        """The state guard every aggregate command calls first (409 when it fails)."""
        command = self[name]
        state = self.state_of(record)
        if state not in command.states:
            raise InvalidTransition(
                f"ไม่สามารถ{command.th}ได้ขณะสถานะเป็น '{self.state_label(state)}'",
                f"cannot {command.en.lower()} while the {self.aggregate} is {state.value.replace('_', ' ')}",
                current_status=state.value,
            )
        if command.unless is not None and not command.unless.holds(record):
            raise InvalidTransition(
                f"ไม่สามารถ{command.th}ได้: {command.unless.th}",
                f"cannot {command.en.lower()}: {command.unless.en}",
                current_status=state.value,
            )
        for rule in command.requires:
            if not rule.holds(record):
                raise RuleBroken(rule.th, rule.en)

    def available(self, record: Any) -> list[Command]:
        """What the record's state allows next, whoever asks."""
        state = self.state_of(record)
        return [
            c
            for c in self.commands
            if state in c.states
            and (c.unless is None or c.unless.holds(record))
            and all(rule.holds(record) for rule in c.requires)
        ]

    @staticmethod
    def proposed_by(command: Command, record: Any, user: User) -> bool:
        if command.proposers is None:
            return False
        me = {"username": user.username}
        return any(same_person(p, me) for p in command.proposers(record))

    def offered(self, record: Any, user: User) -> list[Command]:
        """What this person may do next: the record's state and their role allow it, and they did not
        propose what it would approve (four eyes). The application also asks the authority (``power``)."""
        return [c for c in self.available(record) if user.role in c.roles and not self.proposed_by(c, record, user)]

    def withheld(self, record: Any, user: User) -> list[tuple[Command, str, str]]:
        """What the record's state allows next but this person may not do, with why (Thai, English)."""
        out = []
        for c in self.available(record):
            if user.role not in c.roles:
                who = " / ".join(sorted({r.thai for r in c.roles}))
                out.append((c, f"สำหรับ{who}", "for " + ", ".join(sorted(r.value.replace("_", " ") for r in c.roles))))
            elif self.proposed_by(c, record, user):
                out.append((c, "ต้องเป็นผู้อื่น: ท่านเป็นผู้เสนอเรื่องนี้ (หลักสี่ตา)", "someone else must: you proposed it"))
        return out


def every_state(enum: type[Enum]) -> frozenset[Enum]:
    return frozenset(enum)
