"""The "放在世界中看" section of each domain chapter (02–09): one Markdown cell placed just before the plan
section, printed only where the edition has international statements for the chapter's domains, its facts
from the shared helper :func:`dcbook.world.world`, every number with its year and source."""

from __future__ import annotations

import json
import re

import pytest
from prose_checks import preview

from dcbook import REPO_ROOT, data, fmt, world
from dcbook.chapters import domains_of, registry

DOMAIN_CHAPTERS = (
    "infrastructure", "data_resources", "innovation", "economy", "government", "society", "culture_ecology",
    "security_governance",
)  # fmt: skip
#: Indicators a chapter discusses in a section of its own (the world section does not repeat them).
SKIPPED = {"innovation": {"gii_rank"}, "government": {"un_egov_rank", "un_osi_rank"}}
HEADING = "## 放在世界中看"
PLAN = re.compile(r"^## (对照规划目标|规划目标|这些数字说明不了什么)", re.MULTILINE)


def _cells(slug: str) -> list[str]:
    nb = json.loads((REPO_ROOT / f"{registry()[slug].docname}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"]]


@pytest.mark.parametrize("slug", DOMAIN_CHAPTERS)
def test_one_guarded_cell_just_before_the_plan_section(slug: str) -> None:
    cells = _cells(slug)
    at = [i for i, c in enumerate(cells) if HEADING in c]
    assert len(at) == 1, f"{slug}: expected one {HEADING} cell"
    assert cells[at[0]].startswith("{% if f.world %}") and cells[at[0]].rstrip().endswith("{% endif %}")
    nxt = cells[at[0] + 1]
    assert PLAN.search(nxt), f"{slug}: the cell after {HEADING} is not the plan or caveats section"
    assert not any(PLAN.search(c) for c in cells[: at[0]]), f"{slug}: a plan section comes before it"


@pytest.mark.parametrize("edition", (2017, 2020, 2021))
@pytest.mark.parametrize("slug", DOMAIN_CHAPTERS)
def test_section_prints_the_chapter_s_own_statements(slug: str, edition: int) -> None:
    ds = data.load(edition)
    facts = world.world(ds, domains_of(slug))
    page = preview(slug, edition)
    if facts["world"] is None:
        assert HEADING not in page
        return
    start = page.index(HEADING)
    end = PLAN.search(page, start).start()
    section = page[start:end]
    skip = SKIPPED.get(slug, set())
    listed = [s for s in facts["world_valued"] or () if s.indicator not in skip][:8]
    for s in listed:
        assert s.figure is not None
        assert f"（{s.year} 年" in section, (slug, edition, s.name)
        assert s.source in section
        if s.measure in ("rank", "share", "placing"):
            assert fmt.fmt_value(s.figure.value, s.figure.unit) in section, (slug, edition, s.name)
    # the listing follows the families' order (never a ranking by value across families)
    where = [section.index(fmt.md_text(s.name)) for s in listed]
    assert where == sorted(where)
    if facts["world_superlatives"]:
        assert f"{len(facts['world_superlatives'])} 条“最大”“领先”“首个”一类的说法" in section
    assert "{doc}`10_international`" in section or not listed
    # an edition sees only its own sources
    visible = set(ds.sources["source_id"])
    assert set(re.findall(r"\{cite:p\}`([a-z0-9_]+)`", section)) <= visible


def test_security_chapter_has_no_international_statement_and_prints_nothing() -> None:
    for edition in (2017, 2020, 2021):
        assert world.world(data.load(edition), domains_of("security_governance"))["world"] is None
        assert HEADING not in preview("security_governance", edition)


def test_2021_data_resources_states_rank_share_and_the_gap_with_the_united_states() -> None:
    section = preview("data_resources", 2021).split(HEADING, 1)[1]
    # dcr2021 line 15/161: "全球占比 9.9%，位居世界第二"; fyp14_interp line 317: "仅为美国的1/9"
    assert "数据产量居世界第 2 位（2021 年）" in section
    assert "数据产量的全球份额为 9.9%（2021 年）" in section
    assert "公共数据开放数据集规模是美国的 1\\/9（2020 年）" in section


def test_2017_society_has_only_a_superlative() -> None:
    section = preview("society", 2017).split(HEADING, 1)[1]
    assert "资料中有 1 条“最大”“领先”“首个”一类的说法" in section
    assert "带数字的国际比较" not in section.split("##", 1)[0]
