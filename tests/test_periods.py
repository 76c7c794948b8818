"""Periods (issue 14, rule 4): a half-year, month-end or running-total figure says so in the data and in print."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from dcbook import DEFAULT_DATA_DIR, data, periods
from dcbook import facts as F
from dcbook.prose import filters
from dcbook.validate import collect


@pytest.mark.parametrize(
    ("quote", "value", "lead", "codes"),
    [
        ("仅 2017 年上半年破获相关案件 7.6 万起，为群众挽回损失 75.8 亿元", "75.8", "", {"to-06"}),
        (
            "2020年上半年我国人工智能核心产业规模达到了770亿元，超过2019年全年510亿元的规模",
            "770",
            "",
            {"to-06"},
        ),
        ("2020年上半年我国人工智能核心产业规模达到了770亿元，超过2019年全年510亿元的规模", "510", "", {""}),
        ("截至 2017 年 6 月，在线教育用户规模达 1.44 亿", "1.44", "", {"asof-06"}),
        ("平台打通33个国务院部门实时数据共享接口1299个", "1299", "截至2020年1月底，", {"asof-01"}),
        ("截至 2017 年底，全国中小学互联网接入率达 90%", "90", "", {""}),
        ("截至2021年12月，网络视频用户规模达 9.75 亿", "9.75", "", {""}),
        ("累计受众超过1亿人次", "1", "", {"", "cumulative"}),
        ("1—11月，软件业务收入 8 万亿元", "8", "", {"to-11"}),
        ("全国２０２０年上半年网上零售额 5.15 万亿元", "5.15", "", {"to-06"}),
    ],
)
def test_the_quote_states_the_period(quote, value, lead, codes):
    assert periods.stated(quote, value, lead) == codes


def test_words_and_spans():
    assert periods.words("to-06", 2017) == "2017 年上半年"
    assert periods.words("to-09", 2017) == "2017 年前三季度"
    assert periods.words("to-11", 2020) == "2020 年 1—11 月"
    assert periods.words("asof-06", 2020) == "截至 2020 年 6 月"
    assert periods.words("cumulative", 2020) == "截至 2020 年"
    assert periods.words("", 2021) == "2021 年"
    with pytest.raises(ValueError, match="unknown period"):
        periods.parse("h1")


def test_half_a_year_is_never_compared_with_a_year():
    assert not periods.comparable("to-06", "")
    assert periods.comparable("to-06", "to-06")
    assert periods.comparable("asof-06", "")
    assert periods.comparable("cumulative", "")


def _v(value: float, year: int, period: str = "") -> F.Value:
    return F.Value("x", "某指标", value, "万个", F.EXACT, year, period=period)


def test_a_month_end_change_is_approximate_and_its_span_says_the_month():
    c = F.change_of(_v(100, 2017), _v(110, 2020, "asof-11"))
    assert c.bound == F.APPROX
    assert str(filters.year(c)) == "2017 年—2020 年 11 月"
    assert str(filters.growth(c)) == "约 10.0%"
    plain = F.change_of(_v(100, 2017), _v(110, 2020, "cumulative"))
    assert plain.bound == F.EXACT and str(filters.year(plain)) == "2017–2020 年"
    assert str(filters.year(_v(7.6, 2017, "to-06"))) == "2017 年上半年"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    return root


def _edit(path: Path, indicator: str, period: str) -> int:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    col, line = rows[0].index("period"), None
    for i, r in enumerate(rows[1:], start=2):
        if r[0] == indicator:
            r[col], line = period, i
            break
    assert line is not None
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return line


def test_validation_requires_the_period_the_sentence_states(tmp_path):
    root = _copy(tmp_path)
    obs = root / "observations" / "dcr2017.csv"
    line = _edit(obs, "telecom_fraud_cases_solved", "")
    problems = collect(root).problems
    assert len(problems) == 1
    assert problems[0].endswith(
        f"observations/dcr2017.csv:{line}: period: 'empty' but the quote states 'to-06' for '7.6'"
    )


def test_validation_rejects_a_period_the_sentence_does_not_state(tmp_path):
    root = _copy(tmp_path)
    line = _edit(root / "observations" / "dcr2021.csv", "base_stations_5g", "asof-06")
    problems = collect(root).problems
    assert len(problems) == 1 and f"dcr2021.csv:{line}: period: 'asof-06'" in problems[0]


def test_the_real_dataset_carries_the_periods_its_quotes_state():
    ds = data.load(2021)
    obs = ds.observations.set_index(["source_id", "indicator_id"])
    assert obs.loc[("dcr2017", "telecom_fraud_cases_solved"), "period"] == "to-06"
    assert obs.loc[("dcr2020", "industrial_internet_platforms"), "period"] == "asof-06"
    assert obs.loc[("fyp14_interp", "data_sharing_batch_exchange_records"), "period"] == "asof-01"
    assert obs.loc[("dcr2020", "farmers_mobile_skills_trained"), "period"] == "cumulative"
    fraud = F.value(data.load(2017), "telecom_fraud_cases_solved")
    assert fraud is not None and str(filters.year(fraud)) == "2017 年上半年"


def test_chart_downloads_name_the_period_in_chinese():
    import pandas as pd

    from dcbook.render import csv_frame

    out = csv_frame(
        pd.DataFrame({"year": [2017, 2017, 2020], "value": [1, 2, 3], "period": ["to-06", "", None]})
    )
    assert list(out.columns) == ["年份", "数值", "时期"]
    assert list(out["时期"]) == ["上半年", "全年", "全年"]
    assert periods.label("asof-06") == "截至 6 月" and periods.label("cumulative") == "累计"
