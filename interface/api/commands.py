"""API routes read from a command catalogue: one POST route per declared command.

Each route's request body is a pydantic model built from the command's typed input (labels become
descriptions, limits become constraints); fields the catalogue marks ``path`` name a part of the record
in the URL. The route calls the application service's handler the catalogue names, through the store
runner, and answers with the record's JSON — so a command added to the catalogue is routed, documented
and guarded without a line here.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    create_model,
)

from domain.catalogue import Catalogue, Command, InputField, as_arguments, input_fields
from domain.errors import InvalidInput
from domain.values import MAX_BAHT, parse_satang
from infrastructure.bootstrap import Services
from interface.api.deps import CurrentUser, ServicesDep, store_work
from interface.api.records import COMMAND_PROBLEMS
from interface.api.responses import FastJSON


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))


def _annotation(f: InputField) -> tuple[Any, Any]:
    """The pydantic type and Field of one input field."""
    description = f"{f.en} — {f.th}"
    required = ... if f.required else f.default
    if f.kind == "token":
        text = f"{description}: the same key again writes nothing"
        return str, Field("", max_length=f.meta["max_length"], description=text)
    if f.kind == "month":
        return str, Field(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description=f"{description} (YYYY-MM)")
    if f.kind == "person":
        text = f"{description}: the username of someone of the organisation"
        return str, Field(..., min_length=1, max_length=f.meta["max_length"], description=text)
    if f.kind == "text":
        minimum = 1 if f.required else 0
        return str, Field(required, min_length=minimum, max_length=f.meta["max_length"], description=description)
    if f.kind == "date":
        text = f"{description} (ISO date, Bangkok business day)"
        return (date, Field(..., description=text)) if f.required else (date | None, Field(None, description=text))
    if f.kind == "money":
        kind = Annotated[int, BeforeValidator(satang)]
        text = f"{description}; integer satang (1 baht = 100 satang), or baht as text ('1,500.50', Thai digits too)"
        return (kind if f.required else kind | None), Field(
            required, ge=f.meta["minimum"], lt=MAX_BAHT * 100, description=text
        )
    if f.kind == "int":
        kind = StrictInt if f.required else StrictInt | None
        return kind, Field(required, ge=f.meta["minimum"], le=f.meta["maximum"], description=description)
    if f.kind == "bool":
        return StrictBool, Field(required, description=description)
    if f.kind == "choice":
        return f.type, Field(required, description=description)
    if f.kind == "names":
        item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
        return list[item], Field(required, max_length=f.meta["max_items"], description=description)  # type: ignore[valid-type]
    if f.kind == "group":
        model = model_of(f.item_type)
        if f.meta.get("many"):
            return list[model], Field(required, max_length=100, description=description)  # type: ignore[valid-type]
        return model, Field(required, description=description)
    raise TypeError(f"no API type for field kind {f.kind}")


def satang(value: Any) -> Any:
    """Money in a request: integer satang, or baht as text — never a float (the domain's parse_satang)."""
    if value is None:
        return None
    try:
        return parse_satang(value)
    except InvalidInput as exc:
        raise ValueError(exc.en) from None


@functools.cache
def model_of(
    input_type: type, *, name: str = "", versioned: bool = False, skip: frozenset[str] = frozenset()
) -> type[BaseModel]:
    """A pydantic model mirroring a command input (or a nested input such as evidence)."""
    fields: dict[str, Any] = {}
    if versioned:
        fields["version"] = (StrictInt, Field(ge=1, le=2**31, description="The version you saw; a stale one gets 409"))
    for f in input_fields(input_type):
        if f.name not in skip:
            fields[f.name] = _annotation(f)
    return create_model(  # type: ignore[call-overload]
        name or input_type.__name__, __config__=ConfigDict(extra="forbid"), __doc__=input_type.__doc__, **fields
    )


def _value(f: InputField, raw: Any) -> Any:
    if f.kind == "group" and raw is not None:
        if f.meta.get("many"):
            return [_typed(f.item_type, item) for item in raw]
        return _typed(f.item_type, raw)
    return raw


def _typed(input_type: type, model: BaseModel) -> Any:
    return input_type(**{f.name: _value(f, getattr(model, f.name)) for f in input_fields(input_type)})


def path_fields(command: Command) -> list[InputField]:
    named = set(re.findall(r"{(\w+)}", command.api_path))
    return [f for f in command.fields if f.name in named]


def command_input(command: Command, body: BaseModel, path_values: dict[str, Any]) -> Any:
    """The typed input a route received: body fields and the parts named in the path."""
    values = {}
    for f in command.fields:
        values[f.name] = path_values[f.name] if f.name in path_values else _value(f, getattr(body, f.name))
    return command.input(**values)


def add_command_routes(
    router: APIRouter,
    catalogue: Catalogue,
    *,
    prefix: str,
    service: Callable[[Services], Any],
    present: Callable[[Any, Services], dict[str, Any]],
    model: type[BaseModel],
) -> None:
    """One ``POST {prefix}/{command path}`` per command of the catalogue."""
    id_name = re.findall(r"{(\w+)}", prefix)[-1]
    for command in catalogue:
        in_path = path_fields(command)
        body = model_of(
            command.input,
            name=f"{_camel(catalogue.aggregate)}{_camel(command.name)}",
            versioned=True,
            skip=frozenset(f.name for f in in_path),
        )
        router.add_api_route(
            f"{prefix}/{command.api_path}",
            _endpoint(command, body, in_path, id_name, service, present),
            methods=["POST"],
            name=f"{catalogue.aggregate}:{command.name}",
            summary=f"{command.en} ({command.th})",
            description=_describe(catalogue, command),
            tags=[f"{catalogue.aggregate}s"],
            response_model=model,
            responses=COMMAND_PROBLEMS,
        )


def _describe(catalogue: Catalogue, command: Command) -> str:
    roles = ", ".join(sorted(r.value for r in command.roles))
    states = ", ".join(sorted(s.value for s in command.states))
    lines = [f"Roles: {roles}.", f"Valid while the {catalogue.aggregate} is: {states}."]
    if command.unless is not None:
        lines.append(f"Refused (409) when {command.unless.en}.")
    if command.description:
        lines.append(command.description)
    return "\n\n".join(lines)


def _endpoint(
    command: Command,
    body_model: type[BaseModel],
    in_path: list[InputField],
    id_name: str,
    service: Callable[[Services], Any],
    present: Callable[[Any, Services], dict[str, Any]],
) -> Callable[..., Any]:
    def endpoint(**kwargs: Any) -> FastJSON:
        svc, user, body = kwargs["svc"], kwargs["user"], kwargs["body"]
        typed = command_input(command, body, {f.name: kwargs[f.name] for f in in_path})
        handler = getattr(service(svc), command.handler)
        return FastJSON(present(handler(user, kwargs[id_name], body.version, **as_arguments(typed)), svc))

    parameters = [inspect.Parameter(id_name, inspect.Parameter.KEYWORD_ONLY, annotation=UUID)]
    for f in in_path:
        parameters.append(
            inspect.Parameter(
                f.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=int,
                default=Path(ge=f.meta["minimum"], le=f.meta["maximum"], description=f"{f.en} — {f.th}"),
            )
        )
    parameters += [
        inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body_model),
        inspect.Parameter("svc", inspect.Parameter.KEYWORD_ONLY, annotation=ServicesDep),
        inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY, annotation=CurrentUser),
    ]
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = command.handler
    return store_work(endpoint)
