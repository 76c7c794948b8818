"""LaTeX configuration of the PDF edition: what the staged ``_config.yml`` receives and the files it needs.

Separate from the build steps (:mod:`dcbook.pdf.run`) because it is pure data about the book's design
(ctex, Noto fonts, page layout, title page) and the one place that names the Sphinx extension.
:class:`PdfBuildError` lives here, the lowest module, since staging already raises it.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Mapping
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
            # dcbook.pdf.sphinx_ext adapts the web book to paper (see its setup()).
            "extra_extensions": ["dcbook.pdf.sphinx_ext"],
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
