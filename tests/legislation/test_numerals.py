import pytest
from hypothesis import given
from hypothesis import strategies as st

from legislation.numerals import article_label, chinese_to_int, int_to_chinese

CANONICAL = [
    (0, "零"),
    (1, "一"),
    (2, "二"),
    (9, "九"),
    (10, "十"),
    (11, "十一"),
    (19, "十九"),
    (20, "二十"),
    (21, "二十一"),
    (99, "九十九"),
    (100, "一百"),
    (101, "一百零一"),
    (109, "一百零九"),
    (110, "一百一十"),
    (115, "一百一十五"),
    (123, "一百二十三"),
    (200, "二百"),
    (999, "九百九十九"),
    (1000, "一千"),
    (1001, "一千零一"),
    (1010, "一千零一十"),
    (1090, "一千零九十"),
    (1100, "一千一百"),
    (1234, "一千二百三十四"),
    (9999, "九千九百九十九"),
    (10_000, "一万"),
    (10_010, "一万零一十"),
    (100_000, "十万"),
    (110_001, "十一万零一"),
]


@pytest.mark.parametrize(("number", "chinese"), CANONICAL)
def test_int_to_chinese_writes_the_form_used_in_legislation(number, chinese):
    assert int_to_chinese(number) == chinese


@pytest.mark.parametrize(("number", "chinese"), CANONICAL)
def test_chinese_to_int_reads_the_canonical_form(number, chinese):
    assert chinese_to_int(chinese) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一十", 10),
        ("一十五", 15),
        ("两百", 200),
        ("两千零五", 2005),
        ("一百〇九", 109),
        ("12", 12),
        ("０１２", 12),
        ("１０９", 109),
        (" 三十七 ", 37),
    ],
)
def test_chinese_to_int_accepts_common_variants(text, number):
    assert chinese_to_int(text) == number


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "  ",
        "条",
        "第十条",
        "十十",
        "一二",
        "百",
        "零一",
        "二十零",
        "一百五",
        "一万五",
        "一百零一十",
        "一零",
        "两",
        "十两",
        "万",
        "一亿",
        "12a",
        "-3",
        "1.5",
    ],
)
def test_chinese_to_int_rejects_garbage_and_ambiguous_forms(garbage):
    with pytest.raises(ValueError):
        chinese_to_int(garbage)


@pytest.mark.parametrize("out_of_range", [-1, 100_000_000])
def test_int_to_chinese_rejects_numbers_out_of_range(out_of_range):
    with pytest.raises(ValueError):
        int_to_chinese(out_of_range)


@given(st.integers(min_value=1, max_value=9999))
def test_numbers_up_to_9999_round_trip(number):
    assert chinese_to_int(int_to_chinese(number)) == number


@given(st.integers(min_value=0, max_value=99_999_999))
def test_large_numbers_round_trip(number):
    assert chinese_to_int(int_to_chinese(number)) == number


def test_every_number_up_to_9999_round_trips():
    assert all(chinese_to_int(int_to_chinese(n)) == n for n in range(1, 10_000))


@pytest.mark.parametrize(
    ("number", "label"), [(1, "第一条"), (10, "第十条"), (110, "第一百一十条")]
)
def test_article_label_is_the_number_in_chinese_between_di_and_tiao(number, label):
    assert article_label(number) == label


def test_the_article_model_and_the_parser_label_articles_alike():
    from legislation.models import Article
    from legislation.parsing import ParsedArticle

    parsed = ParsedArticle(
        number=112, heading="", paragraphs=[], chapter=None, section=None, line=1
    )
    assert Article(number=112).label == parsed.label == "第一百一十二条"
