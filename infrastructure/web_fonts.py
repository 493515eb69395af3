"""The interface's typeface as the browser wants it: Sarabun (SIL OFL, from the fontpkg-sarabun package)
subset to Thai, Latin and common punctuation and packed as WOFF2 — about a quarter of the TTF's bytes.
Built once per process from the installed TTF; nothing is downloaded or committed."""

from __future__ import annotations

import functools
from io import BytesIO

from fontpkg_sarabun import ROOT as SARABUN
from fontTools import subset
from fontTools.ttLib import TTFont

FACES = ("Sarabun-Regular", "Sarabun-Bold")
# Basic Latin and Latin-1, Thai, general punctuation (dashes, quotes, ellipsis), the baht and euro signs,
# arrows and check marks the pages use.
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x0E00, 0x0E80), *range(0x2000, 0x2070),
            0x0E3F, 0x20AC, 0x2190, 0x2192, 0x2713, 0x2717, 0x00AB, 0x00BB]  # fmt: skip


@functools.cache
def woff2(face: str) -> bytes:
    if face not in FACES:
        raise KeyError(face)
    font = TTFont(SARABUN / "files" / f"{face}.ttf")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep Thai shaping (mark positioning, ligatures)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    out = BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()
