"""The template engine: a chapter's Markdown cells are Jinja2 templates over its facts.

An editor writes the prose; the analysis supplies facts (:mod:`dcbook.facts`). In a template

* ``{{ f.fiveg_stations | value }}`` prints a figure through a filter (:mod:`dcbook.prose.filters`);
* ``{% if f.gigabit %}…{% endif %}`` keeps a passage only where the edition has the fact: a fact the chapter
  declares but the edition lacks is a *missing* fact — false in a test, an error when printed;
* ``{{ trend(f.fixed) }}`` calls a shared phrase from ``book/_templates/phrases.jinja`` (the wording of
  recurring sentences lives there once, in Jinja, not in Python).

Strictness is the point: an unknown fact name, a missing fact printed, a syntax error, a float printed
without a filter — each raises :class:`ProseError` naming the place, so the build stops like a failing
code cell instead of publishing an empty or wrong figure. Text that comes from the data (indicator names,
source titles) is escaped for Markdown when printed, so it always shows as the same characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
from markupsafe import Markup

from dcbook import fmt
from dcbook.prose import filters

#: Where the shared phrases live, relative to the book's notebooks.
TEMPLATES_DIR = "_templates"
PHRASES = "phrases.jinja"


class ProseError(RuntimeError):
    """A template cannot be rendered; the message names where (edition, chapter, cell, line) and why."""


class MissingFact:
    """A fact the chapter declares but the edition lacks: false in tests, an error wherever it is printed.

    Attribute access stays missing (``f.gigabit.change`` is false too), so a guard on any part works; the
    name it carries says which fact was missing.
    """

    def __init__(self, name: str) -> None:
        self.__dcbook_missing__ = name

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, attr: str) -> MissingFact:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return MissingFact(f"{self.__dcbook_missing__}.{attr}")

    def __getitem__(self, key: Any) -> MissingFact:
        return MissingFact(f"{self.__dcbook_missing__}[{key!r}]")

    def __iter__(self) -> Iterator[Any]:
        raise ProseError(f"fact {self.__dcbook_missing__} has no value in this edition: cannot loop over it")

    def __len__(self) -> int:
        return 0

    def __str__(self) -> str:
        raise ProseError(
            f"fact {self.__dcbook_missing__} has no value in this edition "
            f"(guard the sentence with {{% if {self.__dcbook_missing__} %}})"
        )

    __html__ = None  # not markup: printing goes through finalize, which raises

    def __repr__(self) -> str:
        return f"MissingFact({self.__dcbook_missing__!r})"


class Facts(Mapping[str, Any]):
    """The facts a template sees under one name (``f``): declared names only, missing ones as
    :class:`MissingFact`; an undeclared name raises at once, suggesting the closest declared one."""

    def __init__(self, values: Mapping[str, Any], label: str = "f") -> None:
        self._values = dict(values)
        self._label = label

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            close = difflib.get_close_matches(name, list(self._values), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ProseError(f"unknown fact {self._label}.{name}{hint}")
        v = self._values[name]
        return MissingFact(f"{self._label}.{name}") if v is None else v

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __bool__(self) -> bool:
        return True


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` output: finished text (filters, phrases) as is, data strings escaped for Markdown,
    integers (years, counts) as digits; a float must go through a filter, a missing fact raises."""
    if isinstance(value, MissingFact):
        str(value)  # raises, naming the fact
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        raise ProseError(f"a truth value ({value}) printed as text: use it in {{% if %}}")
    if isinstance(value, int):
        return Markup(str(value))
    if isinstance(value, float):
        raise ProseError(
            f"a bare number ({value!r}) printed without a filter: use | value, | plain, | rate …"
        )
    if value is None:
        raise ProseError("None printed as text")
    if isinstance(value, str):
        return Markup(fmt.md_text(value))
    raise ProseError(f"a {type(value).__name__} printed as text: print one of its figures through a filter")


class ControlLines(jinja2.ext.Extension):
    """A line holding nothing but template tags (``{% if … %}``, ``{% endif %}``, ``{# … #}``) leaves no
    trace in the output — neither its indentation nor its line break — while a tag inside a line of prose
    leaves the prose exactly as written. (Jinja's own ``trim_blocks`` would also eat the line break after
    ``…{% endif %}`` at the end of a sentence, gluing the next line to it.)"""

    _TAG = r"(?:\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})"
    _LINE = re.compile(rf"^[ \t]*({_TAG}(?:[ \t]*{_TAG})*)[ \t]*\n", re.MULTILINE)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return self._LINE.sub(lambda m: m.group(1), source)


class _StrictUndefined(jinja2.StrictUndefined):
    """Undefined names and attributes fail where they are used, with the name in the message."""


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment every chapter renders with: strict, Markdown-escaping, with the house filters
    and the shared phrases of ``templates_dir/phrases.jinja`` as globals."""
    loader = jinja2.FileSystemLoader(str(templates_dir)) if templates_dir is not None else None
    env = jinja2.Environment(
        loader=loader,
        undefined=_StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        extensions=[ControlLines],
    )
    env.filters.update(filters.FILTERS)
    env.tests.update(filters.TESTS)
    if templates_dir is not None and (templates_dir / PHRASES).is_file():
        try:
            phrases = env.get_template(PHRASES).module
        except jinja2.TemplateSyntaxError as exc:
            raise ProseError(f"{templates_dir / PHRASES}:{exc.lineno}: {exc.message}") from None
        env.globals.update(
            {name: getattr(phrases, name) for name in dir(phrases) if not name.startswith("_")}
        )
    return env


def _error_line(exc: BaseException, source: str) -> int | None:
    """The template line an exception was raised on, from Jinja's rewritten traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_text(env: jinja2.Environment, source: str, context: Mapping[str, Any], *, where: str) -> str:
    """Render one template string; any failure becomes a :class:`ProseError` naming ``where`` and the line."""
    try:
        template = env.from_string(source)
        text = template.render(**context)
    except (jinja2.TemplateError, filters.FactError, ProseError, TypeError, ValueError, KeyError) as exc:
        line = _error_line(exc, source)
        at = f"{where}, line {line}" if line else where
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        if isinstance(exc, jinja2.UndefinedError):
            message = f"undefined name: {message}"
        raise ProseError(f"{at}: {message}") from None
    return tidy(text)


#: A space between two CJK characters (or CJK punctuation): a template writes "增至 {{ x | value }}" and
#: the figure may begin with a word ("超过 3 万件"); Chinese never puts a space between two of its words.
_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_FENCE = re.compile(r"^(```|~~~)")
_BLANKS = re.compile(r"\n{3,}")


_CJK_CHAR = re.compile(rf"[{_CJK}]")


def tidy(text: str) -> str:
    """Typeset rendered Markdown: no space between CJK characters, no trailing spaces, at most one blank
    line between blocks, and a line break between two CJK characters joined (inside a paragraph a break
    would show as a space; a line starting with a CJK character cannot start a Markdown block, so it is
    always a continuation — unless the previous line is a heading, a directive or option line, a table row
    or HTML). Code fences are left alone."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        line = _CJK_SPACE.sub("", line).rstrip()
        prev = out[-1] if out else ""
        if (
            line
            and prev
            and _CJK_CHAR.match(line[0])
            and _CJK_CHAR.match(prev[-1])
            and prev[0] not in "#:|<>"
        ):
            out[-1] += line
            continue
        out.append(line)
    return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n")
