"""Rendering an executed chapter notebook: its Markdown templates over the facts its setup cell published.

The chapter's setup cell (:func:`dcbook.chapters.setup`) displays one output of type :data:`PAYLOAD_MIME`
holding the edition's facts, charts and tables. After papermill has run the notebook, the build calls
:func:`render_notebook` (in the chapter's runner process), which

1. takes that payload out of the notebook (it is plumbing, not content);
2. renders every Markdown cell as a Jinja2 template (:mod:`dcbook.prose.engine`) with ``f`` (the facts),
   ``charts`` and ``tables`` (which exhibits the edition has) and ``edition``; a cell that renders empty
   is dropped — a section the edition has no facts for disappears with its heading;
3. replaces each exhibit directive in the rendered Markdown with a code cell holding the rendered output:

   .. code-block:: markdown

      :::{chart} penetration
      :title: 固定宽带家庭普及率与移动宽带用户普及率
      The chart's subtitle: its message, in the template language.
      :::

      :::{data-table} sources
      :::

   so a chart's title and subtitle are written where the chart stands, by the same editor, and the
   static images (PNG, PDF) carry them.

Every failure is a :class:`~dcbook.prose.engine.ProseError` naming the cell; the build reports it like a
failing code cell and keeps the last good site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dcbook import facts as F
from dcbook import fmt, render
from dcbook.prose import engine
from dcbook.prose.engine import Facts, ProseError

PAYLOAD_MIME = render.PAYLOAD_MIME
#: ``:::{chart} key`` / ``:::{data-table} key`` … ``:::`` at the top level of a rendered cell.
_DIRECTIVE = re.compile(
    r"^(?P<fence>:{3,})\{(?P<kind>chart|data-table)\}[ \t]*(?P<key>[A-Za-z0-9_\-]*)[ \t]*\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_OPTION = re.compile(r"^:(?P<name>[a-z\-]+):[ \t]*(?P<value>.*)$")
EXHIBIT_TAGS = ["remove-input"]


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def take_payload(nb: dict[str, Any]) -> dict[str, Any] | None:
    """Remove the chapter payload output from ``nb`` and return it (None when no cell published one)."""
    found = None
    for cell in nb.get("cells", []):
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PAYLOAD_MIME in data:
                if found is not None:
                    raise ProseError("two cells published a chapter payload; only the setup cell may")
                found = data[PAYLOAD_MIME]
                if isinstance(found, str):
                    found = json.loads(found)
            else:
                kept.append(out)
        if "outputs" in cell:
            cell["outputs"] = kept
    return found


def context(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The names a template sees: ``f`` (the chapter's facts), ``book`` (the edition: year, previous edition,
    visible sources), ``charts`` and ``tables`` (which exhibits the edition has), ``edition``, ``chapter``."""
    figs = payload.get("figures", {}) or {}
    tabs = payload.get("tables", {}) or {}
    return {
        "f": Facts(F.decode(payload.get("facts", {})), "f"),
        "book": Facts(F.decode(payload.get("book", {})), "book"),
        "charts": Facts({k: (True if v is not None else None) for k, v in figs.items()}, "charts"),
        "tables": Facts({k: (True if v is not None else None) for k, v in tabs.items()}, "tables"),
        "edition": int(payload["edition"]),
        "chapter": str(payload["chapter"]),
    }


def _directive_parts(text: str) -> list[tuple[str, Any]]:
    """Split rendered Markdown into ``("md", text)`` and ``(kind, (key, options, body))`` pieces."""
    parts: list[tuple[str, Any]] = []
    pos = 0
    for m in _DIRECTIVE.finditer(text):
        before = text[pos : m.start()].strip("\n")
        if before.strip():
            parts.append(("md", before))
        options: dict[str, str] = {}
        body: list[str] = []
        lines = m["body"].split("\n")
        i = 0
        while i < len(lines) and (om := _OPTION.match(lines[i].strip())):
            options[om["name"]] = om["value"].strip()
            i += 1
        body = [ln for ln in lines[i:]]
        parts.append((m["kind"], (m["key"], options, " ".join(b.strip() for b in body if b.strip()))))
        pos = m.end()
    rest = text[pos:].strip("\n")
    if rest.strip():
        parts.append(("md", rest))
    return parts


