"""Computations behind chapter 09 网络安全与数字治理 (slug ``security_governance``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds. The domain's
figures are mostly one-off campaign tallies, so the chapter leans on the dated milestones (laws and
rules) for its time axis and states plainly which counts cannot be compared across reports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import fmt, render
from dcbook.chapters import common
from dcbook.chapters.overview import milestone_chart, milestone_frame

SLUG = "security_governance"
DOMAINS: tuple[str, ...] = ("security_governance",)
#: Milestone categories on the laws-and-rules timeline.
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


def rules_frame(ds: Any) -> pd.DataFrame:
    """Dated milestones of the domain (laws, regulations and campaigns), oldest first."""
    m = milestone_frame(ds)
    return m[m["domain"].isin(DOMAINS)].reset_index(drop=True)


def rules_sentence(ds: Any) -> str:
    """How many laws and regulations the edition's sources date, the span and the busiest year."""
    m = rules_frame(ds)
    rules = m[m["category"].isin(RULE_CATEGORIES)]
    if rules.empty:
        return "本版资料没有记录网络安全与数字治理方面带日期的法律法规"
    n_law = int((rules["category"] == "law").sum())
    n_reg = int((rules["category"] == "regulation").sum())
    first, last = rules.iloc[0], rules.iloc[-1]
    busiest = rules["year"].value_counts().sort_index(ascending=False)
    top_year = int(busiest.idxmax())
    text = (
        f"本版资料记录了 {len(rules)} 项带日期的法律与法规动态（法律类 {n_law} 项、法规规章类 {n_reg} 项），"
        f"从 {common.date_words(first['date'])}的{first['event_zh']}，到 {common.date_words(last['date'])}的{last['event_zh']}"
    )
    if len(rules) > 1:
        text += f"；其中 {top_year} 年最为密集，共 {int(busiest.max())} 项"
    return text


def law_span_sentence(ds: Any) -> str:
    """Years between the first and the latest law of the domain (the build-up of the legal framework)."""
    laws = rules_frame(ds)
    laws = laws[laws["category"] == "law"]
    if len(laws) < 2:
        return "本版资料记录的法律不足两部，无法描述立法的节奏"
    first, last = laws.iloc[0], laws.iloc[-1]
    span = int(last["year"]) - int(first["year"])
    return (
        f"从{first['event_zh']}到{last['event_zh']}，资料记录的立法动态跨越 {span} 年，"
        f"共 {len(laws)} 项法律层面的进展"
    )


def qinglang_sentence(ds: Any) -> str:
    """The 清朗 campaigns of the latest year: number of campaigns and what they removed."""
    if ds.latest("qinglang_campaigns") is None:
        return "本版资料尚未给出“清朗”系列专项行动的数字"
    row = ds.latest("qinglang_campaigns")
    parts = [
        f"{int(row['year'])} 年部署“清朗”系列专项行动{common.lead(common.value_text(ds, 'qinglang_campaigns'))}"
    ]
    for ind, what in (
        ("qinglang_info_cleaned", "清理违法和不良信息"),
        ("qinglang_accounts_handled", "处置账号"),
        ("qinglang_streamers_banned", "封禁主播"),
        ("qinglang_websites_closed", "关闭网站"),
    ):
        if ds.latest(ind) is not None:
            parts.append(f"{what}{predicate_no_verb(ds, ind)}")
    return "，".join(parts)


def predicate_no_verb(ds: Any, indicator_id: str) -> str:
    """ "超过 2,200 万条" / " 13.4 亿个": value for "<verb><value>" phrases, spaced by the house rule."""
    return common.lead(common.value_text(ds, indicator_id))


def scope_sentence(ds: Any) -> str:
    """Compare one year's 清朗 tallies with the cumulative totals since 2019: the scopes clearly differ."""
    pairs = (
        ("qinglang_info_cleaned", "qinglang_info_cleaned_since_2019", "清理的信息条数"),
        ("qinglang_accounts_handled", "qinglang_accounts_cleaned_since_2019", "处置的账号数"),
    )
    parts = []
    for year_id, cum_id, what in pairs:
        a, b = ds.latest(year_id), ds.latest(cum_id)
        if a is None or b is None:
            continue
        a2, b2 = a.copy(), b.copy()
        # Same family (条 / 个) in different scale units: compare in base units.
        a2["value"] = float(a["value"]) * _scale(a["unit"])
        b2["value"] = float(b["value"]) * _scale(b["unit"])
        parts.append(f"{int(a['year'])} 年专项行动{what}{common.equiv_text(a2, b2, '报告所称累计数')}")
    if not parts:
        return "本版资料没有可以相互对照的年度数和累计数"
    return "；".join(parts)


