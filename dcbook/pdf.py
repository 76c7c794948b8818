"""The PDF edition: a typeset Chinese book built by XeLaTeX from the same staged source tree as the site.

The build (``dcbook.build``) executes the chapters once and stages one Jupyter Book source tree; this
module turns that tree into ``<out_dir>/digital-china-<edition>.pdf``:

1. :func:`latex_config` gives the ``latex:`` / ``sphinx: config:`` keys (ctex, Noto fonts, page design,
   title page with edition and data vintage) that are merged into the *staged* ``_config.yml`` — the
   repository's own ``_config.yml`` is never edited.
2. ``jupyter-book build --builder latex`` writes the ``.tex`` (notebooks are not executed again: the staged
   notebooks already carry their outputs; charts bring ``application/pdf``, which myst-nb prefers for LaTeX).
   This module is also the Sphinx extension that adapts the web book to paper (see :func:`setup`): HTML-only
   outputs (pandas tables, the filterable catalogue) get a printed form, tables get widths that fit the
   page, the toc part "附录" is lettered 附录 A, B … and the bibliography stays in its 参考文献 chapter.
3. ``latexmk -xelatex`` typesets it; :func:`check_latex_log` then reads the log, because XeLaTeX does not
   fail on a missing glyph, an undefined reference or a line running into the margin — it only logs them.
4. Only a clean PDF is moved (atomically) over the previous one; otherwise :class:`PdfBuildError` lists
   the offending log lines and the old PDF stays.

The ``bbm.sty`` the jupyterBook LaTeX class requires is a local stand-in shipped in
``book/_static/latex/`` (see that file for why), copied next to the ``.tex`` by ``latex_additional_files``;
``longtable.tex.jinja`` there overrides Sphinx's template (``templates_path``).
:func:`assert_pdf_book` holds the checks a test makes on a finished book.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from dcbook import REPO_ROOT

#: Where the LaTeX support files live in the repository and, relative to the source root, in the staged tree.
LATEX_SUPPORT_DIR = REPO_ROOT / "book" / "_static" / "latex"
STAGED_LATEX_DIR = "_static/latex"
LATEX_SUPPORT_FILES = ("dcbook.sty", "bbm.sty")
#: Sphinx LaTeX templates overridden by the book (found through ``templates_path``; see the file).
LATEX_TEMPLATE_FILES = ("longtable.tex.jinja",)
#: Overfull boxes up to this width are typographic noise (CJK line breaking leaves a few points).
HBOX_TOLERANCE_PT = 20.0
#: Wall-clock limits (seconds): Sphinx writing the .tex, and the whole latexmk run (2–3 XeLaTeX passes).
SPHINX_TIMEOUT = 900
LATEXMK_TIMEOUT = 900

# Fonts: Noto Serif CJK SC / Noto Sans CJK SC for Chinese; the Latin Noto faces were drawn to match them.
FONT_SETUP = r"""
% No TeX ligatures (as Sphinx sets for xelatex): text from the data keeps ` and ' straight, never ‘ ’.
\defaultfontfeatures[\rmfamily,\sffamily,\ttfamily]{}
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
\setCJKmainfont{Noto Serif CJK SC}[ItalicFont=Noto Serif CJK SC, ItalicFeatures={FakeSlant=0.15}]
\setCJKsansfont{Noto Sans CJK SC}[ItalicFont=Noto Sans CJK SC, ItalicFeatures={FakeSlant=0.15}]
\setCJKmonofont{Noto Sans CJK SC}
\xeCJKsetup{CJKecglue={\hskip 0.25em plus 0.1em minus 0.05em}}
% Arrows, relations (≥), circled numbers (①), boxes and shapes are absent from Noto Serif but drawn by
% Noto CJK: typeset them with the CJK faces.
\xeCJKDeclareCharClass{CJK}{"2190 -> "21FF, "2200 -> "22FF, "2460 -> "24FF, "2500 -> "257F,
  "25A0 -> "25FF, "2600 -> "26FF, "2700 -> "27BF}
"""


class PdfBuildError(RuntimeError):
    """The PDF could not be built or is not clean; the message names the file and the log lines."""


def pdf_name(edition: int) -> str:
    """File name of one edition's PDF (the site links ``_static``-independent ``pdf/<name>``)."""
    return f"digital-china-{int(edition)}.pdf"


def tex_escape(text: str) -> str:
    """Escape LaTeX specials so a config string (title, vintage) typesets literally."""
    repl = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "%": r"\%",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
    return "".join(repl.get(ch, ch) for ch in text)


def latex_config(edition: int, data_vintage: str) -> dict[str, Any]:
    """Config keys to deep-merge into the staged ``_config.yml`` for the LaTeX build.

    Why a generated config: the HTML and PDF builds share one staged tree, and the repository's
    ``_config.yml`` belongs to the build; merging these keys into the staged copy changes only the PDF.
    """
    edition = int(edition)
    if not str(data_vintage).strip():
        raise ValueError("latex_config: data_vintage is empty (the title page prints it)")
    preamble = "\n".join(
        [
            rf"\def\dcbookEdition{{{edition}}}",
            rf"\def\dcbookVintage{{{tex_escape(str(data_vintage))}}}",
            r"\usepackage{dcbook}",
            # Short tables are tabulary, which squeezes every column wider than \tymin (Sphinx: 3 digits) in
            # proportion: a long cell (a source title) squeezed the `fyp14_interp` column until it overflowed.
            # Columns narrower than 7em now keep their natural width.
            r"\setlength{\tymin}{7em}",
        ]
    )
    latex_elements = {
        "papersize": "a4paper",
        "pointsize": "11pt",
        # ctex brings xeCJK + fontspec and Chinese captions (目录, 图, 表, 参考文献); the chapter heads are
        # set in dcbook.sty with titlesec, which Sphinx already uses (ctex's heading=true would clash).
        "babel": "",
        "polyglossia": "",
        "fontenc": r"\usepackage[UTF8,heading=false,scheme=chinese,fontset=none,linespread=1.3]{ctex}",
        "fontpkg": FONT_SETUP,
        "fncychap": "",
        "fvset": r"\fvset{fontsize=\small,formatcom=\xeCJKVerbAddon}",
        "sphinxsetup": "hmargin={2.4cm,2.4cm}, vmargin={2.6cm,2.6cm}, HeaderFamily=\\sffamily\\bfseries",
        "preamble": preamble,
        # Chapters may open on either page: the book is read on screen at least as often as printed.
        "extraclassoptions": "openany",
        "maketitle": r"\dcbookmaketitle",
        # Sphinx names the contents after the first toc caption ("全局"): restore ctex's 目录. After the
        # contents, the root page's running head shows the book title, not "目录".
        "tableofcontents": r"\renewcommand{\contentsname}{目录}\sphinxtableofcontents\dcbookfrontmatterdone",
        # No general index: the book has none, and makeindex cannot sort Chinese.
        "makeindex": "",
        "printindex": "",
        "figure_align": "htbp",
    }
    return {
        "latex": {
            "latex_engine": "xelatex",
            "use_jupyterbook_latex": True,
            "latex_documents": {"targetname": f"dcbook-{edition}.tex"},
        },
        "sphinx": {
            # This module is also a Sphinx extension: it sizes the columns of long tables (see setup()).
            "extra_extensions": ["dcbook.pdf"],
            "config": {
                "language": "zh_CN",
                "latex_elements": latex_elements,
                "latex_additional_files": [f"{STAGED_LATEX_DIR}/{name}" for name in LATEX_SUPPORT_FILES],
                "templates_path": [STAGED_LATEX_DIR],
                "latex_table_style": ["booktabs", "colorrows"],
                "latex_show_urls": "no",
                "latex_show_pagerefs": False,
                "latex_domain_indices": False,
                # The extension's own per-chapter TOC lists would repeat the real table of contents.
                "jblatex_show_tocs": False,
            },
        },
    }


#: List-valued keys that accumulate when merged (the build may have its own extensions and files).
UNION_KEYS = frozenset({"extra_extensions", "latex_additional_files", "templates_path"})


def merge_config(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base``.

    Mappings merge; lists under :data:`UNION_KEYS` are extended without duplicates; anything else in
    ``extra`` replaces the value in ``base``.
    """
    merged = copy.deepcopy(dict(base))
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_config(merged[key], value)
        elif key in UNION_KEYS and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def stage_latex(staged_source: Path, edition: int, data_vintage: str) -> Path:
    """Merge :func:`latex_config` into the staged ``_config.yml``, copy the .sty and template files; return its path."""
    config_path = staged_source / "_config.yml"
    if not config_path.is_file():
        raise PdfBuildError(f"{config_path}: missing (the staged book has no _config.yml)")
    try:
        base = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PdfBuildError(f"{config_path}: not valid YAML: {exc}") from exc
    if not isinstance(base, dict):
        raise PdfBuildError(f"{config_path}: top level is {type(base).__name__}, expected a mapping")
    merged = merge_config(base, latex_config(edition, data_vintage))
    config_path.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    target = staged_source / STAGED_LATEX_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in (*LATEX_SUPPORT_FILES, *LATEX_TEMPLATE_FILES):
        src = LATEX_SUPPORT_DIR / name
        if not src.is_file():
            raise PdfBuildError(f"{src}: LaTeX support file missing from the repository")
        shutil.copyfile(src, target / name)
    return config_path


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
#: snake_case identifiers long enough to overrun a table column; they may break after each underscore.
_LONG_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
LONG_IDENTIFIER_CHARS = 8


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
    """Let long snake_case identifiers in table cells break after underscores; return how many."""
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
                if len(m.group(0)) < LONG_IDENTIFIER_CHARS:
                    continue
                parts = m.group(0).split("_")
                pieces.append(nodes.Text(value[last : m.start()] + parts[0]))
                for part in parts[1:]:
                    pieces.append(nodes.Text("_"))
                    pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
                    pieces.append(nodes.Text(part))
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
    """Sphinx entry point (``extra_extensions: [dcbook.pdf]``); every transform acts on the LaTeX build only.

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
        """Break points in long snake_case identifiers inside table cells."""

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


# ---- log checking -------------------------------------------------------------------------------------------

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


# ---- running the tools ----------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    """A console script of the venv running us, else from PATH (so tests use the pinned jupyter-book)."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise PdfBuildError(f"{name}: not found (neither next to {sys.executable} nor on PATH)")
    return found


def _run(
    cmd: Sequence[str], *, cwd: Path, log: Path, timeout: int, env: Mapping[str, str] | None = None
) -> int:
    """Run ``cmd`` with output to ``log``; return the exit code (a timeout is an error naming the log)."""
    with log.open("w", encoding="utf-8") as out:
        try:
            proc = subprocess.run(
                list(cmd),
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                env={**os.environ, **(env or {})},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfBuildError(f"{cmd[0]}: timed out after {timeout}s; output so far in {log}") from exc
    return proc.returncode


def _tail(path: Path, n: int = 30) -> str:
    """Last ``n`` lines of a log, for an error message."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return f"(no log at {path})"


def build_pdf(
    staged_source: Path,
    out_dir: Path,
    *,
    edition: int,
    data_vintage: str,
    work_dir: Path | None = None,
    hbox_tolerance_pt: float = HBOX_TOLERANCE_PT,
    strict: bool = False,
) -> Path:
    """Typeset the staged book to ``out_dir/<pdf_name(edition)>`` and return that path.

    ``staged_source`` is the staged Jupyter Book tree (``_config.yml``, ``_toc.yml``, executed notebooks);
    its ``_config.yml`` receives :func:`latex_config`. ``work_dir`` keeps Sphinx's doctrees and the LaTeX
    files between builds (default: ``out_dir/../.pdf-work/<edition>``), so a rebuild re-reads only what
    changed. ``strict`` makes Sphinx warnings errors. Raises :class:`PdfBuildError` — leaving any previous
    PDF in place — if Sphinx or latexmk fails or :func:`check_latex_log` finds a problem.
    """
    staged_source = Path(staged_source).resolve()
    out_dir = Path(out_dir).resolve()
    work_dir = Path(work_dir).resolve() if work_dir else out_dir.parent / ".pdf-work" / str(int(edition))
    work_dir.mkdir(parents=True, exist_ok=True)
    stage_latex(staged_source, edition, data_vintage)

    # 1. Sphinx → .tex (no notebook execution: the staged notebooks carry their outputs).
    sphinx_log = work_dir / "sphinx-latex.log"
    cmd = [
        _tool("jupyter-book"),
        "build",
        str(staged_source),
        "--builder",
        "latex",
        "--path-output",
        str(work_dir),
    ]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    if _run(cmd, cwd=staged_source, log=sphinx_log, timeout=SPHINX_TIMEOUT) != 0:
        raise PdfBuildError(f"jupyter-book --builder latex failed; see {sphinx_log}:\n{_tail(sphinx_log)}")
    latex_dir = work_dir / "_build" / "latex"
    tex = latex_dir / f"dcbook-{int(edition)}.tex"
    if not tex.is_file():
        raise PdfBuildError(f"{tex}: Sphinx did not write the expected .tex (see {sphinx_log})")

    # 2. .tex → .pdf. Long log lines unwrapped so a missing character is never split across lines; -g
    # because Sphinx rewrote the .tex and latexmk must not trust a previous failed run's bookkeeping.
    for stale in (tex.with_suffix(".pdf"), tex.with_suffix(".xdv")):
        stale.unlink(missing_ok=True)
    latexmk_log = work_dir / "latexmk.log"
    code = _run(
        [
            "latexmk",
            "-xelatex",
            "-g",
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-file-line-error",
            tex.name,
        ],
        cwd=latex_dir,
        log=latexmk_log,
        timeout=LATEXMK_TIMEOUT,
        env={
            "max_print_line": "100000",
            "error_line": "254",
            "half_error_line": "238",
            "LATEXOPTS": "",
            "XINDYOPTS": "",
        },
    )
    tex_log = tex.with_suffix(".log")
    log_text = tex_log.read_text(encoding="utf-8", errors="replace") if tex_log.is_file() else ""
    problems = check_latex_log(log_text, hbox_tolerance_pt=hbox_tolerance_pt)
    built = tex.with_suffix(".pdf")
    if code != 0 or not built.is_file():
        detail = "\n".join(problems) or _tail(latexmk_log)
        raise PdfBuildError(f"latexmk failed (exit {code}) on {tex}; see {tex_log}:\n{detail}")
    if problems:
        raise PdfBuildError(
            f"{tex_log}: {len(problems)} problem(s); the previous PDF is kept:\n" + "\n".join(problems)
        )

    # 3. Publish atomically: a reader never sees a half-copied PDF.
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / pdf_name(edition)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=out_dir)
    os.close(fd)
    try:
        shutil.copyfile(built, tmp_name)
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target


# ---- checks on a finished PDF (used by tests) -------------------------------------------------------------------


def _poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool and return stdout; its failure is an error naming the tool and file."""
    try:
        proc = subprocess.run([tool, *args], capture_output=True, check=False, timeout=300)
    except FileNotFoundError as exc:
        raise PdfBuildError(f"{tool}: not installed (apt package poppler-utils)") from exc
    if proc.returncode != 0:
        raise PdfBuildError(
            f"{tool} {' '.join(args)}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')}"
        )
    return proc.stdout.decode("utf-8", errors="replace")


def page_count(pdf: Path) -> int:
    """Number of pages (pdfinfo)."""
    m = re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)), re.M)
    if not m:
        raise PdfBuildError(f"{pdf}: pdfinfo reports no page count")
    return int(m.group(1))


def page_texts(pdf: Path) -> list[str]:
    """Text of each page (pdftotext splits pages with form feeds); whitespace kept as extracted."""
    return _poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")


def _squash(text: str) -> str:
    """Remove all whitespace: CJK lines broken by the typesetter must still match."""
    return re.sub(r"\s+", "", text)


def embedded_fonts(pdf: Path) -> list[dict[str, str]]:
    """Fonts listed by pdffonts: name, type and whether embedded (``emb``)."""
    rows = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    fonts = []
    for row in rows:
        parts = row.split()
        if len(parts) < 7:
            continue
        # columns from the right: emb sub uni object ID; name may be followed by a multi-word type
        fonts.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return fonts


def _page_pixels(pdf: Path, page: int, dpi: int) -> Any:
    """One page rendered by pdftoppm as an RGB array (height × width × 3)."""
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "p"
        _poppler(
            "pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)
        )
        data = stem.with_suffix(".ppm").read_bytes()
    # P6 header: magic, width, height, maxval, each followed by one whitespace byte.
    fields = data.split(maxsplit=4)
    if fields[0] != b"P6":
        raise PdfBuildError(f"{pdf} page {page}: pdftoppm did not write a binary PPM")
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(fields[4][: width * height * 3], dtype=np.uint8).reshape(height, width, 3)


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Words of a page with their boxes in points: ``(text, x0, y0, x1, y1)`` (pdftotext -bbox)."""
    xml = _poppler("pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in re.findall(pattern, xml)]


def chart_ink(pdf: Path, page: int, title: str, *, dpi: int = 50) -> float | None:
    """Share of inked pixels between a chart's title and its "来源" line on ``page``; None if not there.

    The static chart carries its title at the top and the source line at the bottom (dcbook.render), so
    the band between them is the plot. With all text blanked out, axes and marks ink it; a chart that
    failed to draw leaves it white.
    """
    words = _words(pdf, page)
    head = _squash(title)
    tops = [w for w in words if _squash(w[0]) and head.startswith(_squash(w[0])) and len(_squash(w[0])) >= 2]
    for _, _, _, _, title_bottom in tops:
        sources = [w for w in words if w[0].startswith("来源") and w[2] > title_bottom]
        if not sources:
            continue
        source_top = min(w[2] for w in sources)
        pixels = _page_pixels(pdf, page, dpi).copy()
        scale = dpi / 72
        # Blank out every word (takeaway, axis labels): what is left inked is drawn — axes and marks.
        for _, x0, y0, x1, y1 in words:
            pixels[int(y0 * scale) : int(y1 * scale) + 2, int(x0 * scale) : int(x1 * scale) + 2] = 255
        band = pixels[int(title_bottom * scale) + 1 : int(source_top * scale)]
        if band.size == 0:
            return 0.0
        darkest = band.min(axis=2)
        spread = band.max(axis=2).astype(int) - darkest.astype(int)
        return float(((darkest < 160) | (spread > 60)).mean())
    return None


#: A chapter's opening page starts with its label (第五章, 附录 A; none for an unnumbered chapter) and title.
_CHAPTER_LABEL = r"(?:第[一二三四五六七八九十百零〇]+章|附录[A-Z])?"
#: pdftotext renders the contents' dot leaders as ". . ."; squashed, a run of dots marks a contents page.
_LEADERS = "....."


def printed_title(title: str) -> str:
    """A chapter title as the PDF prints it: an appendix "附录：指标目录" is headed 附录 A + "指标目录"."""
    return _APPENDIX_PREFIX.sub("", title)


def chapter_pages(texts: Sequence[str], titles: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Page ranges ``(first, after_last)``, 1-based, of the chapters titled ``titles`` (book order).

    ``texts`` are the pages' texts (whitespace is ignored). A chapter opens on the first page after the
    table of contents that starts with its label and printed title (:func:`printed_title`) and ends where
    the next found chapter opens (the last one at the end of the book). The root page prints no chapter
    heading of its own: a leading title that is not found gets the pages from the end of the contents to
    the first chapter found. Titles found nowhere are left out.
    """
    pages = [_squash(t) for t in texts]
    toc_end = 0
    starts = [i for i, t in enumerate(pages) if t.startswith("目录")]
    if starts:
        toc_end = starts[0] + 1
        while toc_end < len(pages) and _LEADERS in pages[toc_end]:
            toc_end += 1
    opened: list[tuple[str, int]] = []
    after = toc_end
    for title in titles:
        head = re.compile(_CHAPTER_LABEL + re.escape(_squash(printed_title(title))))
        found = next((i for i in range(after, len(pages)) if head.match(pages[i])), None)
        if found is not None:
            opened.append((title, found))
            after = found
    ranges: dict[str, tuple[int, int]] = {}
    for n, (title, start) in enumerate(opened):
        end = opened[n + 1][1] if n + 1 < len(opened) else len(pages)
        ranges[title] = (start + 1, end + 1)
    if titles and titles[0] not in ranges and opened and opened[0][1] > toc_end:
        ranges[titles[0]] = (toc_end + 1, opened[0][1] + 1)
    return ranges


def assert_pdf_book(
    pdf: Path,
    toc_titles: Iterable[str],
    figures: Iterable[str],
    *,
    chart_titles: Iterable[str] = (),
    chapter_charts: Mapping[str, Sequence[str]] | None = None,
    chapter_contents: Mapping[str, Iterable[str]] | None = None,
    cjk_fonts: Iterable[str] = ("NotoSerifCJK", "NotoSansCJK"),
    min_pages: int = 4,
    max_pages: int = 2000,
    min_ink: float = 0.003,
) -> None:
    """Assert that ``pdf`` is a complete book; raises AssertionError listing every failure.

    Checks: page count within ``[min_pages, max_pages]``; every title in ``toc_titles`` (chapter titles from
    ``_toc.yml``, appendix titles as printed, see :func:`printed_title`) and every string in ``figures``
    (glued headline figures as printed) appear in the text; ``pdffonts`` lists an embedded font of each
    family in ``cjk_fonts`` and no unembedded font; each of ``chart_titles`` (drawn inside the chart image)
    sits on a page where the band between it and the chart's "来源" line has at least ``min_ink`` of its
    pixels inked (:func:`chart_ink`), i.e. the chart was drawn, not left blank.

    ``chapter_charts`` maps chapter titles to the titles of their charts: every chapter
    with charts must show at least one of them, inked, on its own pages (:func:`chapter_pages`), and no
    chart found there may be blank. ``chapter_contents`` maps chapter titles to strings that must appear
    on that chapter's pages (an indicator in the catalogue appendix, the sources in the bibliography).
    Chapters are located in the order of ``toc_titles``, then of the other chapters named (which must
    follow them in the book).
    """
    pdf = Path(pdf)
    problems: list[str] = []
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise AssertionError(f"{pdf}: no PDF")
    pages = page_count(pdf)
    if not min_pages <= pages <= max_pages:
        problems.append(f"{pdf}: {pages} pages, expected {min_pages}–{max_pages}")
    raw_texts = page_texts(pdf)
    texts = [_squash(t) for t in raw_texts]
    whole = "".join(texts)
    toc_titles = list(toc_titles)
    for title in toc_titles:
        if _squash(title) not in whole and _squash(printed_title(title)) not in whole:
            problems.append(f"{pdf}: chapter title {title!r} not found by pdftotext")
    for fig in figures:
        if _squash(fig) not in whole:
            problems.append(f"{pdf}: glued figure {fig!r} not found by pdftotext")
    fonts = embedded_fonts(pdf)
    for family in cjk_fonts:
        # pdffonts names a subset "ABCDEF+NotoSerifCJKjp-Regular-Identity-H": the Noto CJK collections
        # share one CFF font name across their SC/TC/JP/KR faces, so the family prefix is what is stable.
        if not any(f["emb"] == "yes" and f["name"].split("+")[-1].startswith(family) for f in fonts):
            problems.append(f"{pdf}: no embedded {family} font (pdffonts: {[f['name'] for f in fonts]})")
    for f in fonts:
        if f["emb"] != "yes":
            problems.append(f"{pdf}: font {f['name']} is not embedded")
    for title in chart_titles:
        key = _squash(title)
        hits = [i + 1 for i, t in enumerate(texts) if key in t]
        inks = {p: chart_ink(pdf, p, title) for p in hits}
        found = {p: v for p, v in inks.items() if v is not None}
        if not found:
            problems.append(f"{pdf}: chart {title!r} (title and 来源 line) not found on any page")
        elif max(found.values()) < min_ink:
            problems.append(
                f"{pdf}: chart {title!r} on pages {sorted(found)}: ink {found} < {min_ink} — blank?"
            )
    # Chapter ranges in book order: the toc titles first, then any other chapter asked about (such as
    # 参考文献, a Markdown page), which must come after them.
    wanted = [*(chapter_charts or {}), *(chapter_contents or {})]
    order = list(dict.fromkeys([*toc_titles, *wanted]))
    ranges = chapter_pages(raw_texts, order) if wanted else {}
    for chapter, charts in (chapter_charts or {}).items():
        if not charts:
            continue
        if chapter not in ranges:
            problems.append(f"{pdf}: chapter {chapter!r} (with {len(charts)} charts): opening page not found")
            continue
        first, end = ranges[chapter]
        inks: dict[str, float] = {}
        for chart in charts:
            key = _squash(chart)
            for page in range(first, end):
                if key in texts[page - 1] and (ink := chart_ink(pdf, page, chart)) is not None:
                    inks[f"{chart} (p. {page})"] = ink
        blank = {k: v for k, v in inks.items() if v < min_ink}
        if not inks:
            problems.append(
                f"{pdf}: chapter {chapter!r}, pages {first}–{end - 1}: none of its {len(charts)} charts "
                f"(e.g. {charts[0]!r}) found with its 来源 line"
            )
        elif blank:
            problems.append(f"{pdf}: chapter {chapter!r}: blank chart area (ink < {min_ink}): {blank}")
    for chapter, strings in (chapter_contents or {}).items():
        if chapter not in ranges:
            problems.append(f"{pdf}: chapter {chapter!r}: opening page not found")
            continue
        first, end = ranges[chapter]
        text = "".join(texts[first - 1 : end - 1])
        for item in strings:
            if _squash(item) not in text:
                problems.append(f"{pdf}: {item!r} not found in chapter {chapter!r} (pages {first}–{end - 1})")
    if problems:
        raise AssertionError("\n".join(problems))
