"""The search-word cache is bounded: writing comments cannot grow a process without end."""

from consultation import search


def test_long_blocks_are_segmented_but_not_kept():
    search._cached_segment.cache_clear()
    long_block = "电梯使用单位应当" * 20  # one block of 160 characters
    words = search.search_words(long_block)
    assert "电梯" in words.split()
    assert search._cached_segment.cache_info().currsize == 0


def test_the_cache_holds_at_most_its_bound_of_short_blocks():
    search._cached_segment.cache_clear()
    for n in range(search.CACHED_BLOCKS + 500):
        search.search_words(f"意见{n}")
    info = search._cached_segment.cache_info()
    assert info.currsize == search.CACHED_BLOCKS == info.maxsize


def test_kept_and_fresh_segmentation_give_the_same_words():
    text = "物业服务企业应当，配合电梯维护保养单位做好电梯安全管理工作。" * 3
    search._cached_segment.cache_clear()
    first = search.search_words(text)
    assert search.search_words(text) == first
