"""Chapter 09 网络安全与数字治理: timeline counts, scope checks and plain no-data sentences."""

from __future__ import annotations

import pytest
from IPython.display import Markdown

from dcbook import data, render
from dcbook.chapters import security_governance as ch


def test_scale_prefixes() -> None:
    assert ch._scale("亿条") == 1e8 and ch._scale("万条") == 1e4 and ch._scale("条") == 1.0


def test_rules_counted_from_the_milestones() -> None:
    ds = data.load(2021)
    m = ds.milestones
    want = int(((m["domain"] == "security_governance") & m["category"].isin(["law", "regulation"])).sum())
    assert ch.headline(ds)["laws_and_regulations"] == str(want)
    text = ch.rules_sentence(ds)
    assert f"记录了 {want} 项" in text and "《中华人民共和国网络安全法》施行" in text


def test_scope_sentence_compares_in_base_units() -> None:
    # 2,200 万条 / 204.93 亿条 ≈ 0.1 %; 13.4 亿 / 13.89 亿 ≈ 96.5 %
    text = ch.scope_sentence(data.load(2021))
    assert "至少相当于报告所称累计数的 0.1%" in text
    assert "相当于报告所称累计数的 96.5%" in text


def test_app_ratio_is_an_upper_bound_from_a_lower_bound_base() -> None:
    # 1,549 / (> 556) < 2.8
    assert "前一年的不到 2.8 倍" in ch.app_sentence(data.load(2021))


@pytest.mark.parametrize("edition", [2017, 2020, 2021])
def test_chapter_runs_on_every_edition_with_the_same_keys(edition: int) -> None:
    ds = data.load(edition)
    t = ch.texts(ds)
    assert set(t) == set(ch.texts(data.load(2021)))
    assert [k for k in t if k.startswith("key_")] == ["key_1", "key_2", "key_3", "key_4"]
    assert all(isinstance(v, str) and v for v in t.values())
    figs = ch.figures(ds)
    assert all(isinstance(f, (render.Figure, Markdown)) for f in figs.values())


def test_2017_has_no_dated_rules_and_says_so() -> None:
    ds = data.load(2017)
    assert ch.rules_sentence(ds) == "本版资料没有记录网络安全与数字治理方面带日期的法律法规"
    assert isinstance(ch.figures(ds)["timeline"], Markdown)
