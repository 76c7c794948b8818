"""The Sphinx extension that adapts the web book to paper; loaded by the LaTeX build only.

Registered through ``extra_extensions`` in :func:`dcbook.pdf.config.latex_config`. HTML-only outputs (pandas
tables, the filterable catalogue) get a printed form, tables get widths that fit the page, long identifiers
may break, the toc part "附录" is lettered 附录 A, B … and the bibliography stays in its 参考文献 chapter.
It runs inside Sphinx, not in the build process, hence its own module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

# ---- Sphinx extension: column widths of tables ---------------------------------------------------------------

#: Sphinx typesets tables of more than 30 rows as longtable with plain ``l`` columns, which never wrap: a
#: catalogue with a definition column runs off the page. Such tables get fitted wrapping columns.
LONGTABLE_ROWS = 30
#: Class of the tables made from HTML outputs (see :func:`table_node`): fitted whatever their length,
#: because tabulary sizes columns from content and lets an unbreakable id ("fyp14_plan") overrun.
PRINTED_TABLE_CLASS = "dcbook-printed-table"


def display_width(text: str) -> int:
    """Width in half-em units: CJK and full-width characters count two, others one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


#: Width of the text block in half-ems of the table font, for :func:`column_weights`: A4 less two 2.4 cm
#: margins is 459 pt; tables are set in \\small (10 pt: a half-em is 5 pt) or, when wide, in \\footnotesize
#: (9 pt) with half the column separation (see dcbook.sty).
TABLE_HALF_EMS = 91
WIDE_TABLE_HALF_EMS = 101
#: Class of a table set in the smaller size (its container is ``dcbookwide``; see :func:`table_node`).
WIDE_TABLE_CLASS = "dcbook-wide-table"