def _scale(unit: str) -> float:
    """Multiplier of a Chinese scale prefix (万, 亿) in a unit, for comparing counts in base units."""
    u = str(unit)
    if u.startswith("万亿"):
        return 1e12
    if u.startswith("亿"):
        return 1e8
    if u.startswith("万"):
        return 1e4
    return 1.0


def reports_sentence(ds: Any) -> str:
    """Netizen reports of illegal content: 2020 and 2021 come under two indicator names (two definitions)."""
    a, b = ds.latest("netizen_reports_handled"), ds.latest("illegal_info_reports")
    if a is None and b is None:
        return "本版资料尚未给出网民举报的受理数量"
    if a is None or b is None:
        return common.latest_sentence(ds, "illegal_info_reports" if a is None else "netizen_reports_handled")
    growth = fmt.fmt_growth(float(a["value"]), float(b["value"]))
    return (
        f"{common.latest_sentence(ds, 'netizen_reports_handled')}，{common.latest_sentence(ds, 'illegal_info_reports')}；"
        f"两者表述不同，若视为同一口径，则{growth}"
    )


def app_sentence(ds: Any) -> str:
    """App governance: apps publicly notified, year on year (2020 lower bound → 2021)."""
    a, b = ds.latest("app_governance_notified_apps"), ds.latest("apps_notified")
    parts = []
    if a is not None:
        parts.append(common.latest_sentence(ds, "app_governance_notified_apps"))
    if b is not None:
        parts.append(common.latest_sentence(ds, "apps_notified"))
        if ds.latest("apps_delisted_refusing_rectification") is not None:
            parts.append(
                f"其中{common.latest_sentence(ds, 'apps_delisted_refusing_rectification').split('年', 1)[1]}"
            )
    if a is not None and b is not None and int(b["year"]) > int(a["year"]):
        parts.append(f"后一年被通报的 App 数是前一年的{common.ratio_text(b, a)}")
    if not parts:
        return "本版资料尚未给出 App 专项治理的数字"
    return "；".join(parts)


def talent_sentence(ds: Any) -> str:
    """Cybersecurity education: the 2017 pilot schools and the later counts, with a caution on definitions."""
    return common.latest_sentences(
        ds, (*TALENT, "cybersecurity_graduates_per_year"), "本版资料尚未给出网络安全人才培养的数字"
    )


def talent_ratio_sentence(ds: Any) -> str:
    """Schools of cybersecurity now versus the first-class demonstration schools of 2017 (different scopes)."""
    a, b = (
        ds.latest("universities_with_cybersecurity_schools"),
        ds.latest("first_class_cybersecurity_schools"),
    )
    if a is None or b is None:
        return "本版资料不足以比较网络安全学院数量的前后变化"
    what = f"{int(b['year'])} 年首批一流网络安全学院示范高校数"
    return (
        f"设立网络安全学院的高校数{common.equiv_text(a, b, what)}"
        "——后者只是示范项目，两者口径不同，这个倍数只说明办学面的扩大，不说明质量"
    )


def standards_sentence(ds: Any) -> str:
    """Cybersecurity standards: national and international."""
    ids = ("cybersecurity_national_standards", "cybersecurity_intl_standards")
    return common.latest_sentences(ds, ids, "本版资料尚未给出网络安全标准的数量")


def platform_sentence(ds: Any) -> str:
    """Platform governance: fines and the algorithm self-discipline pledge."""
    ids = ("platform_fines", "algorithm_pledge_signatories")
    return common.latest_sentences(ds, ids, "本版资料尚未给出平台治理的执法数字")


