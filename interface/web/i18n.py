"""The interface's words: Thai is the source language, English comes from a gettext catalog.

Templates mark text with ``_()`` (Jinja2's i18n extension), Python with ``translate(lang, text)``;
``make i18n`` extracts every marked string with Babel into ``locale/messages.pot`` and merges it into
``locale/en/LC_MESSAGES/messages.po``, where translators fill in ``msgstr``. The catalog is compiled in
memory when the app starts (no binary ``.mo`` in the repository). A test fails on any string that is
not marked or not translated (tests/unit/test_i18n.py).
"""

from __future__ import annotations

import functools
import gettext as _gettext
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, pass_context

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = ("th", "en")  # th: the source text itself


@functools.cache
def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language (Thai, the source, needs none)."""
    po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if lang == "th" or not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def translate(lang: str, text: str) -> str:
    """``text`` (Thai) in ``lang``."""
    return catalog(lang if lang in LANGUAGES else "th").gettext(text)


def install(env: Environment) -> None:
    """``_()`` and ``ngettext()`` in templates, in the language of the page being rendered."""

    @pass_context
    def gettext(context: Any, text: str) -> str:
        return translate(context.get("lang", "th"), text)

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        return catalog(context.get("lang", "th")).ngettext(singular, plural, n)

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
