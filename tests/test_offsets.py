"""Property-based tests of the offset map: whatever the input, normalised text points back
into the raw text soundly, and normalising twice changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.normalize import normalize_text

# Pieces that exercise every step: traditional characters, pinyin annotations, mojibake,
# damaged fragments, full-width digits, furniture lines, repeated and broken lines.
PIECES = [
    "常州市", "天寧區", "(qū)", "報(bào)告", "“1115”", "１１１５", "工程", "。", "，", "\n", "\n\n",
    "下载\n", "来源：常州日报\n", "(上接1版)\n", "相关报道：\n", "?!叭筚惖馈", "a(chǎn)",
    "å¸‚æ”¿åºœ", "â€œ", "一、", "（一）", "1．", "名词解释\n", "户(人)次", "（连云港）",
    "深入实施创新驱动发展战略推动高质量发展取得新成效", "养老服", "务体系", " ", "\r\n", "�",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_offset_map_is_monotone_and_inside_the_raw_text(raw):
    m = normalize_text(raw)[0]
    assert len(m.starts) == len(m.ends) == len(m.text)
    for i in range(len(m.text)):
        assert 0 <= m.starts[i] <= m.ends[i] <= len(raw)
        if i:
            assert m.starts[i - 1] <= m.starts[i] and m.ends[i - 1] <= m.ends[i]


@SETTINGS
@given(texts)
def test_unchanged_characters_map_to_themselves(raw):
    m = normalize_text(raw)[0]
    for i, ch in enumerate(m.text):
        a, b = m.starts[i], m.ends[i]
        if b - a == 1 and raw[a] == ch:
            continue
        # a changed character comes from a non-empty raw span that differs from it
        assert b > a and raw[a:b] != ch


@SETTINGS
@given(texts)
def test_spans_where_nothing_changed_are_equal_in_raw_and_normalised_text(raw):
    m = normalize_text(raw)[0]
    i = 0
    while i < len(m.text):
        j = i
        while j < len(m.text) and m.ends[j] - m.starts[j] == 1 and raw[m.starts[j]] == m.text[j]:
            if j > i and m.starts[j] != m.starts[j - 1] + 1:
                break
            j += 1
        if j > i:
            assert raw[m.starts[i] : m.ends[j - 1]] == m.text[i:j]
        i = max(j, i + 1)


@SETTINGS
@given(texts)
@example("áâ€œŒ")  # a repaired “ completes the UTF-8 of ᓌ with its neighbours: found by hypothesis
def test_normalising_twice_changes_nothing(raw):
    once = normalize_text(raw)[0].text
    assert normalize_text(once)[0].text == once
