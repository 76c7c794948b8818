"""Printed units → display units: the one table every figure of the book is converted with.

The documents print a number with the unit that reads best (142.5 万个, 9.89 亿, 37.21 万亿元); each
indicator has one display unit (``data/indicators.csv``). A printed unit is parsed into

    unit = [scale prefix] + base        e.g. 万亿元 = 万亿 × 元,  亿人次 = 亿 × 人次,  万千瓦 = 万 × 千瓦

and two units convert when their bases belong to the same *family* (same kind of quantity). The
factor is ``scale × base factor`` of one divided by the other's. Rules, so that nothing is guessed:

* A base is looked up whole first, so 千瓦, 千米, 千瓦时 are bases and not 千 × 瓦 / 千 × 米.
* A unit with no base (万, 亿, or the empty unit of a bare number) is a *pure scale*: the noun is implied
  by the indicator (9.89亿 网民 → 9.89 亿人), so it converts to and from any *scalable* unit.
* Non-scalable units (%, 个百分点, 位, 倍, 分 …) take no scale prefix and convert only to themselves.
* 个 (the general classifier) converts to any count noun (家, 项, 户 …) but not to a measure (公里, TB).
* Classifiers used interchangeably for the same things share a family (:data:`SYNONYMS`: 台/套/台套,
  份/篇).
* Different families never convert: 户 vs 人, % vs 个百分点, 元 vs 美元 raise :class:`UnitError`.
* Unknown units raise :class:`UnitError`; add them to :data:`BASES` (and to ``data/README.md``).
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

#: Scale prefixes (Chinese number words used as units), longest first when parsing.
SCALES: dict[str, float] = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}

#: Base units: name → (family, factor to the family's reference unit). Count nouns are their own family
#: with factor 1 (户 and 人 are different families: households are not people).
_COUNT_NOUNS = ["个", "户", "人", "人次", "件", "件次", "项", "家", "家次", "部", "台", "台套", "座", "架", "条", "次", "所", "张", "篇", "份", "门", "门次", "款", "笔", "处", "单", "场", "辆", "辆次", "套", "名", "颗", "片", "起", "支", "堂", "批", "批次", "种", "块", "册", "本", "位数", "省", "省市", "省区市", "区", "县", "村", "镇", "户次", "人年", "TEU", "卷", "集", "首", "部次", "个次", "亩", "期", "届", "轮", "例", "宗", "单位", "条次", "根", "枚", "株", "棵", "头", "只", "课", "课时", "节", "学时"]  # fmt: skip

BASES: dict[str, tuple[str, float]] = {noun: (noun, 1.0) for noun in _COUNT_NOUNS}
#: Classifiers the documents use interchangeably for the same things: one family each.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "台套": ("台", "套", "台套"),  # industrial equipment: 万台 / 万套 / 万台套 connected devices
    "份": ("份", "篇"),  # documents: 裁判文书 counted in 份 and 篇
}
for _family_name, _members in SYNONYMS.items():
    for _m in _members:
        BASES[_m] = (_family_name, 1.0)
#: 个 is the general classifier: it converts to any count noun (the noun is implied by the indicator,
#: as with a pure scale), never to a measured quantity (公里, TB …) or to %, 位 ….
GENERAL_CLASSIFIER = "个"
COUNT_FAMILIES: frozenset[str] = frozenset(BASES[n][0] for n in _COUNT_NOUNS)
BASES.update(
    {
        # money (each currency its own family; 个 does not count money)
        "元": ("元", 1.0),
        "美元": ("美元", 1.0),
        "欧元": ("欧元", 1.0),
        # length
        "米": ("length", 1.0),
        "公里": ("length", 1e3),
        "千米": ("length", 1e3),
        "纳米": ("length", 1e-9),
        # mass
        "吨": ("mass", 1e3),
        "千克": ("mass", 1.0),
        "公斤": ("mass", 1.0),
        # power and energy
        "瓦": ("power", 1.0),
        "千瓦": ("power", 1e3),
        "兆瓦": ("power", 1e6),
        "千瓦时": ("energy", 1.0),
        "度": ("energy", 1.0),
        # time
        "秒": ("time", 1.0),
        "分钟": ("time", 60.0),
        "小时": ("time", 3600.0),
        "天": ("time", 86400.0),
        "年": ("years", 1.0),
        # data volume (decimal prefixes, as the reports use them)
        "B": ("data", 1.0),
        "KB": ("data", 1e3),
        "MB": ("data", 1e6),
        "GB": ("data", 1e9),
        "TB": ("data", 1e12),
        "PB": ("data", 1e15),
        "EB": ("data", 1e18),
        "ZB": ("data", 1e21),
        "字节": ("data", 1.0),
        "GB/户·月": ("DOU", 1.0),  # mobile data per user per month
        # bandwidth
        "bps": ("bandwidth", 1.0),
        "Kbps": ("bandwidth", 1e3),
        "Mbps": ("bandwidth", 1e6),
        "Gbps": ("bandwidth", 1e9),
        "Tbps": ("bandwidth", 1e12),
        "Mbit/s": ("bandwidth", 1e6),
        "Gbit/s": ("bandwidth", 1e9),
        "Tbit/s": ("bandwidth", 1e12),
        "兆": ("bandwidth", 1e6),
        # computing power
        "FLOPS": ("compute", 1.0),
        "TFLOPS": ("compute", 1e12),
        "PFLOPS": ("compute", 1e15),
        "EFLOPS": ("compute", 1e18),
        "PF": ("compute", 1e15),
        "EF": ("compute", 1e18),
        # racks
        "标准机架": ("标准机架", 1.0),
        "机架": ("标准机架", 1.0),
        # IPv6 address blocks (/32)
        "块(/32)": ("块(/32)", 1.0),
    }
)

#: Units that take no scale prefix and convert only to themselves.
NON_SCALABLE: frozenset[str] = frozenset(
    {"%", "‰", "个百分点", "百分点", "位", "个位次", "位次", "倍", "分", "级"}
)

#: Other spellings of the same unit (after full-width brackets are folded to ASCII).
ALIASES: dict[str, str] = {
    "块/32": "块(/32)",
    "(块/32)": "块(/32)",
    "台(套)": "台套",
    "件(套)": "件套",
    "省(市)": "省市",
    "Mb/s": "Mbit/s",
    "Gb/s": "Gbit/s",
    "Tb/s": "Tbit/s",
}
BASES["件套"] = ("件套", 1.0)


class UnitError(ValueError):
    """A unit that is unknown or cannot be converted to the requested unit (both are named)."""


#: Readers' name and reference unit of each measured family (the unit table of 方法与数据). A family not
#: listed is named by its key, which for count nouns and currencies (台套, 份, 元 …) is already the word.
FAMILY_NAMES: dict[str, tuple[str, str]] = {
    "data": ("数据量", "字节"),
    "compute": ("算力", "FLOPS"),
    "bandwidth": ("带宽", "bps"),
    "DOU": ("户均月流量", "GB/户·月"),
    "power": ("功率", "瓦"),
    "energy": ("电量", "千瓦时"),
    "mass": ("质量", "千克"),
    "length": ("长度", "米"),
    "time": ("时间", "秒"),
    "years": ("年数", "年"),
}

#: Units whose change is not a growth rate: shares move in percentage points, ranks in places.
SHARE_UNITS: tuple[str, ...] = ("%",)
RANK_UNITS: tuple[str, ...] = ("位",)


def _canonical(unit: str) -> str:
    """Fold full-width characters (（）％ etc.) and whitespace, then apply :data:`ALIASES`."""
    text = unicodedata.normalize("NFKC", unit or "").replace(" ", "").strip()
    return ALIASES.get(text, text)


def canonical(unit: str) -> str:
    """The spelling a unit is compared in: full-width folded, aliases applied (（块/32） → 块(/32))."""
    return _canonical(unit)


def parse(unit: str) -> tuple[float, str]:
    """Split ``unit`` into (scale, base); base ``""`` means a pure scale. Raises :class:`UnitError`."""
    text = _canonical(unit)
    if text in NON_SCALABLE or text in BASES or text == "":
        return 1.0, text
    for prefix in sorted(SCALES, key=len, reverse=True):
        if text.startswith(prefix):
            rest = ALIASES.get(text[len(prefix) :], text[len(prefix) :])
            if rest == "" or rest in BASES:
                return SCALES[prefix], rest
            if rest in NON_SCALABLE:
                raise UnitError(f"unit {unit!r}: {rest!r} takes no scale prefix")
    raise UnitError(f"unknown unit {unit!r} (not in the unit table of dcbook/units.py)")


def _family(base: str) -> str:
    """Family of a base: '' for a pure scale, the unit itself for non-scalable units."""
    if base == "" or base in NON_SCALABLE:
        return base
    return BASES[base][0]


def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in ``from_unit`` to ``to_unit``; raises :class:`UnitError` if none exists."""
    s_from, b_from = parse(from_unit)
    s_to, b_to = parse(to_unit)
    if b_from == b_to:
        return s_from / s_to
    f_from, f_to = _family(b_from), _family(b_to)
    if b_from in NON_SCALABLE or b_to in NON_SCALABLE:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: different kinds of quantity")
    if b_from == "" or b_to == "":  # pure scale: the noun is implied by the indicator
        return s_from / s_to
    if GENERAL_CLASSIFIER in (b_from, b_to) and f_from in COUNT_FAMILIES and f_to in COUNT_FAMILIES:
        return s_from / s_to
    if f_from != f_to:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: different kinds of quantity")
    return (s_from * BASES[b_from][1]) / (s_to * BASES[b_to][1])


