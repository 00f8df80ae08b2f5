"""The search-word cache is bounded: writing comments cannot grow a process without end."""

from npc.core import words as text_words


def test_long_blocks_are_segmented_but_not_kept():
    text_words._cached_segment.cache_clear()
    long_block = "电梯使用单位应当" * 20  # one block of 160 characters
    words = text_words.search_words(long_block)
    assert "电梯" in words.split()
    assert text_words._cached_segment.cache_info().currsize == 0


def test_the_cache_holds_at_most_its_bound_of_short_blocks():
    text_words._cached_segment.cache_clear()
    for n in range(text_words.CACHED_BLOCKS + 500):
        text_words.search_words(f"意见{n}")
    info = text_words._cached_segment.cache_info()
    assert info.currsize == text_words.CACHED_BLOCKS == info.maxsize


def test_kept_and_fresh_segmentation_give_the_same_words():
    text = "物业服务企业应当，配合电梯维护保养单位做好电梯安全管理工作。" * 3
    text_words._cached_segment.cache_clear()
    first = text_words.search_words(text)
    assert text_words.search_words(text) == first