def _exhibit_cell(cell_id: str, key: str, outputs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "execution_count": None,
        "metadata": {"tags": list(EXHIBIT_TAGS), "dcbook": {"exhibit": kind, "key": key}},
        "outputs": outputs,
        "source": f"# {kind}: {key} (rendered by dcbook from the chapter's facts)",
    }


def check_chart(payload: Mapping[str, Any], key: str, options: Mapping[str, str], where: str) -> str:
    """The title of a valid chart directive; raises naming what is wrong (unknown key, no data, no title)."""
    figs = payload.get("figures", {}) or {}
    if key not in figs:
        close = ", ".join(sorted(figs)) or "none"
        raise ProseError(f"{where}: chart {key!r} is not one of the chapter's charts ({close})")
    if figs[key] is None:
        raise ProseError(
            f"{where}: chart {key!r} has no data in this edition (guard it with {{% if charts.{key} %}})"
        )
    title = options.get("title", "").strip()
    if not title:
        raise ProseError(f"{where}: chart {key!r} needs a :title: line")
    unknown = set(options) - {"title"}
    if unknown:
        raise ProseError(f"{where}: chart {key!r}: unknown option(s) {sorted(unknown)} (only :title:)")
    return title


def chapter_number(slug: str) -> str | None:
    """The chapter's number for figure numbers ("2" for ``book/02_infrastructure``); None for an unnumbered
    page (an appendix) or a chapter outside the registry (a test's toy book)."""
    from dcbook.chapters import registry

    try:
        info = registry().get(slug)
    except (OSError, ValueError):
        return None
    match = re.match(r"(\d+)_", info.docname.rsplit("/", 1)[-1]) if info else None
    return str(int(match.group(1))) if match else None


def chart_output(
    payload: Mapping[str, Any],
    chapter: str,
    key: str,
    options: Mapping[str, str],
    subtitle: str,
    where: str,
    ordinal: int | None = None,
) -> dict[str, Any]:
    """The display output of one chart directive: the figure rendered with the directive's title/subtitle.

    ``ordinal`` is the chart's place on its page (1, 2 …): with the chapter's number it makes "图 2-1"."""
    title = check_chart(payload, key, options, where)
    chapter_no = chapter_number(chapter) if ordinal is not None else None
    fig = render.Figure.from_payload(
        payload["figures"][key],
        title=title,
        takeaway=subtitle or None,
        slug=f"{chapter}-{key}",
        number=f"{chapter_no}-{ordinal}" if chapter_no else None,
        edition=payload.get("edition"),
        sources=payload.get("sources"),
    )
    fig.write_csv()
    data, meta = fig.bundle()
    return {"output_type": "display_data", "data": data, "metadata": meta}


def table_output(
    payload: Mapping[str, Any], key: str, options: Mapping[str, str], where: str
) -> dict[str, Any]:
    """The display output of one data-table directive (the table the kernel rendered, escaped)."""
    tabs = payload.get("tables", {}) or {}
    if key not in tabs:
        close = ", ".join(sorted(tabs)) or "none"
        raise ProseError(f"{where}: table {key!r} is not one of the chapter's tables ({close})")
    if tabs[key] is None:
        raise ProseError(
            f"{where}: table {key!r} has no rows in this edition (guard it with {{% if tables.{key} %}})"
        )
    if options:
        raise ProseError(f"{where}: table {key!r}: a data-table takes no options")
    return {"output_type": "display_data", "data": dict(tabs[key]), "metadata": {}}