def can_convert(from_unit: str, to_unit: str) -> bool:
    """True when :func:`convert` would succeed for these two units."""
    try:
        factor(from_unit, to_unit)
    except UnitError:
        return False
    return True


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` printed in ``from_unit`` expressed in ``to_unit`` (e.g. 640 万户 → 6.4e6 户).

    The product is rounded to 12 significant digits so that 142.5 万个 → 142.5 万个 stays exact and
    37.21 万亿元 → 372100 亿元 does not print as 372099.99999999994.
    """
    result = float(value) * factor(from_unit, to_unit)
    if result == 0 or not math.isfinite(result):
        return result
    digits = 12 - math.floor(math.log10(abs(result))) - 1
    return round(result, digits)


def table_markdown() -> str:
    """The unit table as Markdown (kept in ``data/README.md``; a test checks they agree)."""
    lines = ["| scale prefix | factor |", "|---|---|"]
    lines += [f"| {p} | {v:g} |" for p, v in SCALES.items()]
    lines += ["", "| base unit | family | factor to the family's reference |", "|---|---|---|"]
    lines += [
        f"| {b} | {fam} | {f:g} |"
        for b, (fam, f) in sorted(BASES.items(), key=lambda kv: (kv[1][0], kv[1][1]))
    ]
    lines += ["", "Non-scalable (no prefix, convert only to themselves): " + ", ".join(sorted(NON_SCALABLE))]
    lines += ["", "Aliases: " + ", ".join(f"{a} = {b}" for a, b in ALIASES.items() if a != b)]
    return "\n".join(lines)


def decimals(value: float, max_digits: int = 4) -> int:
    """Decimals needed to print ``value`` as written in the source (9.89 → 2, 142.5 → 1, 73.0 → 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite values only reach here
    return max(0, min(max_digits, -exponent))