def column_weights(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[Sequence[str]] = (),
    floor: int = 4,
    cap: int = 40,
    pad: int = 3,
    available: int | None = None,
) -> list[int]:
    """Column widths in half-ems: the widest cell of each column (clamped to ``[floor, cap]``) plus ``pad``.

    ``pad`` stands for the column separation. Header cells may wrap onto two lines, so they count for
    half their characters, rounded up: a long heading over short values ("数字化发展环境" over "前十")
    must not take the room the values need. When the natural widths add up to more than ``available``,
    the columns narrower than a fair share keep their width (units, years, counts stay on one line) and
    the rest is shared among the wide ones in proportion to their typical (90th percentile) cell, so a
    few long cells wrap instead of widening their whole column — scaling every column alike would
    squeeze a count column to one character per line.
    """
    ncols = max((len(r) for r in [*rows, *header]), default=0)
    cells: list[list[int]] = [[] for _ in range(ncols)]
    for row in rows:
        for i, cell in enumerate(row):
            cells[i].append(min(cap, display_width(cell.strip())))
    heads = [floor] * ncols
    for row in header:
        for i, cell in enumerate(row):
            # two lines of whole characters: a CJK character is two half-ems
            heads[i] = max(heads[i], min(cap, 2 * -(-display_width(cell.strip()) // 4)))
    natural = [max(floor, heads[i], *cells[i]) + pad for i in range(ncols)]
    if available is None or sum(natural) <= available:
        return natural
    typical = [
        max(floor, heads[i], sorted(cells[i])[int(0.9 * (len(cells[i]) - 1))] if cells[i] else 0) + pad
        for i in range(ncols)
    ]
    kept: set[int] = set()
    while len(kept) < ncols:
        rest = [i for i in range(ncols) if i not in kept]
        share = (available - sum(natural[i] for i in kept)) / len(rest)
        narrow = {i for i in rest if natural[i] <= share}
        if not narrow:
            break
        kept |= narrow
    rest = [i for i in range(ncols) if i not in kept]
    budget = available - sum(natural[i] for i in kept)
    scale = budget / sum(typical[i] for i in rest) if rest else 1.0
    return [natural[i] if i in kept else max(floor + pad, round(typical[i] * scale)) for i in range(ncols)]


def _fit_tables(doctree: Any) -> int:
    """Give tables explicit column widths (``colwidths-given``, see :func:`column_weights`); return how many.

    Sphinx sets tables of more than 30 rows as longtable with ``l`` columns that never wrap, and shorter
    ones as tabulary, which sizes columns from their content and lets an unbreakable id overrun. Long
    tables, tables printed from HTML outputs and tables too wide for their natural widths get wrapping
    columns; short tables that fit are left to tabulary. Tables with merged cells are left alone.
    """
    from docutils import nodes

    fitted = 0
    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table["classes"]:
            continue
        tgroups = [n for n in table.children if isinstance(n, nodes.tgroup)]
        if len(tgroups) != 1:
            continue
        colspecs = [n for n in tgroups[0].children if isinstance(n, nodes.colspec)]
        rows = list(tgroups[0].findall(nodes.row))
        entries = [[e for e in row.children if isinstance(e, nodes.entry)] for row in rows]
        if any(e.get("morecols") or e.get("morerows") for r in entries for e in r):
            continue  # spanned cells: leave Sphinx's layout alone
        in_head = [isinstance(row.parent, nodes.thead) for row in rows]
        cells = [[e.astext() for e in r] for r in entries]
        body = [c for c, h in zip(cells, in_head, strict=True) if not h]
        head = [c for c, h in zip(cells, in_head, strict=True) if h]
        wide = WIDE_TABLE_CLASS in table["classes"]
        available = WIDE_TABLE_HALF_EMS if wide else TABLE_HALF_EMS
        weights = column_weights(body, header=head, available=available, pad=2 if wide else 3)
        long = len(rows) > LONGTABLE_ROWS or "longtable" in table["classes"]
        printed = PRINTED_TABLE_CLASS in table["classes"]
        if not (long or printed or sum(column_weights(body, header=head)) > available):
            continue
        if len(weights) != len(colspecs):
            continue
        for spec, weight in zip(colspecs, weights, strict=True):
            spec["colwidth"] = weight
        table["classes"].append("colwidths-given")
        fitted += 1
    return fitted


# ---- Sphinx extension: HTML-only outputs on paper ------------------------------------------------------------

#: Mime types LaTeX can print; a bundle holding one of them needs no stand-in for its HTML.
PRINTABLE_MIME_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "text/latex", "text/markdown"}
)
#: Marker class of the filterable catalogue (dcbook.chapters.methods.catalogue_html).
FILTER_TABLE_CLASS = "dcbook-filter-table"
#: What the PDF prints instead of the filter box and its 885-row table (the appendix lists the catalogue).
FILTER_TABLE_NOTE = "（网页版在此提供可按关键词筛选、附带定义的完整指标目录；印刷版请见书末的"
#: Tables with this many columns or more are set one size smaller (``sphinxclassdcbookwide`` in dcbook.sty).
WIDE_TABLE_COLUMNS = 7
#: A text/plain output that is only an object's repr: nothing a reader could use.
_REPR_ONLY = re.compile(r"^<[\w.]+(?: object| at 0x[0-9a-fA-F]+)>$")
#: Runs of Latin characters without a space (snake_case identifiers, URLs, markup a source title may carry)
#: long enough to overrun a table column: TeX cannot hyphenate them, so they may break after these characters.
_LONG_IDENTIFIER = re.compile(r"[!-~]+")
LONG_IDENTIFIER_CHARS = 8
BREAK_AFTER = frozenset("_/>(|=")


class _TableParser(HTMLParser):
    """Collects the cell texts of every ``<table>`` (header rows and body rows), skipping ``<style>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[list[str]]]] = []
        self.spans = False
        self._skip = 0
        self._in_head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script"}:
            self._skip += 1
        elif tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
            if any(k in {"colspan", "rowspan"} and (v or "1").strip() != "1" for k, v in attrs):
                self.spans = True
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"}:
            self._skip = max(0, self._skip - 1)
        elif tag == "thead":
            self._in_head = False
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            (head if self._in_head else body).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def html_tables(html_text: str) -> list[tuple[list[list[str]], list[list[str]]]]:
    """``(header rows, body rows)`` of each ``<table>`` in an HTML output, as cell texts.

    Raises ValueError for merged cells (``colspan``/``rowspan``): they have no faithful plain-grid form.
    """
    parser = _TableParser()
    parser.feed(html_text)
    parser.close()
    if parser.spans:
        raise ValueError("the table has merged cells (colspan/rowspan)")
    return [(h, b) for h, b in parser.tables if h or b]


def table_node(header: Sequence[Sequence[str]], body: Sequence[Sequence[str]]) -> Any:
    """A docutils table (wrapped in a ``dcbookwide`` container when wide) for the LaTeX writer."""
    from docutils import nodes

    ncols = max(len(r) for r in [*header, *body])
    table = nodes.table(classes=[PRINTED_TABLE_CLASS])
    group = nodes.tgroup(cols=ncols)
    table += group
    for _ in range(ncols):
        group += nodes.colspec(colwidth=1)

    def rows(cells: Sequence[Sequence[str]]) -> list[Any]:
        out = []
        for cells_row in cells:
            row = nodes.row()
            for i in range(ncols):
                text = cells_row[i] if i < len(cells_row) else ""
                row += nodes.entry("", nodes.paragraph(text, text))
            out.append(row)
        return out

    if header:
        group += nodes.thead("", *rows(header))
    group += nodes.tbody("", *rows(body))
    if ncols >= WIDE_TABLE_COLUMNS:
        table["classes"].append(WIDE_TABLE_CLASS)
        return nodes.container("", table, classes=["dcbookwide"])
    return table


def _print_html_outputs(document: Any, catalogue_doc: str | None, docname: str, warn: Any) -> int:
    """Give HTML-only notebook outputs a printed form; return how many bundles were replaced.

    myst-nb keeps every mime type of an output until its ``SelectMimeType`` post-transform picks one per
    builder; for LaTeX, a pandas table (Styler) or an ``IPython.display.HTML`` has only its ``text/plain``
    repr (``<pandas.io.formats.style.Styler at 0x…>``), which would be printed verbatim. Run before that
    transform, this turns each such bundle into a real table, replaces the filterable catalogue by a note
    pointing to the appendix, and drops (with a warning) HTML it cannot print.
    """
    from docutils import nodes
    from sphinx import addnodes

    replaced = 0
    bundles = [n for n in document.findall(nodes.container) if n.get("nb_element") == "mime_bundle"]
    for bundle in bundles:
        kinds = {c.get("mime_type"): c for c in bundle.children}
        if "text/html" not in kinds or PRINTABLE_MIME_TYPES & set(kinds):
            continue
        html_text = kinds["text/html"].astext()
        if FILTER_TABLE_CLASS in html_text:
            para = nodes.paragraph("", FILTER_TABLE_NOTE)
            if catalogue_doc:
                ref = addnodes.pending_xref(
                    "",
                    refdomain="std",
                    reftype="doc",
                    reftarget="/" + catalogue_doc,
                    refdoc=docname,
                    refexplicit=False,
                    refwarn=True,
                )
                ref += nodes.inline("", "")
                para += ref
            else:
                para += nodes.Text("附录")
            para += nodes.Text("。）")
            bundle.replace_self(para)
            replaced += 1
            continue
        try:
            tables = html_tables(html_text)
        except ValueError as exc:
            tables, reason = [], str(exc)
        else:
            reason = f"{len(tables)} tables" if tables else "no table"
        if len(tables) == 1:
            bundle.replace_self(table_node(*tables[0]))
            replaced += 1
            continue
        plain = kinds["text/plain"].astext().strip() if "text/plain" in kinds else ""
        if not plain or _REPR_ONLY.match(plain):
            warn(
                f"HTML-only output has no printable form ({reason}); it is left out of the PDF",
                bundle,
            )
            bundle.parent.remove(bundle)
            replaced += 1
    return replaced


def _break_long_identifiers(document: Any) -> int:
    """Let long unspaced Latin runs in table cells break after ``BREAK_AFTER`` characters; return how many."""
    from docutils import nodes

    count = 0
    for entry in document.findall(nodes.entry):
        for text in list(entry.findall(nodes.Text)):
            parent = text.parent
            if isinstance(parent, (nodes.literal, nodes.raw, nodes.FixedTextElement)):
                continue
            value = str(text)
            pieces: list[Any] = []
            last = 0
            for m in _LONG_IDENTIFIER.finditer(value):
                word = m.group(0)
                cuts = [i + 1 for i, ch in enumerate(word[:-1]) if ch in BREAK_AFTER]
                if len(word) < LONG_IDENTIFIER_CHARS or not cuts:
                    continue
                pieces.append(nodes.Text(value[last : m.start()] + word[: cuts[0]]))
                for start, end in zip(cuts, [*cuts[1:], len(word)], strict=True):
                    pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
                    pieces.append(nodes.Text(word[start:end]))
                last = m.end()
                count += 1
            if pieces:
                pieces.append(nodes.Text(value[last:]))
                index = parent.index(text)
                parent[index : index + 1] = [p for p in pieces if not isinstance(p, nodes.Text) or str(p)]
    return count


# ---- Sphinx extension: appendices and the bibliography ----------------------------------------------------

#: Default of the Sphinx config value ``dcbook_appendix_caption``: the caption of the toc part whose
#: chapters are appendices (lettered 附录 A, B …).
APPENDIX_CAPTION = "附录"
#: Default of ``dcbook_catalogue_doc``: the appendix that prints the indicator catalogue (the printed
#: stand-in for chapter 13's filter box points to it).
CATALOGUE_DOCNAME = "book/appendix_catalogue"
#: A chapter title "附录：指标目录" is printed "指标目录" under the label "附录 A".
_APPENDIX_PREFIX = re.compile(r"^附录\s*[：:]\s*")


def _mark_bibliographies(document: Any) -> int:
    """Mark where each bibliography stands, before Sphinx gathers every citation at the end; return how many.

    Sphinx's LaTeX ``BibliographyTransform`` (priority 750) moves all ``citation`` nodes into one
    ``thebibliography`` at the end of the book, which would leave the 参考文献 chapter empty and print
    the list after the appendices under a second heading. Each run of consecutive citations (one
    ``{bibliography}`` directive) gets an anchor before it and its key on every citation.
    """
    from docutils import nodes

    marked = 0
    last: tuple[int, int] | None = None
    for cite in list(document.findall(nodes.citation)):
        parent = cite.parent
        index = parent.index(cite)
        if last is None or last != (id(parent), index - 1):
            anchor = nodes.container("", classes=["dcbook-bib-anchor"])
            anchor["dcbook_bib"] = f"bib{marked}"
            parent.insert(index, anchor)
            index += 1
            marked += 1
        cite["dcbook_bib"] = f"bib{marked - 1}"
        last = (id(parent), index)
    return marked


def _holds(section: Any, target: Any) -> bool:
    """Whether ``target`` is inside ``section`` but not inside one of its subsections (children, top down)."""
    from docutils import nodes

    stack = list(section.children)
    while stack:
        node = stack.pop()
        if node is target:
            return True
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.section):
            stack.extend(node.children)
    return False


def _parent_of(root: Any, target: Any) -> Any:
    """The node whose children list holds ``target``, searched from ``root`` down (see _arrange_back_matter)."""
    from docutils import nodes

    stack = [root]
    while stack:
        node = stack.pop()
        if any(child is target for child in node.children):
            return node
        stack.extend(c for c in node.children if isinstance(c, nodes.Element))
    return None


def _arrange_back_matter(document: Any, appendix_caption: str | None, warn: Any) -> None:
    """Put each bibliography back in its chapter and letter the appendix part's chapters.

    * The citations Sphinx gathered at the end go back, as a ``thebibliography``, to where their
      ``{bibliography}`` directive stood (dcbook.sty prints it as a plain list; the chapter supplies the
      heading). A chapter whose own top level holds it (the 参考文献 page) is typeset unnumbered.
    * In the toc part captioned ``appendix_caption``, ``\\dcbookappendix`` (``\\appendix``) precedes the
      first chapter, and a leading "附录：" is dropped from chapter titles (the label says 附录 A).
    """
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.builders.latex.nodes import thebibliography

    anchors = {
        a["dcbook_bib"]: a for a in document.findall(nodes.container) if "dcbook-bib-anchor" in a["classes"]
    }
    placed: list[Any] = []
    for gathered in list(document.findall(thebibliography)):
        for cite in list(gathered.children):
            anchor = anchors.get(cite.get("dcbook_bib"))
            if anchor is None:
                warn("citation without a recorded place; it stays at the end of the PDF", cite)
                continue
            gathered.remove(cite)
            if not anchor.children:
                anchor += thebibliography()
            anchor[0] += cite
        if not gathered.children:
            gathered.parent.remove(gathered)
    for anchor in anchors.values():
        if not anchor.children:
            anchor.parent.remove(anchor)
            continue
        bib = anchor[0]
        anchor.replace_self(bib)
        placed.append(bib)
    # A chapter holding a bibliography at its own top level (not in a subsection) is the 参考文献 page.
    # Found from the top down: Sphinx's inline_all_toctrees hands each start_of_file its document's
    # children without re-parenting them, so walking up from the bibliography stops at a stale document.
    for start in list(document.findall(addnodes.start_of_file)):
        chapter = next((c for c in start.children if isinstance(c, nodes.section)), None)
        if chapter is None or not any(_holds(chapter, bib) for bib in placed):
            continue
        where = _parent_of(document, start)
        if where is None:
            warn("bibliography chapter not found in the assembled book; it stays numbered", start)
            continue
        where.insert(where.index(start), nodes.raw("", r"\dcbookunnumbered", format="latex"))
        where.insert(where.index(start) + 1, nodes.raw("", r"\dcbooknumbered", format="latex"))

    if not appendix_caption:
        return
    parts = [
        s
        for s in document.findall(nodes.section)
        if s.get("docname") == appendix_caption and isinstance(s.parent, addnodes.start_of_file)
    ]
    for part in parts:
        title = next((c for c in part.children if isinstance(c, nodes.title)), None)
        at = part.index(title) + 1 if title is not None else 0
        part.insert(at, nodes.raw("", r"\dcbookappendix", format="latex"))
        for start in part.findall(addnodes.start_of_file):
            chapter = next((c for c in start.children if isinstance(c, nodes.section)), None)
            if chapter is None or not chapter.children or not isinstance(chapter[0], nodes.title):
                continue
            head = chapter[0]
            first = head.children[0] if head.children else None
            if isinstance(first, nodes.Text) and _APPENDIX_PREFIX.match(str(first)):
                head.replace(first, nodes.Text(_APPENDIX_PREFIX.sub("", str(first))))


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (``extra_extensions: [dcbook.pdf.sphinx_ext]``); every transform is LaTeX-only.

    Printed forms for HTML-only outputs, breakable identifiers and fitted columns in tables, appendices
    lettered after ``\\appendix`` and the bibliography inside its own chapter.
    """
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util import logging

    logger = logging.getLogger("dcbook.pdf")
    app.add_config_value("dcbook_appendix_caption", APPENDIX_CAPTION, "env", [str, type(None)])
    app.add_config_value("dcbook_catalogue_doc", CATALOGUE_DOCNAME, "env", [str, type(None)])

    def warn(message: str, node: Any) -> None:
        logger.warning(f"[dcbook.pdf] {message}", location=node)

    class PrintHtmlOutputs(SphinxPostTransform):
        """HTML-only outputs → tables or notes; before myst-nb's SelectMimeType (priority 4)."""

        default_priority = 3
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            doc = self.config.dcbook_catalogue_doc
            found = doc if doc in self.env.all_docs else None
            _print_html_outputs(self.document, found, self.env.docname, warn)

    class FitTables(SphinxPostTransform):
        """Wrapping columns of fitted widths (see :func:`_fit_tables`)."""

        default_priority = 400
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            _fit_tables(self.document)

    class MarkBibliographies(SphinxPostTransform):
        """Before Sphinx's BibliographyTransform (priority 750) gathers the citations."""

        default_priority = 690
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            _mark_bibliographies(self.document)

    class ArrangeBackMatter(SphinxPostTransform):
        """After the parts (sphinx-jupyterbook-latex, 700) and the gathered citations (Sphinx, 750)."""

        default_priority = 760
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            _arrange_back_matter(self.document, self.config.dcbook_appendix_caption, warn)

    class BreakLongIdentifiers(SphinxPostTransform):
        """Break points in long unspaced Latin runs (identifiers, URLs) inside table cells."""

        default_priority = 900
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            _break_long_identifiers(self.document)

    for transform in (
        PrintHtmlOutputs,
        FitTables,
        MarkBibliographies,
        ArrangeBackMatter,
        BreakLongIdentifiers,
    ):
        app.add_post_transform(transform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
