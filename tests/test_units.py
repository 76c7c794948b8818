"""The unit table: scales, families, pure scales, incompatibilities, and the README copy of the table."""

from __future__ import annotations

import pytest

from dcbook import REPO_ROOT, units


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (142.5, "万个", "万个", 142.5),
        (142.5, "万个", "个", 1_425_000),
        (9.89, "亿", "亿人", 9.89),  # pure scale: the noun is implied
        (9.89, "亿人", "亿", 9.89),
        (989, "百万", "亿人", 9.89),
        (37.21, "万亿元", "亿元", 372_100),
        (640, "万户", "户", 6_400_000),
        (1.5, "千万", "万", 1500),
        (3, "千个", "个", 3000),
        (2, "千亿次", "亿次", 2000),
        (1, "Tbps", "Gbps", 1000),
        (500, "Gbps", "Tbps", 0.5),
        (8.1, "ZB", "EB", 8100),
        (3, "千米", "公里", 3),
        (3, "万公里", "千米", 30_000),
        (2, "亿千瓦时", "万千瓦时", 20_000),
        (1, "EFLOPS", "PFLOPS", 1000),
        (73, "%", "%", 73),
        (22, "位", "位", 22),
        (5, "（块/32）", "块/32", 5),  # full-width brackets and spelling variants are one unit
        (4, "万台", "万套", 4),  # 台/套/台套 are interchangeable classifiers (SYNONYMS)
        (80, "个", "家", 80),  # 个 is the general classifier for counts
        (7, "", "", 7),
    ],
)
def test_convert(value, src, dst, expected):
    assert units.convert(value, src, dst) == pytest.approx(expected, rel=1e-12)
    assert units.can_convert(src, dst)


def test_convert_is_exact_to_twelve_digits():
    assert units.convert(37.21, "万亿元", "亿元") == 372100.0
    assert units.convert(0.1, "亿", "万") == 1000.0


@pytest.mark.parametrize(
    ("src", "dst"),
    [("户", "人"), ("万户", "亿人"), ("%", "个百分点"), ("元", "美元"), ("亿元", "亿美元"), ("个", "TB"),
     ("亿张", "亿人"), ("%", "亿"), ("倍", "%"), ("公里", "吨"), ("Tbps", "TB")],
)  # fmt: skip
def test_incompatible_units_name_both(src, dst):
    assert not units.can_convert(src, dst)
    with pytest.raises(units.UnitError) as err:
        units.convert(1, src, dst)
    assert repr(src) in str(err.value) and repr(dst) in str(err.value)


@pytest.mark.parametrize("unit", ["万%", "亿位", "公顷", "万XYZ", "人民币"])
def test_unknown_or_unscalable_unit(unit):
    with pytest.raises(units.UnitError, match="unit"):
        units.parse(unit)
    assert not units.can_convert(unit, "个")


def test_whole_base_beats_scale_prefix():
    assert units.parse("千瓦") == (1.0, "千瓦")
    assert units.parse("万千瓦") == (1e4, "千瓦")
    assert units.parse("千米") == (1.0, "千米")
    assert units.parse("万亿元") == (1e12, "元")
    assert units.parse("亿") == (1e8, "")


def test_readme_holds_the_unit_table():
    readme = (REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert units.table_markdown() in readme, (
        "data/README.md's unit table is stale: paste units.table_markdown()"
    )


def test_every_family_shown_to_readers_has_a_chinese_name() -> None:
    """The unit table names a family by FAMILY_NAMES, else by its key (a count noun such as 台套 or TEU is its
    own name): no internal key of a measured quantity ("power") may go unnamed."""
    import re

    unnamed = {fam for fam, _ in units.BASES.values() if fam not in units.FAMILY_NAMES} - units.COUNT_FAMILIES
    assert not [f for f in unnamed if re.search(r"[A-Za-z]", f)], sorted(unnamed)