def render_notebook(
    nb: dict[str, Any], templates_dir: Path | None, *, where: str, draw: bool = True
) -> dict[str, Any]:
    """Render ``nb`` (an executed chapter notebook, as JSON) in place and return it.

    ``where`` prefixes every error ("edition 2021, chapter book/02_infrastructure"). A notebook whose
    setup cell published no payload has no templates to fill: it is returned unchanged, except that a
    template tag in it is an error (a chapter that forgot its setup cell).
    """
    payload = take_payload(nb)
    cells = nb.get("cells", [])
    if payload is None:
        for index, cell in enumerate(cells):
            if cell.get("cell_type") == "markdown" and re.search(r"\{\{|\{%", _source(cell)):
                raise ProseError(
                    f"{where}, cell {index}: the Markdown is a template but no setup cell published facts"
                )
        return nb
    env = engine.environment(templates_dir)
    ctx = context(payload)
    out: list[dict[str, Any]] = []
    charts_drawn = [0]  # numbers the page's charts in order (图 N-1, N-2 …)
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            out.append(cell)
            continue
        try:
            out.extend(_render_cell(cell, index, env, ctx, payload, where, draw, charts_drawn))
        except ProseError as exc:
            exc.cell = index  # type: ignore[attr-defined]
            raise
    nb["cells"] = out
    return nb


def _render_cell(
    cell: dict[str, Any],
    index: int,
    env: Any,
    ctx: Mapping[str, Any],
    payload: Mapping[str, Any],
    where: str,
    draw: bool = True,
    charts_drawn: list[int] | None = None,
) -> list[dict[str, Any]]:
    """One Markdown cell → its rendered Markdown cells and exhibit cells (none when it renders empty).

    Without ``draw`` a chart is checked but not rendered: its cell holds title and subtitle as text
    (fast previews and template tests)."""
    at = f"{where}, cell {index}"
    text = engine.render_text(env, _source(cell), ctx, where=at)
    base_id = str(cell.get("id") or f"cell-{index}")
    cells: list[dict[str, Any]] = []
    for n, (kind, piece) in enumerate(_directive_parts(text)):
        cid = base_id if n == 0 else f"{base_id}-{n}"
        if kind == "md":
            cells.append({**cell, "id": cid, "source": piece})
            continue
        key, options, body = piece
        if kind == "chart":  # title and subtitle are drawn as plain text, not parsed as Markdown
            options = {k: fmt.md_plain(v) for k, v in options.items()}
            body = fmt.md_plain(body)
        if kind == "chart" and not draw:
            title = check_chart(payload, key, options, at)
            output = {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/plain": f"{title}\n{body}"},
            }
        elif kind == "chart":
            counter = charts_drawn if charts_drawn is not None else [0]
            counter[0] += 1
            output = chart_output(payload, ctx["chapter"], key, options, body, at, ordinal=counter[0])
        else:
            if body:
                raise ProseError(f"{at}: table {key!r}: a data-table has no body")
            output = table_output(payload, key, options, at)
        cells.append(_exhibit_cell(cid, key, [output], kind))
    return cells


def render_file(path: Path, templates_dir: Path | None, *, where: str) -> None:
    """:func:`render_notebook` on a notebook file, rewritten in place (only when rendering succeeded)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    render_notebook(nb, templates_dir, where=where)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def preview(payload: Mapping[str, Any], nb: dict[str, Any], templates_dir: Path | None, *, where: str) -> str:
    """The rendered page as Markdown text (charts as "[图] title / subtitle"), without drawing anything."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        cell.pop("outputs", None) if cell.get("cell_type") == "markdown" else cell.update(outputs=[])
    first = next(c for c in nb["cells"] if c.get("cell_type") == "code")
    first["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {PAYLOAD_MIME: dict(payload)}}
    ]
    render_notebook(nb, templates_dir, where=where, draw=False)
    parts = []
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            parts.append(_source(cell))
        elif cell.get("metadata", {}).get("dcbook", {}).get("exhibit"):
            text = cell["outputs"][0]["data"].get("text/plain", "")
            parts.append("[" + cell["metadata"]["dcbook"]["exhibit"] + "] " + text.replace("\n", " / "))
    return "\n\n".join(parts)
