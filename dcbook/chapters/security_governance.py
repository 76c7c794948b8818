"""Facts and charts of chapter 09 网络安全与数字治理 (slug ``security_governance``).

The chapter's prose is the Markdown of ``book/09_security_governance.ipynb``; this module only computes what
it talks about, for one edition. The domain's figures are mostly one-off campaign tallies, so the chapter
leans on the dated milestones (laws and rules) for its time axis, and compares only what can be compared: a
year's tally with the cumulative total it belongs to, and says where two counts cannot be compared.
Functions take a ``dcbook.data.Dataset`` duck-typed, so the tests can use small hand-made datasets.
"""

from __future__ import annotations

from typing import Any

from dcbook import facts as F
from dcbook import milestones as M
from dcbook import render, world
from dcbook.chapters import domains_of, exhibits

SLUG = "security_governance"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: Milestone categories of the laws-and-rules count (campaigns are events, drawn but not counted).
RULE_CATEGORIES: tuple[str, ...] = ("law", "regulation")
#: App-governance counts (unit 款), across reports and years.
APP_COUNTS: tuple[str, ...] = (
    "app_governance_deep_evaluated_apps", "app_governance_verified_apps", "app_governance_notified_apps",
    "apps_notified", "apps_delisted_refusing_rectification", "qinglang_apps_removed",
)  # fmt: skip
#: Universities in cybersecurity education (unit 所).
TALENT: tuple[str, ...] = (
    "first_class_cybersecurity_schools", "cyberspace_security_phd_programs",
    "universities_with_cybersecurity_schools", "universities_with_cybersecurity_major",
)  # fmt: skip
#: The 2017 report's enforcement figures.
ENFORCEMENT: tuple[str, ...] = (
    "phone_real_name_rate", "telecom_fraud_cases_solved", "telecom_fraud_losses_recovered",
    "cybersecurity_inspections_units",
)  # fmt: skip
#: A year's 清朗 tally and the cumulative total since 2019 the same report gives.
#: The regional evaluations' dimension of this domain.
SECURITY_DIMENSION = "网络安全"
SCOPE_PAIRS: tuple[tuple[str, str], ...] = (
    ("qinglang_info_cleaned", "qinglang_info_cleaned_since_2019"),
    ("qinglang_accounts_handled", "qinglang_accounts_cleaned_since_2019"),
)


def milestones(ds: Any) -> Any:
    """The edition's dated milestones of the domain (laws, rules and campaigns), oldest first."""
    frame = M.milestone_frame(ds)
    return frame[frame["domain"].isin(DOMAINS)].reset_index(drop=True)


def rules(ds: Any) -> tuple[F.Event, ...]:
    """The laws and rules among them: what the chapter counts (the one list, not re-derived anywhere)."""
    return M.events(M.of_categories(milestones(ds), RULE_CATEGORIES))


def scope_ratio(ds: Any, year_id: str, total_id: str) -> F.Ratio | None:
    """A year's tally over the cumulative total, both in the total's unit (万条 against 亿条)."""
    part, total = F.value(ds, year_id), F.value(ds, total_id)
    if part is None or total is None:
        return None
    return F.ratio(F.in_unit(part, total.unit), total)


def other_laws(ds: Any) -> tuple[F.Event, ...]:
    """Laws of the edition's milestones that belong to other domains (e-commerce, patents …): not counted
    here, though the overview's count of legislation includes them."""
    frame = M.milestone_frame(ds)
    return M.events(M.of_categories(frame[~frame["domain"].isin(DOMAINS)], ("law",)))


def security_evaluations(ds: Any) -> tuple[int | None, int | None]:
    """The latest year a regional evaluation scores its 网络安全 dimension, and the latest year one only
    lists the provinces at its top (no scores): what the page may say of regional differences."""
    reg = getattr(ds, "regional", None)
    if reg is None or reg.empty or "dimension" not in reg.columns:
        return None, None
    sec = reg[reg["dimension"] == SECURITY_DIMENSION]
    scored = sec.loc[sec["score"].notna(), "year"]
    listed = sec.loc[sec["score"].isna(), "year"]
    return (int(scored.max()) if len(scored) else None), (int(listed.max()) if len(listed) else None)


