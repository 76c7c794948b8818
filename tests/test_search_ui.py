"""The site's search splitting and term dictionary, without a build (fast).

The browser's query splitter is run with node on the same strings as the Python index splitter: both sides
must cut a query into the same tokens, or a page that contains the query is not found.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from dcbook import REPO_ROOT
from dcbook.pipeline import search, site

QUERIES = [
    "数字经济",
    "5G基站",
    "数字中国",
    "千兆光网",
    "一网通办",
    "5G 基站",
    "IPv6活跃用户数",
    "网",
    "数据要素×",
    "DCBook 2021年",
    "digital_society",
    "（十四五）规划",
]


def test_chinese_runs_are_indexed_as_bigrams_and_latin_runs_whole() -> None:
    assert search.tokens("数字经济") == ["数字", "字经", "经济"]
    assert search.tokens("5G基站") == ["5g", "基站"]
    assert search.tokens("5G 基站") == ["5g", "基站"]
    assert search.tokens("IPv6活跃用户") == ["ipv6", "活跃", "跃用", "用户"]
    assert search.tokens("网") == ["网"]
    # punctuation splits runs: no bigram spans a comma
    assert search.tokens("数据，要素") == ["数据", "要素"]


def test_every_page_with_a_compound_holds_all_its_query_tokens() -> None:
    """The guarantee the bigram index gives: the query's tokens are a subset of any text containing it."""
    for query in ("5G基站", "数字中国", "一网通办", "千兆光网"):
        text = f"截至年底，全国累计建成{query}等，较上年显著增加。"
        assert set(search.tokens(query)) <= set(search.tokens(text)), query


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_splitter_matches_the_index_splitter() -> None:
    script = search.JS_SPLITTER + f"\nconsole.log(JSON.stringify({json.dumps(QUERIES)}.map(splitQuery)));"
    proc = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(proc.stdout) == [search.tokens(q) for q in QUERIES]


def test_search_terms_map_catalogue_names_to_their_chapter() -> None:
    indicators = [
        {
            "indicator_id": "bs",
            "name_zh": "5G基站数",
            "domain": "infrastructure",
            "aliases": "5G基站|5G 基站",
        },
        {"indicator_id": "eco", "name_zh": "数字经济规模", "domain": "digital_economy", "aliases": ""},
        {"indicator_id": "x", "name_zh": "共用词", "domain": "infrastructure", "aliases": ""},
        {"indicator_id": "y", "name_zh": "共用词", "domain": "digital_economy", "aliases": ""},
        {"indicator_id": "z", "name_zh": "总指数", "domain": "overview", "aliases": ""},
    ]
    chapters = {"book/02_infrastructure": ("infrastructure",), "book/05_economy": ("digital_economy",)}
    names = {"infrastructure": "数字基础设施", "digital_economy": "数字经济", "overview": "总览"}
    terms = search.search_terms(indicators, names, chapters)
    assert terms["5g基站"] == "book/02_infrastructure"  # alias, spaces removed, lower case
    assert terms["5g基站数"] == "book/02_infrastructure"
    assert terms["数字经济"] == "book/05_economy"
    assert terms["数字经济规模"] == "book/05_economy"
    assert "共用词" not in terms  # two chapters claim it: neither is *the* chapter
    assert "总指数" not in terms and "总览" not in terms  # no chapter covers the domain
    body = search.search_terms_script(terms)
    assert json.loads(body[body.index("=") + 1 : body.rindex(";")]) == terms


def test_search_extension_is_configured() -> None:
    config = site.read_config(REPO_ROOT)
    assert "dcbook.pipeline.search" in config["sphinx"]["extra_extensions"]
