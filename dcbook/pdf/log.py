"""Checks on the XeLaTeX log: XeLaTeX does not fail on a missing glyph, an undefined reference or a line
running into the margin — it only logs them, so the build reads the log before publishing a PDF.
"""

from __future__ import annotations

import re

#: Overfull boxes up to this width are typographic noise (CJK line breaking leaves a few points).
HBOX_TOLERANCE_PT = 20.0

_MISSING_CHAR = re.compile(r"Missing character: There is no (.+?) in font (.+?)!?$")
_UNDEFINED_REF = re.compile(r"LaTeX Warning: (Reference|Citation) [`'](.+?)' on page (\S+) undefined")
_UNDEFINED_SUMMARY = re.compile(r"LaTeX Warning: There were undefined (references|citations)")
_OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)(.*)$")
# "! msg", or "file:line: msg" under -file-line-error
_TEX_ERROR = re.compile(r"^(?:! |[^\s:]+\.(?:tex|sty|cls|def|cfg|fd|aux|toc):\d+: )(.+)$")


def check_latex_log(log_text: str, *, hbox_tolerance_pt: float = HBOX_TOLERANCE_PT) -> list[str]:
    """Problems in a LaTeX log that XeLaTeX itself does not treat as errors; empty means clean.

    Reports every missing glyph (with its font), undefined reference or citation, overfull ``\\hbox``
    wider than ``hbox_tolerance_pt`` (with the offending text from the next log line) and any TeX error.
    Identical lines are reported once with a count, so a glyph missing a thousand times stays readable.
    """
    lines = log_text.splitlines()
    found: dict[str, int] = {}

    def add(message: str) -> None:
        found[message] = found.get(message, 0) + 1

    for i, line in enumerate(lines):
        if m := _MISSING_CHAR.search(line):
            char = m.group(1)
            code = f" (U+{ord(char):04X})" if len(char) == 1 else ""
            add(f"missing character {char}{code} in font {m.group(2).strip()}")
        elif m := _UNDEFINED_REF.search(line):
            add(f"undefined {m.group(1).lower()} '{m.group(2)}' (page {m.group(3)})")
        elif m := _UNDEFINED_SUMMARY.search(line):
            add(f"LaTeX: there were undefined {m.group(1)}")
        elif m := _OVERFULL.search(line):
            width = float(m.group(1))
            if width > hbox_tolerance_pt:
                where = m.group(2).strip()
                excerpt = lines[i + 1].strip() if i + 1 < len(lines) else ""
                add(
                    f"overfull \\hbox {width:g}pt too wide (tolerance {hbox_tolerance_pt:g}pt) {where}"
                    + (f": {excerpt[:120]}" if excerpt else "")
                )
        elif m := _TEX_ERROR.match(line):
            context = lines[i + 1].strip() if i + 1 < len(lines) else ""
            add(f"TeX error: {m.group(1)}" + (f" [{context[:120]}]" if context else ""))
    return [msg if n == 1 else f"{msg} (×{n})" for msg, n in found.items()]
