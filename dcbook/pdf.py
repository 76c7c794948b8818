"""The PDF edition: a typeset Chinese book built by XeLaTeX from the same staged source tree as the site.

The build (``dcbook.build``) executes the chapters once and stages one Jupyter Book source tree; this
module turns that tree into ``<out_dir>/digital-china-<edition>.pdf``:

1. :func:`latex_config` gives the ``latex:`` / ``sphinx: config:`` keys (ctex, Noto fonts, page design,
   title page with edition and data vintage) that are merged into the *staged* ``_config.yml`` — the
   repository's own ``_config.yml`` is never edited.
2. ``jupyter-book build --builder latex`` writes the ``.tex`` (notebooks are not executed again: the staged
   notebooks already carry their outputs; charts bring ``application/pdf``, which myst-nb prefers for LaTeX).
3. ``latexmk -xelatex`` typesets it; :func:`check_latex_log` then reads the log, because XeLaTeX does not
   fail on a missing glyph, an undefined reference or a line running into the margin — it only logs them.
4. Only a clean PDF is moved (atomically) over the previous one; otherwise :class:`PdfBuildError` lists
   the offending log lines and the old PDF stays.

The ``bbm.sty`` the jupyterBook LaTeX class requires is a local stand-in shipped in
``book/_static/latex/`` (see that file for why), copied next to the ``.tex`` by ``latex_additional_files``.
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
from pathlib import Path
from typing import Any

import yaml

from dcbook import REPO_ROOT

#: Where the LaTeX support files live in the repository and, relative to the source root, in the staged tree.
LATEX_SUPPORT_DIR = REPO_ROOT / "book" / "_static" / "latex"
STAGED_LATEX_DIR = "_static/latex"
LATEX_SUPPORT_FILES = ("dcbook.sty", "bbm.sty")
#: Overfull boxes up to this width are typographic noise (CJK line breaking leaves a few points).
HBOX_TOLERANCE_PT = 20.0
#: Wall-clock limits (seconds): Sphinx writing the .tex, and the whole latexmk run (2–3 XeLaTeX passes).
SPHINX_TIMEOUT = 900
LATEXMK_TIMEOUT = 900

# Fonts: Noto Serif CJK SC / Noto Sans CJK SC for Chinese; the Latin Noto faces were drawn to match them.
FONT_SETUP = r"""
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
        # After the contents, the root page's running head shows the book title, not "目录".
        "tableofcontents": r"\sphinxtableofcontents\dcbookfrontmatterdone",
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
UNION_KEYS = frozenset({"extra_extensions", "latex_additional_files"})


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
    """Merge :func:`latex_config` into the staged ``_config.yml`` and copy the .sty files; return the config path."""
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
    for name in LATEX_SUPPORT_FILES:
        src = LATEX_SUPPORT_DIR / name
        if not src.is_file():
            raise PdfBuildError(f"{src}: LaTeX support file missing from the repository")
        shutil.copyfile(src, target / name)
    return config_path


# ---- Sphinx extension: column widths of long tables --------------------------------------------------------

#: Sphinx typesets tables of more than 30 rows as longtable with plain ``l`` columns, which never wrap: a
#: catalogue with a definition column runs off the page. Such tables get proportional wrapping columns.
LONGTABLE_ROWS = 30


def display_width(text: str) -> int:
    """Width in half-em units: CJK and full-width characters count two, others one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def column_weights(
    rows: Sequence[Sequence[str]], *, floor: int = 4, cap: int = 40, pad: int = 3
) -> list[int]:
    """Relative column widths: the widest cell of each column (clamped to ``[floor, cap]``) plus ``pad``.

    The cap keeps one long definition column from squeezing the short ones (they then keep their words
    on one line); ``pad`` stands for the column separation, which a narrow column feels most.
    """
    ncols = max((len(r) for r in rows), default=0)
    widths = [floor] * ncols
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], min(cap, display_width(cell.strip())))
    return [w + pad for w in widths]


def _fit_long_tables(doctree: Any) -> int:
    """Give every long table without explicit widths proportional ``colwidths-given``; return how many."""
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
        if len(rows) <= LONGTABLE_ROWS and "longtable" not in table["classes"]:
            continue  # short tables are tabulary, which already wraps to the page width
        entries = [[e for e in row.children if isinstance(e, nodes.entry)] for row in rows]
        if any(e.get("morecols") or e.get("morerows") for r in entries for e in r):
            continue  # spanned cells: leave Sphinx's layout alone
        cells = [[e.astext() for e in r] for r in entries]
        weights = column_weights(cells)
        if len(weights) != len(colspecs):
            continue
        for spec, weight in zip(colspecs, weights, strict=True):
            spec["colwidth"] = weight
        table["classes"].append("colwidths-given")
        fitted += 1
    return fitted


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (``extra_extensions: [dcbook.pdf]``): fit long tables in the LaTeX build only."""
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class FitLongTables(SphinxPostTransform):
        """Proportional wrapping columns for long tables (see :data:`LONGTABLE_ROWS`)."""

        default_priority = 400
        builders = ("latex",)

        def run(self, **kwargs: Any) -> None:
            _fit_long_tables(self.document)

    app.add_post_transform(FitLongTables)
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


def assert_pdf_book(
    pdf: Path,
    toc_titles: Iterable[str],
    figures: Iterable[str],
    *,
    chart_titles: Iterable[str] = (),
    min_pages: int = 4,
    max_pages: int = 2000,
    min_ink: float = 0.003,
) -> None:
    """Assert that ``pdf`` is a complete book; raises AssertionError listing every failure.

    Checks: page count within ``[min_pages, max_pages]``; every title in ``toc_titles`` (chapter titles from
    ``_toc.yml``) and every string in ``figures`` (glued headline figures as printed) appear in the text;
    ``pdffonts`` lists embedded Noto CJK fonts and no unembedded font; and each of ``chart_titles`` (drawn
    inside the chart image) sits on a page where the band between it and the chart's "来源" line has at
    least ``min_ink`` of its pixels inked (:func:`chart_ink`), i.e. the chart was drawn, not left blank.
    """
    pdf = Path(pdf)
    problems: list[str] = []
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise AssertionError(f"{pdf}: no PDF")
    pages = page_count(pdf)
    if not min_pages <= pages <= max_pages:
        problems.append(f"{pdf}: {pages} pages, expected {min_pages}–{max_pages}")
    texts = [_squash(t) for t in page_texts(pdf)]
    whole = "".join(texts)
    for title in toc_titles:
        if _squash(title) not in whole:
            problems.append(f"{pdf}: chapter title {title!r} not found by pdftotext")
    for fig in figures:
        if _squash(fig) not in whole:
            problems.append(f"{pdf}: glued figure {fig!r} not found by pdftotext")
    fonts = embedded_fonts(pdf)
    cjk = [f for f in fonts if "CJK" in f["name"]]
    if not any(f["emb"] == "yes" for f in cjk):
        problems.append(f"{pdf}: no embedded Noto CJK font (pdffonts: {[f['name'] for f in fonts]})")
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
    if problems:
        raise AssertionError("\n".join(problems))
