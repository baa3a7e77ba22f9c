from kg.normalize import Mapped, fold_width, normalize_text, strip_pinyin


def _norm(raw: str) -> str:
    return normalize_text(raw)[0].text


def test_pinyin_annotations_removed_and_traditional_simplified():
    # a line from seed 003
    raw = "(江蘇省)2025年常州市天寧區(qū)政府工作報告"
    assert _norm(raw) == "(江苏省)2025年常州市天宁区政府工作报告"


def test_genuine_parentheses_are_kept():
    raw = "户(人)次，连云港（连云港）和(GDP)增长，我們(men)"
    assert strip_pinyin(Mapped.identity(raw)).text == "户(人)次，连云港（连云港）和(GDP)增长，我們"


def test_fullwidth_digits_and_letters_fold_but_quotes_stay():
    assert fold_width(Mapped.identity("“１１１５”ＣＮＤ")).text == "“1115”CND"


def test_simplified_text_is_left_alone():
    raw = "实施“精网微格”工程，著力推动高质量发展"
    assert _norm(raw) == raw


def test_offsets_map_back_to_raw_spans():
    raw = "天寧區(qū)政府報告"
    m, _ = normalize_text(raw)
    i = m.text.index("政府")
    assert raw[m.starts[i] : m.ends[i + 1]] == "政府"
    j = m.text.index("区")
    assert raw[m.starts[j] : m.ends[j]] == "區"


def test_word_broken_by_line_break_is_joined():
    # seed 002
    raw = (
        "教育经费投入年均增长 10.33%，增加学位 11.9 万个。"
        "建成多层次医疗、养老服\n\n务体系，人均预期寿命提高至 8"
    )
    assert "养老服务体系" in _norm(raw)


def test_headings_are_not_joined_to_the_next_line():
    raw = "（一）厚植区域创新发展新动能\n\n强化企业创新主体地位。"
    assert _norm(raw) == raw
