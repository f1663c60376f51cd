"""The one tokenizer: normalisation, segmentation with the education dictionary, pinyin."""

import pytest

from zhijiao.core import tokenizer

# The segmenter reads staff's dictionary words from the database when it first loads.
pytestmark = pytest.mark.django_db


def test_full_width_becomes_half_width_and_latin_lower_case() -> None:
    assert tokenizer.normalize("ＡＢＣ１２３　Ｐｙｔｈｏｎ") == "abc123 python"


def test_traditional_becomes_simplified() -> None:
    assert tokenizer.normalize("學歷認證與體育") == "学历认证与体育"


def test_mixed_chinese_english_and_digits() -> None:
    words = tokenizer.query_tokens("2026年ChatGPT与5G教育应用，Python３编程！")
    assert "2026" in words
    assert "chatgpt" in words
    assert "5g" in words
    assert "python3" in words
    assert all(word.strip("，！") == word for word in words)


def test_user_dictionary_terms_stay_whole() -> None:
    for term in ("一元一次方程", "三方协议", "云码", "专业教学资源库", "学历认证", "课后服务"):
        assert term in tokenizer.query_tokens(f"关于{term}的说明"), term


def test_search_mode_indexes_the_words_inside_long_words() -> None:
    words = tokenizer.index_tokens("北京生物制药公司")
    assert words[:3] == ["北京", "生物制药", "公司"]  # the precise words first, in order (phrases)
    assert {"生物", "制药"} <= set(words[3:])


def test_punctuation_and_function_words_are_dropped() -> None:
    assert tokenizer.query_tokens("！？…… 的 了") == []


def test_pinyin_and_initials_of_words() -> None:
    tokens = tokenizer.pinyin_tokens("北京大学")
    assert {"beijing", "bj", "beijingdaxue", "bjdx"} <= set(tokens)


def test_added_words_take_effect_at_once() -> None:
    assert "智教云课堂" not in tokenizer.query_tokens("智教云课堂上线")
    tokenizer.add_words(["智教云课堂"])
    try:
        assert "智教云课堂" in tokenizer.query_tokens("智教云课堂上线")
    finally:
        tokenizer.reset()