def source_coverage(ds: Any) -> tuple[F.Coverage, ...]:
    """How many of the domain's indicators each source gives, without the sources that give none (a bar
    of 0 项 compares nothing)."""
    return tuple(c for c in F.coverage(ds, {"": F.domain_ids(ds, DOMAINS)}) if c.total)


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    dated = rules(ds)
    laws = tuple(e for e in dated if e.category == "law")
    peak_years, peak_n = F.peak_years(dated)
    interpretations = [s for s in F.sources(ds) if s.kind == "interpretation"]
    own = next((s for s in F.sources(ds) if s.kind == "yearly_report" and s.edition_year == ds.edition), None)
    notified_2020 = F.value(ds, "app_governance_notified_apps")
    notified = F.value(ds, "apps_notified")
    schools, first_class = (
        F.value(ds, "universities_with_cybersecurity_schools"),
        F.value(ds, "first_class_cybersecurity_schools"),
    )
    reports_a, reports_b = F.value(ds, "netizen_reports_handled"), F.value(ds, "illegal_info_reports")
    apps = F.values(ds, APP_COUNTS)
    n_indicators, n_series = F.coverage_counts(ds, DOMAINS)
    scored_year, listed_year = security_evaluations(ds)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": n_indicators,
        "n_series": n_series,
        "own_report_count": F.source_count(ds, own.id, DOMAINS) if own is not None else None,
        "interpretation_count": sum(F.source_count(ds, s.id, DOMAINS) for s in interpretations),
        "rules": dated or None,
        "other_laws": other_laws(ds) or None,
        "n_laws": len(laws),
        "n_regulations": len(dated) - len(laws),
        "laws": laws or None,
        "law_span": (F.event_year(laws[-1]) - F.event_year(laws[0])) if len(laws) >= 2 else None,
        "rules_peak_years": peak_years or None,
        "rules_peak_n": peak_n,
        "timeline_year_only": bool((milestones(ds)["precision"] == "年").any()),
        "campaigns": F.value(ds, "qinglang_campaigns"),
        "qinglang_info": F.value(ds, "qinglang_info_cleaned"),
        "qinglang_accounts": F.value(ds, "qinglang_accounts_handled"),
        "qinglang_streamers": F.value(ds, "qinglang_streamers_banned"),
        "qinglang_websites": F.value(ds, "qinglang_websites_closed"),
        "info_scope": scope_ratio(ds, *SCOPE_PAIRS[0]),
        "accounts_scope": scope_ratio(ds, *SCOPE_PAIRS[1]),
        "jingwang": F.value(ds, "jingwang_suspects_arrested"),
        "reports_2020": reports_a,
        "reports_2021": reports_b,
        "reports_change": F.change_of(reports_a, reports_b) if reports_a and reports_b else None,
        "app_notified_2020": notified_2020,
        "app_notified": notified,
        "app_delisted": F.value(ds, "apps_delisted_refusing_rectification"),
        "app_batches": F.value(ds, "app_technical_inspections"),
        "app_years": len({v.year for v in apps}),
        "platform": F.values(ds, ("platform_fines", "algorithm_pledge_signatories")) or None,
        "standards": F.values(ds, ("cybersecurity_national_standards", "cybersecurity_intl_standards"))
        or None,
        "talent": F.values(ds, (*TALENT, "cybersecurity_graduates_per_year")) or None,
        "schools_ratio": F.ratio(schools, first_class),
        "enforcement": F.values(ds, ENFORCEMENT) or None,
        "fraud_cases": F.value(ds, "telecom_fraud_cases_solved"),
        "fraud_losses": F.value(ds, "telecom_fraud_losses_recovered"),
        "inspections": F.value(ds, "cybersecurity_inspections_units"),
        "security_scored_year": scored_year,
        "security_listed_year": listed_year,
        "plans": tuple(c["name"] for c in F.plan_cards(ds)) or None,
        "card": F.card(ds, DOMAINS) or None,
    }


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "timeline": exhibits.timeline(milestones(ds)),
        "apps": exhibits.bars(exhibits.label_frame(ds, APP_COUNTS, unit="款")),
        "talent": exhibits.bars(exhibits.label_frame(ds, TALENT, unit="所")),
        "coverage": exhibits.bars(exhibits.coverage_frame(source_coverage(ds))),
    }


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell (stable text)."""
    ids = ("qinglang_campaigns", "apps_notified", "cybersecurity_national_standards", "platform_fines")
    values = exhibits.headline_values(ds, ids)
    return {"edition": values.pop("edition"), "laws_and_regulations": str(len(rules(ds))), **values}


__all__ = ["SLUG", "facts", "figures", "headline"]
