"""Numbers written in Chinese numerals: the one :func:`chinese_number` every stage uses.

Reports write numbers in three ways: Arabic digits (2021), positional Chinese numerals
(二十三, 三百五十, 十四五) and strings of Chinese digits (二〇二一, the way years are written).
A count may also give a range of two neighbouring digits (五六个, 三十五六家), which reads as its
upper bound.

>>> chinese_number("2021"), chinese_number("二〇二一"), chinese_number("二十四"), chinese_number("千")
(2021, 2021, 24, 1000)
>>> chinese_number("五六十", ranges=True), chinese_number("五六十")
(60, 560)
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["DIGITS", "UNITS", "arabic_years", "chinese_decimal", "chinese_number"]

#: The value of each Chinese digit (两 is 2 before a classifier or unit: 两大平台, 两千).
DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: The value of each Chinese unit; 万 multiplies everything before it (三百五十万).
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def chinese_number(text: str, *, ranges: bool = False) -> int:
    """The value of a number written in Arabic digits or in Chinese numerals.

    Digits with no unit between them are read as a string of digits (二〇二一 → 2021), the way
    years are written; with ``ranges`` they are read as a range of counts that stands for its
    last, upper value (五六个 → 6, 三十五六 → 36), the way counts are written. A unit with no
    digit before it counts one (十七 → 17, 千 → 1000, 万 → 10000).

    Raises :class:`ValueError` for a character that is neither a digit nor a unit.

    >>> [chinese_number(t) for t in ("六", "两", "十", "十七", "二十三", "三百五十", "万", "十二")]
    [6, 2, 10, 17, 23, 350, 10000, 12]
    >>> chinese_number("一九九八"), chinese_number("一百零五"), chinese_number("三百五十万")
    (1998, 105, 3500000)
    >>> chinese_number("三五", ranges=True), chinese_number("三十五六", ranges=True)
    (5, 36)
    >>> chinese_number("三个")
    Traceback (most recent call last):
    ...
    ValueError: '三个' is not a number: '个' is neither a digit nor a unit
    """
    if text.isdigit():
        return int(text)
    total, digit, written = 0, 0, False  # written: a digit stands before the next unit
    for ch in text:
        if ch in DIGITS:
            digit, written = DIGITS[ch] if ranges else digit * 10 + DIGITS[ch], True
        elif ch == "万":
            total, digit, written = (total + digit if total or written else 1) * UNITS[ch], 0, False
        elif ch in UNITS:
            total, digit, written = total + (digit if written else 1) * UNITS[ch], 0, False
        else:
            raise ValueError(f"{text!r} is not a number: {ch!r} is neither a digit nor a unit")
    return total + digit


def chinese_decimal(text: str) -> Decimal:
    """A number in Chinese numerals that may have a decimal part after 点 (十一点八 → 11.8).

    >>> chinese_decimal("十一点八"), chinese_decimal("五十八点六"), chinese_decimal("十八")
    (Decimal('11.8'), Decimal('58.6'), Decimal('18'))
    """
    whole, _, fraction = text.partition("点")
    value = Decimal(chinese_number(whole)) if whole else Decimal(0)
    if fraction:
        digits = "".join(str(DIGITS[ch]) for ch in fraction)  # 点八五: digit by digit
        value += Decimal(f"0.{digits}")
    return value


# 一九五六年, 二〇二五年 (and 一九八○年, with a white circle for zero as some texts print it): 19xx and 20xx only
_ZEROS = "〇零○"
_CHINESE_YEAR = re.compile(
    rf"(?<![{_ZEROS}一二三四五六七八九十百千万])(?:一九|二[{_ZEROS}])[{_ZEROS}一二三四五六七八九]{{2}}(?=年)")


def arabic_years(text: str) -> str:
    """``text`` with years written in Chinese digits turned into Arabic digits, one for one, so that
    every position stays where it was (一九五六年 → 1956年); other numerals are left as written.

    >>> arabic_years("一九五六年的工业总产值达到了五百八十六亿元，比一九五二年增长")
    '1956年的工业总产值达到了五百八十六亿元，比1952年增长'
    >>> arabic_years("二〇二五年"), arabic_years("一九八○年"), arabic_years("一八五四年")
    ('2025年', '1980年', '一八五四年')
    """
    return _CHINESE_YEAR.sub(lambda m: "".join(str(DIGITS.get(c, 0)) for c in m.group()), text)

