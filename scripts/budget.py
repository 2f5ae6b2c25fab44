"""Page-weight and Lighthouse budget for the built site, served compressed on loopback as a host would.

For every page: compressed bytes transferred on a first load (audio excluded; the player fetches
nothing until play) and the number of requests. For the English and Arabic home pages, the finder
and the heaviest page: Lighthouse's mobile scores. Budget: at most 30 KB on every page; 1.00 in all
four Lighthouse categories. Lighthouse's performance score swings with the machine's load (its
simulated phone is the measured CPU time times four), so each page is scored LIGHTHOUSE_RUNS times
and the median of each category counts, as Lighthouse's own documentation on variability advises.
Material's script is not part of a first view: it loads when the
reader starts a search (scripts/portal/publish/deferred_scripts.py). The offline worker installs
after the page has loaded, in the background (the stylesheet, portal.js and portal.css from the
HTTP cache, and each language's small offline page); what it fetches is not counted here.

Run after `make build`: PYTHONPATH=scripts .venv/bin/python scripts/budget.py [--no-lighthouse]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = "lighthouse@12.8.2"  # 12.x runs on Debian 12's Node 18; 13 needs Node 22
BYTES_BUDGET = 30 * 1024
SCORE_BUDGET = {"performance": 1.0, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
LIGHTHOUSE_RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "5"))
# Scored by Lighthouse besides the heaviest page: the English and Arabic home pages (left to right and
# right to left, the pages a shared link most often opens) and the finder, the one page with its own script.
SCORED_PAGES = ("", "ar/", "finder/")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text gzip-compressed, as GitHub Pages and other static hosts do."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CompressingHandler,
                                                                                  directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def first_load(browser, url: str) -> tuple[int, int]:
    """(compressed bytes, requests) for a first visit on a phone-sized screen with an empty cache."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    total = 0
    for request in requests:
        if request.url.endswith(".mp3"):
            continue
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return total, len(requests)


def lighthouse(url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [
            "npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
            "--disable-component-update --disable-sync --no-first-run --disable-quic",
        ]
        subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: categories[name]["score"] for name in SCORE_BUDGET}


def median_scores(url: str, runs: int = LIGHTHOUSE_RUNS) -> dict[str, float]:
    """Each category's median over `runs` Lighthouse runs, and the lowest performance seen beside it."""
    found = [lighthouse(url) for _ in range(runs)]
    scores = {name: statistics.median(run[name] for run in found) for name in SCORE_BUDGET}
    return {**scores, "performance_runs": sorted(run["performance"] for run in found)}


def all_pages(site: Path) -> list[str]:
    pages = []
    for html in sorted(site.glob("**/index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if "/go/" in f"/{rel}/" or rel.startswith("__"):
            continue  # short-link redirects are not pages
        pages.append("" if rel == "." else rel + "/")
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="measure bytes and requests only")
    parser.add_argument("--json", default=str(REPO / "reports" / "budget.json"))
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "scripts"))
    from playwright.sync_api import sync_playwright
    from portal.content import languages

    if not (SITE / "index.html").exists():
        print("site/ is empty: run `make build` first", file=sys.stderr)
        return 2
    server, origin = serve(SITE)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox",
                                             "--disable-background-networking", "--disable-quic"])
        weights = {page: first_load(browser, f"{origin}/{page}") for page in all_pages(SITE)}
        browser.close()
    homes = ["" if language.code == languages.DEFAULT.code else f"{language.code}/" for language in languages.LANGUAGES]
    heaviest = max(weights, key=lambda page: weights[page][0])
    over = [page for page, (size, _) in weights.items() if size > BYTES_BUDGET]
    failed = bool(over)
    for page in dict.fromkeys([*homes, *SCORED_PAGES, heaviest]):
        size, count = weights[page]
        scored = page in SCORED_PAGES or page == heaviest
        scores = median_scores(f"{origin}/{page}") if scored and not args.no_lighthouse else {}
        ok = size <= BYTES_BUDGET and all(scores.get(k, 1) >= v for k, v in SCORE_BUDGET.items())
        failed |= not ok
        rows.append({"page": "/" + page, "heaviest": page == heaviest, "bytes": size, "requests": count,
                     **scores, "within_budget": ok})
    server.shutdown()
    print(f"{'page':34} {'KB':>6} {'req':>4}  perf  a11y  best   seo  budget")
    for row in rows:
        label = row["page"] + (" (heaviest)" if row["heaviest"] else "")
        scores = "  ".join(f"{row[k]:.2f}" if k in row else "   -" for k in SCORE_BUDGET)  # "-": not scored
        print(f"{label:34} {row['bytes'] / 1024:6.1f} {row['requests']:4}  {scores}  {'ok' if row['within_budget'] else 'OVER'}")
    print(f"\nAll {len(weights)} pages: {min(w[0] for w in weights.values()) / 1024:.1f}–"
          f"{max(w[0] for w in weights.values()) / 1024:.1f} KB on first load")
    if not args.no_lighthouse:
        print(f"Lighthouse: the median of {LIGHTHOUSE_RUNS} runs per scored page; performance in each run: " +
              "; ".join(f"/{row['page'].lstrip('/')} {row['performance_runs']}" for row in rows if "performance_runs" in row))
    for page in over:
        print(f"OVER {BYTES_BUDGET // 1024} KB: /{page} ({weights[page][0] / 1024:.1f} KB)", file=sys.stderr)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
