"""Checks a test makes on a finished PDF (poppler-utils: page count, text, fonts, chart ink, chapter pages).

Moved out of ``dcbook.pdf``: the build never inspects its PDF beyond the LaTeX log, only tests do.
:func:`assert_pdf_book` holds the checks on a finished book.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dcbook.pdf import PdfBuildError
from dcbook.pdf.sphinx_ext import _APPENDIX_PREFIX


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
