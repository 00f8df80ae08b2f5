"""
Chinese numerals as used to number chapters, sections, articles and items.

Legislation writes numbers in the canonical Chinese form: 第十条, 第一百零九条,
第一百一十条 (never 第一百十条). ``int_to_chinese`` produces that form;
``chinese_to_int`` reads it back, along with the usual variants (一十, 两百, 〇,
Arabic and full-width digits), and rejects anything ambiguous or malformed.
"""

import unicodedata

__all__ = ["article_label", "chinese_to_int", "int_to_chinese"]

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {char: value for value, char in enumerate(_DIGITS)} | {"〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_MAX = 99_999_999  # below 一亿: far beyond any article number


def int_to_chinese(n: int) -> str:
    """
    Write ``n`` in Chinese numerals, in the form used for legislation.

    10 is 十 and 11 is 十一, but 110 is 一百一十; a skipped unit is written as a
    single 零 (101 → 一百零一, 1001 → 一千零一). Supports 0 to 99,999,999.
    Raise ValueError outside that range.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if not 0 <= n <= _MAX:
        raise ValueError(f"{n} is outside 0..{_MAX}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    if not high:
        return _section_to_chinese(low, leading=True)
    text = _section_to_chinese(high, leading=True) + "万"
    if low:
        # 一万零一十: a zero stands for the empty thousands place.
        text += ("零" if low < 1000 else "") + _section_to_chinese(low, leading=False)
    return text


def _section_to_chinese(n: int, *, leading: bool) -> str:
    """Write 1 <= n <= 9999; ``leading`` allows 十 for 一十 at the very start."""
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit == 0:
            pending_zero = pending_zero or bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        if unit == "十" and digit == 1 and leading and not parts:
            parts.append("十")
        else:
            parts.append(_DIGITS[digit] + unit)
    return "".join(parts)


def article_label(number: int, suffix: int = 0) -> str:
    """
    Write the label of article ``number`` as legislation does: 第十二条.

    An article inserted by an amendment after article 12 has ``suffix`` 1, 2, …
    and reads 第十二条之一, 第十二条之二. The one spelling of it, for the
    models, the parser, the comparison table, comment counts, exports and the
    API alike.
    """
    label = f"第{int_to_chinese(number)}条"
    return f"{label}之{int_to_chinese(suffix)}" if suffix else label


def chinese_to_int(s: str) -> int:
    """
    Read a number written in Chinese numerals, or in Arabic digits.

    Accepts the canonical form (一百一十五) and common variants: 一十五, 两百,
    〇 for 零, 万 for the ten thousands, ASCII and full-width digits ("12",
    "１２"). Surrounding whitespace is ignored. Raise ValueError for anything
    else, including ambiguous colloquial forms such as 一百五 (105 or 150?).
    """
    if not isinstance(s, str):
        raise TypeError(f"expected a str, got {type(s).__name__}")
    text = unicodedata.normalize("NFKC", s).strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isascii() and text.isdigit():
        return int(text)
    if text in ("零", "〇"):
        return 0
    if text.count("万") > 1:
        raise ValueError(f"not a Chinese numeral: {s!r}")
    high_text, wan, low_text = text.partition("万")
    if not wan:
        return _parse_section(text, s, leading=True)
    high = _parse_section(high_text, s, leading=True)
    if not low_text:
        return high * 10_000
    if low_text[0] in "零〇":
        low = _parse_section(low_text[1:], s, leading=False)
        if low >= 1000:
            raise ValueError(f"misplaced 零 in {s!r}")
    else:
        low = _parse_section(low_text, s, leading=False)
        if low < 1000:
            # 一万五 is colloquial for 15000; 一万零五 would be 10005.
            raise ValueError(f"ambiguous numeral: {s!r}")
    return high * 10_000 + low


def _parse_section(text: str, original: str, *, leading: bool) -> int:
    """Read 1..9999 written with 千, 百, 十; ``original`` is for the message."""
    if not text:
        raise ValueError(f"not a Chinese numeral: {original!r}")
    value = 0
    digit: int | None = None  # a digit waiting for its unit
    last_unit = 10_000
    after_zero = False
    for position, char in enumerate(text):
        if char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit:
                raise ValueError(f"units out of order in {original!r}")
            if digit is None:
                # A bare 十 is fine only at the very start: 十, 十五.
                if not (char == "十" and position == 0 and leading):
                    raise ValueError(f"unit without a digit in {original!r}")
                digit = 1
            if after_zero and last_unit // unit < 100:
                raise ValueError(f"misplaced 零 in {original!r}")
            value += digit * unit
            digit = None
            after_zero = False
            last_unit = unit
        elif char in _DIGIT_VALUES or char == "两":
            if digit is not None:
                raise ValueError(f"two digits in a row in {original!r}")
            if char == "两":
                # 两 only counts hundreds and thousands: 两百, 两千.
                following = text[position + 1 : position + 2]
                if following not in ("百", "千"):
                    raise ValueError(f"misplaced 两 in {original!r}")
                digit = 2
            elif _DIGIT_VALUES[char] == 0:
                if after_zero or position == 0 or last_unit == 10_000:
                    raise ValueError(f"misplaced 零 in {original!r}")
                after_zero = True
            else:
                digit = _DIGIT_VALUES[char]
        else:
            raise ValueError(f"not a Chinese numeral: {original!r}")
    if after_zero and digit is None:
        raise ValueError(f"trailing 零 in {original!r}")
    if digit is not None:
        if last_unit > 10 and not after_zero and last_unit != 10_000:
            # 一百五 is colloquial for 150; the canonical 105 is 一百零五.
            raise ValueError(f"ambiguous numeral: {original!r}")
        if after_zero and last_unit == 10:
            raise ValueError(f"misplaced 零 in {original!r}")
        value += digit
    return value
