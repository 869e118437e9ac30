from lms.core.textsearch import bigram_query, bigram_text, normalise


def test_chinese_runs_become_overlapping_pairs():
    assert bigram_text("行政强制法") == "行政 政强 强制 制法"


def test_a_two_character_word_is_one_of_the_indexed_pairs():
    assert set(bigram_query("强制").split()) <= set(bigram_text("城管依法实施行政强制措施").split())


def test_latin_and_numbers_stay_whole_and_full_width_is_normalised():
    assert normalise("ＡＢＣ１２３\u3000") == "abc123 "
    assert bigram_text("第24小时 GIFT") == "第 24 小时 gift"


def test_query_tokens_are_deduplicated():
    assert bigram_query("法制法制") == "法制 制法"
