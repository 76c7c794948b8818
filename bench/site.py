"""Page weight and chart-drawn time of the built site (not a timed test): ``python bench/site.py [SITE]``.

``SITE`` defaults to ``_build/html`` (build it first: ``dcbook build --no-pdf`` or ``make book``). Each chapter
page, the search page and the home page is served from 127.0.0.1 and loaded in Debian chromium (a cold cache
per page); the script prints, per page, what the browser fetched — raw bytes and gzip-compressed bytes (level
6, what a static host such as GitHub Pages sends; images and fonts count as they are, since they do not
compress) — and the time from navigation start until every chart on the page reports ``data-state=rendered``.

The README's benchmark section records a run. Tests assert the compressed weight limit (700 KB per chapter
page, :data:`LIMIT_KB`) but never a time: times depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The issue's limit for a chapter page, compressed, Vega included.
LIMIT_KB = 700
#: Responses already compressed (gzip would not shrink them): counted at their size.
INCOMPRESSIBLE = (".png", ".jpg", ".jpeg", ".woff2", ".woff", ".gif", ".zip", ".pdf")

ALL_DRAWN_JS = (
    "() => Array.from(document.querySelectorAll('.dc-chart-view'))"
    ".every(el => ['rendered', 'error', 'no-vega'].includes(el.getAttribute('data-state')))"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def compressed_size(url: str, body: bytes) -> int:
    """Bytes on the wire from a host that gzips text (level 6) and sends images and fonts as they are."""
    if urlparse(url).path.lower().endswith(INCOMPRESSIBLE):
        return len(body)
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


def pages_of(site: Path) -> list[str]:
    """The pages measured: home, every chapter and appendix page, the search page."""
    book = sorted(p.relative_to(site).as_posix() for p in (site / "book").glob("*.html"))
    return ["index.html", *book, "search.html"]


def measure(site: Path, pages: list[str]) -> list[dict[str, object]]:
    """Load each page in a fresh browser context; return its requests, weights and chart-drawn time."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows: list[dict[str, object]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for rel in pages:
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                responses: list[object] = []
                page.on("response", lambda resp, out=responses: out.append(resp))
                page.goto(base + rel, wait_until="load")
                page.wait_for_function(ALL_DRAWN_JS, timeout=60_000)
                drawn_ms = page.evaluate("() => performance.now()")
                charts = page.eval_on_selector_all(".dc-chart-view", "els => els.length")
                page.wait_for_timeout(300)  # late requests (fonts) finish
                raw = gz = 0
                for resp in responses:
                    try:
                        body = resp.body()  # type: ignore[attr-defined]
                    except Exception:  # a redirect or aborted request has no body
                        continue
                    raw += len(body)
                    gz += compressed_size(resp.url, body)  # type: ignore[attr-defined]
                rows.append(
                    {
                        "page": rel,
                        "requests": len(responses),
                        "raw_kb": raw / 1024,
                        "gzip_kb": gz / 1024,
                        "charts": charts,
                        "drawn_ms": drawn_ms if charts else None,
                    }
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "site", nargs="?", type=Path, default=REPO / "_build" / "html", help="built site folder"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="loads per page; the table shows each page's median chart-drawn time (one load varies with load)",
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(
            f"bench/site.py: {args.site}: no index.html (run `dcbook build --no-pdf` first)", file=sys.stderr
        )
        return 1
    runs = [measure(args.site, pages_of(args.site)) for _ in range(max(args.repeat, 1))]
    rows = runs[0]
    for i, r in enumerate(rows):
        drawn = [float(run[i]["drawn_ms"]) for run in runs if run[i]["drawn_ms"] is not None]  # type: ignore[arg-type]
        r["drawn_ms"] = statistics.median(drawn) if drawn else None
    print(
        "| page | requests | raw KB | gzip KB | charts | charts drawn (ms) |\n|---|---:|---:|---:|---:|---:|"
    )
    for r in rows:
        drawn = "" if r["drawn_ms"] is None else f"{r['drawn_ms']:.0f}"
        print(
            f"| {r['page']} | {r['requests']} | {r['raw_kb']:.0f} | {r['gzip_kb']:.0f} | {r['charts']} | {drawn} |"
        )
    chapters = [r for r in rows if str(r["page"]).startswith("book/")]
    heaviest = max(chapters, key=lambda r: float(r["gzip_kb"]))  # type: ignore[arg-type]
    times = [float(r["drawn_ms"]) for r in chapters if r["drawn_ms"] is not None]  # type: ignore[arg-type]
    print(
        f"\nheaviest chapter page: {heaviest['page']} {heaviest['gzip_kb']:.0f} KB compressed (limit {LIMIT_KB} KB);"
        f" charts drawn (median of {len(runs)} loads per page): median {statistics.median(times):.0f} ms,"
        f" slowest page {max(times):.0f} ms after navigation; pages over 1 s: {sum(t > 1000 for t in times)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
