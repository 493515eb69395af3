"""Every interface string is marked for translation and translated: a page in English says nothing in
Thai but the data (names, units, plan text) people entered."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from interface.web.i18n import LOCALE, translate

WEB = Path(__file__).resolve().parents[2] / "interface" / "web"
THAI = re.compile(r"[\u0E00-\u0E7F]")
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "translate": (2,)}


def marked() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        text = message if isinstance(message, str) else message[0]
        found.setdefault(text, []).append(f"{filename}:{line}")
    return found


def test_every_marked_string_has_an_english_translation():
    with (LOCALE / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    strings = marked()
    assert len(strings) > 100
    missing = {text: where for text, where in strings.items() if not (catalog.get(text) and catalog.get(text).string)}
    assert not missing, "untranslated (run `make i18n`, then fill in msgstr): " + "; ".join(
        f"{text!r} at {where[0]}" for text, where in list(missing.items())[:20]
    )


def test_templates_say_nothing_in_thai_outside_marked_strings():
    """Thai text written straight into a template would stay Thai in English mode."""
    unmarked = []
    for path in sorted((WEB / "templates").glob("*.html")):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)  # comments
        source = re.sub(r"_\(\s*'(?:[^'\\]|\\.)*'|_\(\s*\"(?:[^\"\\]|\\.)*\"", "_(", source)  # marked strings
        for number, line in enumerate(source.splitlines(), start=1):
            if THAI.search(line):
                unmarked.append(f"{path.name}:{number}: {line.strip()[:80]}")
    assert not unmarked, "\n".join(unmarked[:30])


def test_thai_is_the_source_and_english_comes_from_the_catalog():
    assert translate("th", "ออกจากระบบ") == "ออกจากระบบ"
    assert translate("en", "ออกจากระบบ") == "Sign out"
    assert translate("xx", "ออกจากระบบ") == "ออกจากระบบ"  # an unknown language falls back to the source