def early_sentence(ds: Any) -> str:
    """The 2017 report's enforcement figures (real-name registration, fraud cases, inspections)."""
    ids = ("phone_real_name_rate", "telecom_fraud_cases_solved", "telecom_fraud_losses_recovered",
           "cybersecurity_inspections_units")  # fmt: skip
    return common.latest_sentences(ds, ids, "本版资料没有早期的网络执法数字")


def findings(ds: Any) -> list[str]:
    """The 本章要点: exactly four sentences computed from the edition's data."""
    out = [rules_sentence(ds) + "。"]
    out.append(
        common.coverage_sentence(ds, common.domain_ids(ds, DOMAINS), "网络安全与数字治理")
        + "，多为一次性的专项行动统计。"
    )
    if ds.latest("qinglang_campaigns") is not None:
        out.append(qinglang_sentence(ds) + "。")
    elif ds.latest("netizen_reports_handled") is not None:
        out.append(reports_sentence(ds) + "。")
    else:
        out.append(early_sentence(ds) + "。")
    if ds.latest("universities_with_cybersecurity_schools") is not None:
        out.append(talent_ratio_sentence(ds) + "。")
    else:
        out.append(talent_sentence(ds) + "。")
    return out


def texts(ds: Any) -> dict[str, str]:
    """Every string the notebook glues, keyed without the slug prefix."""
    out = {
        "edition": str(ds.edition),
        "rules": rules_sentence(ds),
        "law_span": law_span_sentence(ds),
        "coverage": common.coverage_sentence(ds, common.domain_ids(ds, DOMAINS), "网络安全与数字治理"),
        "report": common.edition_report_sentence(ds, common.domain_ids(ds, DOMAINS), "网络安全与数字治理"),
        "qinglang": qinglang_sentence(ds),
        "scope": scope_sentence(ds),
        "reports": reports_sentence(ds),
        "app": app_sentence(ds),
        "talent": talent_sentence(ds),
        "talent_ratio": talent_ratio_sentence(ds),
        "standards": standards_sentence(ds),
        "platform": platform_sentence(ds),
        "early": early_sentence(ds),
        "plan": common.no_plan_sentence(ds, DOMAINS, "网络安全与数字治理"),
    }
    for i, f in enumerate(findings(ds), start=1):
        out[f"key_{i}"] = f
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's figures (rendered, or a Markdown note when the edition lacks the data)."""
    from IPython.display import Markdown

    rules = rules_frame(ds)
    if rules.empty:
        timeline: Any = Markdown("*本版资料没有记录这一领域带日期的法律法规和专项行动，无法画出时间线。*")
    else:
        n = int(rules["category"].isin(RULE_CATEGORIES).sum())
        timeline = render.figure(
            milestone_chart(
                rules, title="网络安全与数字治理的法律、法规与专项行动", takeaway=f"其中法律与法规 {n} 项"
            )
        )
    apps = common.label_frame(ds, APP_COUNTS, unit="款")
    app_fig = common.label_bars(
        apps,
        "本版资料中 App 治理的数字不足两项，不作比较。",
        title="App 专项治理的各项数字",
        takeaway="各项分属不同年份、不同行动和治理环节，只宜逐项阅读" if len(apps) >= 2 else None,
    )
    talent = common.label_frame(ds, TALENT, unit="所")
    talent_fig = common.label_bars(
        talent,
        "本版资料中网络安全人才培养的数字不足两项，不作比较。",
        title="开展网络安全教育的高校数",
        takeaway=common.leader_takeaway(talent),
    )
    coverage = common.coverage_figure(
        common.coverage_frame(ds, {"网络安全与数字治理": common.domain_ids(ds, DOMAINS)}),
        title="各份资料给出的网络安全与治理指标数",
    )
    return {"timeline": timeline, "apps": app_fig, "talent": talent_fig, "coverage": coverage}


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell (stable text)."""
    rules = rules_frame(ds)
    out = {
        "edition": str(ds.edition),
        "laws_and_regulations": str(int(rules["category"].isin(RULE_CATEGORIES).sum())),
    }
    for i in ("qinglang_campaigns", "apps_notified", "cybersecurity_national_standards", "platform_fines"):
        out[i] = common.year_value(ds, i)
    return out
