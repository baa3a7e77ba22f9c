"""spaCy pipeline components that propose and select entity candidates.

Each proposer appends `Candidate`s (character offsets into the normalised text) to
``doc._.kg_candidates``; ``kg_merge`` chooses among overlapping ones and writes the final list
to ``doc._.kg_entities``. Offsets are characters, not tokens, because gold names often cut
through pkuseg words; tokens are used where word boundaries help (a name's left edge).
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_right
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import (
    DATA_DIR,
    Division,
    admin_gazetteer,
    alternation,
    read_list,
    read_stage_phrases,
)

KG_DIR = Path(__file__).resolve().parents[1]

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)
if not Doc.has_extension("kg_entities"):
    Doc.set_extension("kg_entities", default=None)
if not Doc.has_extension("kg_edges"):
    Doc.set_extension("kg_edges", default=None)

QUOTE_CHARS = "“”\"'‘’「」『』《》"
_NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9·•\-+—]")
_QUANTITY = re.compile(r"^\d+(\.\d+)?(年|月|日|个|家|项|亿|万|%|公里|亩|米|吨|座|条|所|名|人|元)")
_DAMAGED = re.compile(r"[?�\ufffd]")


@dataclass(frozen=True)
class Candidate:
    """A proposed entity: [start, end) in the normalised text, its type, name and source."""

    start: int
    end: int
    label: str
    name: str
    extractor: str
    nested_ok: bool = False


def _candidates(doc: Doc) -> list[Candidate]:
    if doc._.kg_candidates is None:
        doc._.kg_candidates = []
    return doc._.kg_candidates


def _run_of(s: str, words: Container[str], shortest: int) -> bool:
    """Whether `s` is nothing but words of `words` (each `shortest` characters or more) written
    end to end: 常州市新北区 of division names, 百亿级重大 of descriptive words."""
    return not s or any(
        s[:k] in words and _run_of(s[k:], words, shortest) for k in range(len(s), shortest - 1, -1)
    )


def clean_name(text: str) -> str:
    """A name as the graph stores it: quotation marks removed, outer whitespace trimmed."""
    return "".join(c for c in text if c not in QUOTE_CHARS).strip()


class TokenEdges:
    """A doc's text and token offsets, for finding a name's left edge by walking back over words.

    Read once per doc (`TokenEdges.of`) and shared by the components: Doc.text joins every
    token and iterating a Doc makes a Token object per word, on each access, and a report has
    tens of thousands of words.
    """

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        offsets = doc.to_array([IDX, LENGTH]).tolist()
        self.starts = [a for a, _ in offsets]
        self.ends = [a + n for a, n in offsets]
        # for "does a word start / end here" tests, which every proposer makes
        self.start_set = frozenset(self.starts)
        self.end_set = frozenset(self.ends)

    @classmethod
    def of(cls, doc: Doc) -> TokenEdges:
        """The doc's edges, made on first use."""
        if doc._.kg_edges is None:
            doc._.kg_edges = cls(doc)
        return doc._.kg_edges

    def token_at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def walk_left(self, start: int, stop: set[str], max_len: int, end: int) -> int:
        """Leftmost start of a name whose suffix begins at `start` (exclusive of stop words)."""
        text = self.text
        i = self.token_at(start - 1) if start > 0 else 0
        left = start
        # the suffix may begin inside a token: that token's head is part of the stem
        while i >= 0 and start > 0:
            t_start = self.starts[i]
            piece = text[t_start : min(left, self.ends[i])]
            if not piece or piece in stop or not all(_NAME_CHAR.match(c) for c in piece):
                break
            if _QUANTITY.match(piece) or end - t_start > max_len:
                break
            left = t_start
            i -= 1
        return left


@Language.factory(
    "kg_places",
    default_config={
        "natural_features": "rules/natural_features.txt",
        "broad_regions": "rules/broad_regions.txt",
        "short_name_min_level": "county",
        "word_edges": True,
    },
)
def make_places(
    nlp: Language,
    name: str,
    natural_features: str,
    broad_regions: str,
    short_name_min_level: str,
    word_edges: bool,
) -> PlaceMatcher:
    return PlaceMatcher(name, natural_features, broad_regions, short_name_min_level, word_edges)


class PlaceMatcher:
    """Places from the administrative-division gazetteer and lists of natural features.

    With `word_edges`, a name must start and end on pkuseg word edges: town names are common
    word sequences (发展乡 in 发展乡村, 保城镇 in 确保城镇), and so are some county short names
    (惠民, 安康). On the dev set this raised Place precision from 0.542 to 0.605 at the same
    recall.
    """

    LEVELS = ("province", "prefecture", "county", "town")

    def __init__(
        self, name: str, natural: str, regions: str, short_min: str, word_edges: bool = True
    ) -> None:
        self.name = name
        self.word_edges = word_edges
        gaz = admin_gazetteer()
        allowed_short = set(self.LEVELS[: self.LEVELS.index(short_min) + 1])
        names: set[str] = set(read_list(natural)) | set(read_list(regions))
        for key, divs in gaz.by_name.items():
            full = any(d.name == key and self._plausible(d) for d in divs)
            short_ok = any(d.short_name == key and d.level in allowed_short for d in divs)
            if (full or short_ok) and len(key) >= 2:
                names.add(key)
        self.names = names
        self.lengths = sorted({len(n) for n in names}, reverse=True)

    TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木", "民族乡", "林场", "农场")

    def _plausible(self, d: Division) -> bool:
        """Town-level rows include units named like parks (化工园区): keep real towns only."""
        if d.level == "town":
            return len(d.name) >= 3 and d.name.endswith(self.TOWN_SUFFIXES[:5])
        return len(d.name) >= 3 or not d.name.endswith(("区", "县"))

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        edges = TokenEdges.of(doc)
        text = edges.text
        starts, ends = edges.start_set, edges.end_set
        i = 0
        n = len(text)
        while i < n:
            for length in self.lengths:
                if i + length <= n and text[i : i + length] in self.names:
                    if self.word_edges and not (i in starts and i + length in ends):
                        continue  # 确保|城镇 holds no 保城镇, 发展|乡村 no 发展乡
                    out.append(Candidate(i, i + length, "Place", text[i : i + length], self.name))
                    i += length
                    break
            else:
                i += 1
        return doc


@Language.factory("kg_quoted_programmes", default_config={"rules": "rules/programme.json"})
def make_quoted(nlp: Language, name: str, rules: str) -> QuotedProgrammes:
    return QuotedProgrammes(name, json.loads((DATA_DIR / rules).read_text(encoding="utf-8")))


class QuotedProgrammes:
    """Quoted codes and slogans that name programmes, with their head noun when one follows."""

    def __init__(self, name: str, rules: dict) -> None:
        self.name = name
        self.rules = rules
        self.heads = sorted(rules["heads"], key=len, reverse=True)
        self.activity_heads = set(rules["activity_heads"])
        self.cues = sorted(rules["cues_before"], key=len, reverse=True)
        self.honour_cues = rules["honour_cues_before"]
        self.honour_after = rules["honour_heads_after"]
        self.reject = set(rules["reject_chars"])
        self.date_code = re.compile(rules["date_code"])
        self.number_heads = tuple(rules["number_heads"])
        pats = [
            re.escape(o)
            + r"([^"
            + re.escape(o + c)
            + r"\n]{1,"
            + str(rules["max_len"])
            + "})"
            + re.escape(c)
            for o, c in rules["quotes"]
        ]
        self.pattern = re.compile("|".join(pats))

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        text = TokenEdges.of(doc).text
        for m in self.pattern.finditer(text):
            inner_idx = next(g for g in range(1, len(m.groups()) + 1) if m.group(g) is not None)
            inner = m.group(inner_idx)
            if (
                len(inner) < self.rules["min_len"]
                or self.reject & set(inner)
                or _DAMAGED.search(inner)
            ):
                continue
            before = text[max(0, m.start() - 6) : m.start()]
            after = text[m.end() : m.end() + 8]
            if any(before.endswith(c) for c in self.honour_cues) and (
                not after
                or any(after.startswith(h) for h in self.honour_after)
                or after[0] in "，。、；"
            ):
                continue
            if self.date_code.match(inner) or after.startswith(self.number_heads):
                continue  # “5.30”火灾事故, “00”号公路: a date or a number, not a code
            head = next((h for h in self.heads if after.startswith(h)), None)
            cue = any(before.endswith(c) for c in self.cues)
            code = any(ch.isdigit() for ch in inner)
            if not (head or cue or code):
                continue
            a, b = m.start(inner_idx), m.end(inner_idx)
            out.append(Candidate(a, b, "Programme", inner, self.name, nested_ok=True))
            if head and head not in self.activity_heads:
                full_end = m.end() + len(head)
                full = clean_name(text[m.start() : full_end])
                out.append(Candidate(m.start(), full_end, "Programme", full, self.name))
        return doc


def _read_suffixes(path: str) -> list[tuple[str, str, int, str]]:
    """Rows of type, suffix, minimum stem length and the type of a stem named inside (or "")."""
    rows = []
    with (DATA_DIR / path).open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            nested = row[3] if len(row) > 3 and not row[3].startswith("#") else ""
            rows.append((row[0], row[1], int(row[2]), nested))
    return rows


@Language.factory(
    "kg_suffix_names",
    default_config={
        "suffixes": "rules/suffixes.tsv",
        "stop_words": "rules/stop_words.txt",
        "generic_modifiers": "rules/generic_modifiers.txt",
        "max_len": 14,
        "labels": [],
        "place_led": False,
        "lead_lists": [],
    },
)
def make_suffix(
    nlp: Language,
    name: str,
    suffixes: str,
    stop_words: str,
    generic_modifiers: str,
    max_len: int,
    labels: list[str],
    place_led: bool,
    lead_lists: list[str],
) -> SuffixNames:
    """`labels` keeps only the suffix rows of those types (all when empty); with `place_led`
    a name must begin with an administrative division's name (沈抚示范区, 大连片区) or a name of
    `lead_lists` (broad regions, partner countries: 苏南…示范区, 中德…合作区)."""
    rows = [r for r in _read_suffixes(suffixes) if not labels or r[0] in labels]
    names = SuffixNames(name, rows, set(read_list(stop_words)), max_len)
    names.generic_modifiers = set(read_list(generic_modifiers))
    names.place_led = place_led
    names.leads = frozenset(n for path in lead_lists for n in read_list(path))
    return names


class SuffixNames:
    """Names ending in a type's suffix (…产业园, …二期, …研究院, …药业), left edge by words."""

    def __init__(
        self, name: str, rows: list[tuple[str, str, int, str]], stop: set[str], max_len: int
    ) -> None:
        self.name = name
        self.stop = stop
        self.lead_stop = re.compile(alternation(w for w in stop if len(w) >= 2))
        self.max_len = max_len
        # longest suffix wins at a position, so 长江大桥 beats 大桥
        suffixes = sorted({r[1] for r in rows}, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(s) for s in suffixes))
        self.by_suffix: dict[str, tuple[str, int, str]] = {}
        for label, suffix, min_stem, nested in rows:
            self.by_suffix.setdefault(suffix, (label, min_stem, nested))
        self.places = admin_gazetteer().by_name
        self.generic_modifiers: set[str] = set()
        self.place_led = False
        self.leads: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        edges = TokenEdges.of(doc)
        text = edges.text
        for m in self.pattern.finditer(text):
            if m.end() not in edges.end_set:
                continue  # the suffix runs on into a word: 普通高中|学位 holds no 高中学
            label, min_stem, nested = self.by_suffix[m.group(0)]
            left = self._bracketed_place_left(
                edges, edges.walk_left(m.start(), self.stop, self.max_len, m.end()), m.end()
            )
            # a verb the segmenter split (用|好) is still no part of the name, nor its last
            # character when the verb straddles the edge (承办|好2026智慧农业博览会)
            lead = self.lead_stop.match(text, left) or self._straddling_lead(text, left)
            left = min(lead.end(), m.start()) if lead else left
            left = self._ordinal_left(text, left, m.start())
            stem = text[left : m.start()]
            if (
                len(stem) < min_stem
                or stem in self.stop
                or self._is_generic(edges, left, m.start())
                or (self.place_led and not self._begins_with_place(stem))
            ):
                continue
            out.append(Candidate(left, m.end(), label, text[left : m.end()], self.name))
            if nested:
                inner = strip_place_suffix(stem, self.places)
                if 2 <= len(inner) <= 6 and inner not in self.places:
                    out.append(Candidate(left, left + len(inner), nested, inner, self.name, True))
        return doc

    ORDINAL = re.compile(r"(?:第[0-9一二三四五六七八九十百]+|首)届")
    EDITIONS = re.compile(r"(?:\d+|[两三四五六七八九十]+)届")  # a tally: 举办2届亚欧博览会

    def _straddling_lead(self, text: str, left: int) -> re.Match[str] | None:
        for k in (1, 2):
            lead = self.lead_stop.match(text, max(0, left - k))
            if lead and lead.end() > left:
                return lead
        return None

    def _ordinal_left(self, text: str, left: int, stem_end: int) -> int:
        """An edition (第十五届, 首届) starts the name unless places only stand before it
        (新北区第五届职业技能竞赛): 协助办好|第十五届东坡文化节. A count of editions held is
        no part of it (成功举办2届亚欧博览会)."""
        if text[left - 1 : left] != "第" and (count := self.EDITIONS.match(text, left, stem_end)):
            return count.end()
        found = list(self.ORDINAL.finditer(text, left, stem_end))
        if not found or found[-1].start() == left:
            return left
        at = found[-1].start()
        return left if _run_of(text[left:at], self.places, shortest=2) else at

    BRACKETED = re.compile(r"[(（]([\u4e00-\u9fff]{2,6})[)）]$")

    def _bracketed_place_left(self, edges: TokenEdges, left: int, end: int) -> int:
        """中国(安徽)自贸试验区: a place in brackets inside a name does not end its left edge."""
        m = self.BRACKETED.search(edges.text, max(0, left - 8), left)
        if m is None or m.group(1) not in self.places:
            return left
        outer = edges.walk_left(m.start(), self.stop, self.max_len, end)
        return outer if outer < m.start() else left

    def _begins_with_place(self, stem: str) -> bool:
        return any(
            stem[:k] in self.places or stem[:k] in self.leads
            for k in range(2, min(len(stem), 10) + 1)
        )

    def _is_generic(self, edges: TokenEdges, start: int, end: int) -> bool:
        """A stem of descriptive words only (重大产业…, 优质外资…) names no particular thing."""
        text = edges.text
        i = edges.token_at(start)
        while i < len(edges.starts) and edges.starts[i] < end:
            piece = text[max(edges.starts[i], start) : min(edges.ends[i], end)]
            if piece not in self.generic_modifiers and not _QUANTITY.match(piece):
                return False
            i += 1
        return True


@Language.factory(
    "kg_enumerations",
    default_config={
        "patterns": "rules/enumerations.tsv",
        "stop_words": "rules/stop_words.txt",
        "max_item_len": 10,
    },
)
def make_enum(
    nlp: Language, name: str, patterns: str, stop_words: str, max_item_len: int
) -> Enumerations:
    rows = []
    with (DATA_DIR / patterns).open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and not row[0].startswith("#"):
                if row[1].startswith("^"):
                    raise ValueError(f"{patterns}: {row[1]!r} starts with ^ (never matches at 等)")
                item_len = int(row[2]) if len(row) > 2 else max_item_len
                rows.append((row[0], re.compile(row[1]), item_len))
    return Enumerations(name, rows, set(read_list(stop_words)))


class Enumerations:
    """Items of a list closed by 等 + a type noun: 天合光能、星宇车灯等龙头企业.

    Why the checks: 等 must be a word of its own (not 平等保护民营企业), and the words between
    it and the noun (a pattern's `mid` group) must hold no stop word (等服务企业, 等与企业对接
    say what is done to firms, not which). An item that is itself a category (高新技术企业) is
    no name. Lists without the noun are left alone: the items before a known company joined by
    、 were more often projects named after companies (国电投大安、中能建松原等项目) than
    companies, on the training and the dev set alike.
    """

    def __init__(
        self, name: str, rows: list[tuple[str, re.Pattern[str], int]], stop: set[str]
    ) -> None:
        self.name = name
        self.rows = rows
        self.stop = stop

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        edges = TokenEdges.of(doc)
        text = edges.text
        for pos in (m.start() for m in re.finditer("等", text)):
            if pos not in edges.start_set:
                continue
            row = next(((lab, n) for lab, rx, n in self.rows if self._closes(edges, rx, pos)), None)
            if row is None:
                continue
            label, max_len = row
            end = pos
            while end > 0:
                left = edges.walk_left(end, self.stop, max_len, end)
                item = text[left:end]
                if self._is_item(item, max_len):
                    out.append(Candidate(left, end, label, item, self.name))
                if left == 0 or text[left - 1] != "、":
                    break
                end = left - 1
        return doc

    def _closes(self, edges: TokenEdges, rx: re.Pattern[str], pos: int) -> bool:
        """Whether the words at 等 close a list of rx's type, with no stop word in `mid`."""
        m = rx.match(edges.text, pos)
        if m is None:
            return False
        if "mid" not in rx.groupindex or not m.group("mid"):
            return True
        a, b = m.span("mid")
        i = edges.token_at(a)
        while i < len(edges.starts) and edges.starts[i] < b:
            if edges.text[max(a, edges.starts[i]) : min(b, edges.ends[i])] in self.stop:
                return False
            i += 1
        return True

    def _is_item(self, item: str, max_len: int) -> bool:
        return (
            2 <= len(item) <= max_len
            and not _DAMAGED.search(item)
            and not item.endswith(self.CATEGORY_NOUNS)
        )

    # an item ending in one of these names a kind of organisation (高新技术企业), not one
    CATEGORY_NOUNS = ("企业", "机构")


@Language.factory(
    "kg_name_list",
    default_config={"names": "rules/enterprises/names.txt", "label": "Enterprise", "nested": True},
)
def make_name_list(nlp: Language, name: str, names: str, label: str, nested: bool) -> NameList:
    """`nested`: a match is kept inside a longer name too (比亚迪 in 比亚迪二期); without it a
    listed name holds its span like any other candidate (国务院发展研究中心 keeps the model
    from reading 国务院 there)."""
    return NameList(name, read_list(names), label, nested)


class NameList:
    """Known names of one type (an offline gazetteer), found where they stand as whole words.

    Why: reports name large companies by customary short forms (中石化, 国家电网, 华为) that no
    suffix marks and a tagger trained on a few reports has rarely seen. A match must start and
    end on a segmenter word edge, so 国能 is not found inside 全国能源 (全国|能源).
    """

    def __init__(self, name: str, names: list[str], label: str, nested: bool = True) -> None:
        self.name = name
        self.label = label
        self.nested = nested
        self.pattern = re.compile(alternation(set(names)))

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        edges = TokenEdges.of(doc)
        for m in self.pattern.finditer(edges.text):
            if m.start() in edges.start_set and m.end() in edges.end_set:
                out.append(
                    Candidate(m.start(), m.end(), self.label, m.group(0), self.name, self.nested)
                )
        return doc


@Language.factory("kg_persons", default_config={"rules": "rules/persons.json"})
def make_persons(nlp: Language, name: str, rules: str) -> Persons:
    return Persons(name, json.loads((DATA_DIR / rules).read_text(encoding="utf-8")))


class Persons:
    """Personal names after an office title (signature lines) or before 同志."""

    def __init__(self, name: str, rules: dict) -> None:
        self.name = name
        surnames = re.escape(rules["surnames"])
        titles = "|".join(sorted(map(re.escape, rules["titles"]), key=len, reverse=True))
        after = "|".join(map(re.escape, rules["after_name"]))
        self.patterns = [
            re.compile(
                rf"(?:{titles})[ \u3000]+([{surnames}][\u4e00-\u9fff]{{1,2}})(?=[\s，。、]|$)"
            ),
            re.compile(rf"(?<![\u4e00-\u9fff])([{surnames}][\u4e00-\u9fff]{{1,2}})(?={after})"),
        ]

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        text = TokenEdges.of(doc).text
        for rx in self.patterns:
            for m in rx.finditer(text):
                out.append(Candidate(m.start(1), m.end(1), "Person", m.group(1), self.name))
        return doc


@Language.factory(
    "kg_merge",
    default_config={
        "generic_phrases": "rules/generic_phrases.txt",
        "priorities": [],
        "heads": {},
        "whole_names": [],
        "parents": [],
        "headless": {},
    },
)
def make_merge(
    nlp: Language,
    name: str,
    generic_phrases: str,
    priorities: list[str],
    heads: dict[str, str],
    whole_names: list[str],
    parents: list[str],
    headless: dict[str, list[str]],
) -> Merge:
    """`heads` maps a type to a list file of the words its names must end in; `whole_names`
    are types whose nested names are dropped at the start of a longer name of their type;
    `parents` are the proposers whose names are kept where they begin a longer name of their
    type (a listed body: 教育部 in 教育部宁夏高等研究院); `headless` maps a proposer to the types
    whose names from it need no head (the items of a list its closing noun types: 宜常、长赣等6条
    高铁)."""
    merge = Merge(name, set(read_list(generic_phrases)), priorities)
    merge.heads = {label: tuple(read_list(path)) for label, path in heads.items()}
    merge.whole_names = set(whole_names)
    merge.parents = set(parents)
    merge.headless = dict(headless)
    return merge


class Merge:
    """Choose among overlapping candidates: longer spans first, then component priority.

    Candidates marked nested_ok (a quoted code inside its full form) are kept alongside the
    span that contains them; generic category phrases are dropped whatever proposed them, and
    so are names of a type with head nouns (Zone: …区, …园) that end in none of them. For the
    `whole_names` types a nested name that begins a longer name of its type is dropped: the
    guide counts 蒙牛 in 蒙牛乳业 only where it stands alone (a quoted code at the start of its
    programme's full form is a name, so Programme is not one of them).
    """

    def __init__(self, name: str, generic: set[str], priorities: list[str]) -> None:
        self.name = name
        self.generic = generic
        self.rank = {p: i for i, p in enumerate(priorities)}
        self.heads: dict[str, tuple[str, ...]] = {}
        self.whole_names: set[str] = set()
        self.parents: set[str] = set()
        self.headless: dict[str, list[str]] = {}

    def _headed(self, c: Candidate, companies: set[str]) -> bool:
        """Whether a name ends in a head of its type, or is a project named by its company and
        product (比亚迪新能源商用车, as the guide's 比亚迪高端电机电控), which ends anywhere."""
        heads = self.heads.get(c.label)
        if heads is None or c.name.endswith(heads) or c.label in self.headless.get(c.extractor, ()):
            return True
        return c.label == "Project" and any(
            c.name.startswith(n) and len(c.name) - len(n) >= 2 for n in companies
        )

    def __call__(self, doc: Doc) -> Doc:
        proposed = doc._.kg_candidates or []
        companies = {c.name for c in proposed if c.label == "Enterprise" and len(c.name) >= 2}
        cands = [
            c
            for c in proposed
            if c.name
            and c.name not in self.generic
            and not _DAMAGED.search(c.name)
            and len(c.name) >= 2
            and self._headed(c, companies)
        ]
        order = sorted(
            cands,
            key=lambda c: (-(c.end - c.start), self.rank.get(c.extractor, 99), c.start, c.label),
        )
        taken = [False] * (len(TokenEdges.of(doc).text) + 1)
        chosen: list[Candidate] = []
        seen: set[tuple[int, int, str]] = set()
        heads: set[tuple[int, str]] = set()  # (start, label) of every chosen unnested name
        for c in order:
            key = (c.start, c.end, c.label)
            if key in seen:
                continue
            if c.nested_ok and c.label in self.whole_names and (c.start, c.label) in heads:
                continue  # 蒙牛 in 蒙牛乳业: the head of a longer name of its type, not a name
            if c.nested_ok or not any(taken[c.start : c.end]):
                chosen.append(c)
                seen.add(key)
                if not c.nested_ok:
                    heads.add((c.start, c.label))
                    for i in range(c.start, c.end):
                        taken[i] = True
        chosen += self._parent_bodies(cands, chosen)
        doc._.kg_entities = sorted(chosen, key=lambda c: (c.start, c.end, c.label))
        return doc

    def _parent_bodies(self, cands: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        """A listed body that begins a longer name of its type (教育部 in 教育部宁夏高等研究院,
        中科院 in 中科院金属研究所): the guide's nested case, both are names."""
        longest: dict[tuple[int, str], int] = {}  # the furthest end of a chosen name per start
        for c in chosen:
            longest[c.start, c.label] = max(c.end, longest.get((c.start, c.label), c.end))
        taken = {(c.start, c.label, c.end) for c in chosen}
        out = []
        for c in cands:
            key = (c.start, c.label, c.end)
            if (
                c.extractor in self.parents
                and key not in taken
                and longest.get((c.start, c.label), c.end) > c.end + 1
            ):
                out.append(replace(c, nested_ok=True))
                taken.add(key)
        return out


@Language.factory(
    "kg_ner",
    default_config={
        "model": "models/ner",
        "max_len": 25,
        "end_on_token_edge": True,
        "known_places_only": False,
        "place_lists": [],
        "place_suffixes": [],
        "filters": "rules/ner_filters.json",
    },
)
def make_ner(
    nlp: Language,
    name: str,
    model: str,
    max_len: int,
    end_on_token_edge: bool,
    known_places_only: bool,
    place_lists: list[str],
    place_suffixes: list[str],
    filters: str,
) -> StatisticalNames:
    """With `known_places_only`, a predicted Place must be a division of the gazetteer (full or
    short name, any level), a name of `place_lists`, or a village-level name the gazetteer
    does not reach (…村, …社区: `place_suffixes`, three characters at least): the model's other
    places did not generalise (on the dev set 22 of its 100 distinct Place names were right;
    雪豹 and 甘宁 in the manual read of 青海省)."""
    ner = StatisticalNames(name, KG_DIR / model, max_len, end_on_token_edge)
    f = json.loads((DATA_DIR / filters).read_text(encoding="utf-8"))
    ner.clause_break = re.compile(f["clause_break"])
    ner.loose_ends = tuple(f["loose_ends"])
    ner.predicate_end = re.compile(f["predicate_end"])
    ner.lead_tally = re.compile(f["lead_tally"])
    if known_places_only:
        known = set(admin_gazetteer().by_name)
        ner.known_places = known.union(*(read_list(p) for p in place_lists))
        ner.place_suffixes = tuple(place_suffixes)
    return ner


@Language.factory(
    "kg_staged_projects",
    default_config={
        "rules": "rules/project_cues.json",
        "stop_words": "rules/stop_words.txt",
        "generic_modifiers": "rules/generic_modifiers.txt",
    },
)
def make_staged(
    nlp: Language, name: str, rules: str, stop_words: str, generic_modifiers: str
) -> StagedProjects:
    cfg = json.loads((DATA_DIR / rules).read_text(encoding="utf-8"))
    staged = StagedProjects(name, cfg, read_list(stop_words))
    staged.generic = frozenset(read_list(generic_modifiers)) | set(cfg["descriptive"])
    return staged


class StagedProjects:
    """Projects named by the stage they reached: 合肥西站建成投用, 沈白高铁、G331通车.

    Why: a report names most works once, in the sentence that says they started, opened or
    went into production, and many such names (…高铁, …水库, …二期) are written without a
    suffix the other rules know. The milestone phrase bounds the name on the right; a clause
    break, a list comma or a leading verb (做好, 推动) bounds it on the left.
    """

    def __init__(self, name: str, rules: dict, stop: list[str]) -> None:
        self.name = name
        after, _ = read_stage_phrases(rules["stages"])
        glue = alternation(rules["glue"])
        self.pattern = re.compile(
            rf"([^，,。；;：:、\s“”\"（）()等]+?)(?:{glue})*(?:{alternation(after)})"
        )
        leads = alternation([w for w in stop if len(w) >= 2])
        self.lead = re.compile(rf"(?:{leads}|{rules['lead']})+")
        self.not_name = re.compile(rules["not_name"])
        self.kinds = tuple(sorted(rules["kinds"], key=len, reverse=True))
        self.heads = tuple(rules["heads"])
        self.min_len, self.max_len = rules["min_len"], rules["max_len"]
        self.generic: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        text = TokenEdges.of(doc).text
        for m in self.pattern.finditer(text):
            a, b = m.span(1)
            items = [(a, b)]
            while a >= 2 and text[a - 1] == "、":  # the list before the name: A、B通车
                left = max(text.rfind(c, 0, a - 1) for c in "，,。；;：:、\n") + 1
                a = left
                items.append((left, items[-1][0] - 1))
            for start, end in items:
                lead = self.lead.match(text, start, end)
                start = lead.end() if lead else start
                name = text[start:end]
                if (
                    self.min_len <= len(name) <= self.max_len
                    and not self.not_name.search(name)
                    and name.endswith(self.heads)
                    and not self._kind_only(name)
                ):
                    out.append(Candidate(start, end, "Project", name, self.name))
        return doc

    def _kind_only(self, name: str) -> bool:
        """A kind of works, not one (外资项目, 重大基础设施, 百亿级重大项目): descriptive words
        of generic_modifiers.txt before a kind noun, or nothing but the kind noun."""
        kind = next((k for k in self.kinds if name.endswith(k)), None)
        if kind is None:
            return False
        return _run_of(name[: -len(kind)], self.generic, shortest=1)


@Language.factory("kg_cued_names", default_config={"rules": "rules/programme_cues.json"})
def make_cued(nlp: Language, name: str, rules: str) -> CuedNames:
    return CuedNames(name, json.loads((DATA_DIR / rules).read_text(encoding="utf-8")))


class CuedNames:
    """Names right after a verb that launches them: 实施城市更新行动, 开展…专项行动.

    Why: most programmes are written without quotation marks, and their names are free
    phrases (固体废物综合治理行动) that neither a list nor a suffix walk can bound on the left:
    the launching verb does. The head noun bounds them on the right, and a clause break or a
    conjunction must follow it, so 实施…工程建设 proposes nothing rather than a half name.
    """

    def __init__(self, name: str, rules: dict) -> None:
        self.name = name
        self.label = rules["label"]
        # the name (group 1): name characters up to a head, then a clause break or conjunction
        named = (
            rf"([\u3400-\u9fffA-Za-z0-9·]{{{rules['min_stem']},{rules['max_stem']}}}?"
            rf"(?:{alternation(rules['heads'])}))(?=[{re.escape(rules['follow'])}]|$)"
        )
        self.pattern = re.compile(
            rf"(?:{alternation(rules['cues'])})+(?:{alternation(rules['leads'])})?{named}"
        )
        self.chained = re.compile(rf"[{re.escape(rules['chain'])}]{named}")
        self.heads = tuple(sorted(rules["heads"], key=len, reverse=True))
        self.list_words = tuple(rules["list_words"])
        self.generic_stems = set(rules["generic_stems"])

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        text = TokenEdges.of(doc).text
        for m in self.pattern.finditer(text):
            while m is not None:
                name = m.group(1)
                stem = next(name[: -len(h)] for h in self.heads if name.endswith(h))
                if not (
                    stem in self.generic_stems
                    or any(w in name for w in self.list_words)
                    or _QUANTITY.match(name)
                ):
                    out.append(Candidate(m.start(1), m.end(1), self.label, name, self.name))
                m = self.chained.match(text, m.end(1))  # 实施A行动和B工程: B is cued too
        return doc


class ModelMissing(RuntimeError):
    """The trained NER is not where config.cfg says; the message says how to make it."""


class StatisticalNames:
    """Names found by the trained character-level NER (kg/models/ner, made by `kg train`).

    Why characters: a tenth of gold names start or end inside a pkuseg word in some reports,
    and a word-level tagger cannot place such a boundary; characters also let it generalise
    from name suffixes (…光能, …二期) it has seen to stems it has not. It runs per sentence, so
    a decision does not depend on where a paragraph happened to break (a PDF page breaks
    paragraphs at sentence ends); on the dev set that scores the same as whole paragraphs.
    """

    PAIRS = ("“”", "‘’", "「」", "『』", "《》")

    def __init__(self, name: str, path: Path, max_len: int, end_on_token_edge: bool) -> None:
        import spacy

        if not (path / "meta.json").is_file():
            raise ModelMissing(f"no trained NER at {path}; run `make train` (kg train)")
        self.name = name
        self.max_len = max_len
        # A predicted name that ends inside a pkuseg word is nearly always cut off mid-word
        # (首都国际会|展, …综合改|革); gold ends cut words far less often than starts do.
        self.end_on_token_edge = end_on_token_edge
        self.model = spacy.load(path)
        self.known_places: set[str] | None = None  # None: any predicted Place is kept
        self.place_suffixes: tuple[str, ...] = ()
        # what a span must not look like (rules/ner_filters.json): run-ons and tallies
        self.clause_break = re.compile("(?!)")
        self.loose_ends: tuple[str, ...] = ()
        self.predicate_end = re.compile("(?!)")
        self.lead_tally = re.compile("(?!)")

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        edges = TokenEdges.of(doc)
        ends = edges.end_set if self.end_on_token_edge else None
        text = edges.text
        sents = [m.span() for m in re.finditer(r"[^\n。！？]+[。！？]?", text)]
        texts = (text[a:b] for a, b in sents)
        for (a, _), pdoc in zip(sents, self.model.pipe(texts, batch_size=64), strict=True):
            for e in pdoc.ents:
                start = e.start_char
                tally = self.lead_tally.match(e.text)
                if tally and pdoc.text[start - 1 : start] != "第":
                    start += tally.end()  # 举办3届商博会: a count of editions held
                name = clean_name(pdoc.text[start : e.end_char])
                if ends is not None and a + e.end_char not in ends:
                    continue
                if e.label_ == "Place" and not self._known_place(name):
                    continue
                if (
                    name
                    and len(name) <= self.max_len
                    and not self.clause_break.search(name)
                    and not name.endswith(self.loose_ends)
                    and not self.predicate_end.search(name)
                    and self._quotes_balanced(e.text)
                ):
                    out.append(Candidate(a + start, a + e.end_char, e.label_, name, self.name))
        return doc

    def _known_place(self, name: str) -> bool:
        if self.known_places is None or name in self.known_places:
            return True
        return len(name) >= 3 and name.endswith(self.place_suffixes)

    @classmethod
    def _quotes_balanced(cls, text: str) -> bool:
        """德胜河“六改三 opens a quotation it does not close: a run-on into the quoted name.

        A span that starts inside the quotation (1115”大企业集团) is the name the gold means.
        """
        return all(text.count(a) <= text.count(b) for a, b in cls.PAIRS)


@Language.factory(
    "kg_nested_names",
    default_config={
        "suffixes": "rules/suffixes.tsv",
        "stem_endings": "rules/enterprises/stem_endings.txt",
        "works": "rules/nested_works.json",
    },
)
def make_nested(
    nlp: Language, name: str, suffixes: str, stem_endings: str, works: str
) -> NestedNames:
    nested = NestedNames(name, _read_suffixes(suffixes))
    nested.stem_endings = tuple(read_list(stem_endings))
    w = json.loads((DATA_DIR / works).read_text(encoding="utf-8"))
    nested.works_heads = tuple(w["heads"])
    nested.works_tail = re.compile("|".join(f"(?:{t})" for t in w["tails"]))
    nested.works_min_len = int(w["min_len"])
    return nested


class NestedNames:
    """The company inside a project's name (比亚迪 in 比亚迪二期), for candidates of any proposer.

    Why: a tagger gives one label per character, so it cannot say both; the suffix rows of
    suffixes.tsv that name a nested type (Project …二期 → Enterprise) say where the inner name
    ends. A place after the stem is a site, not part of the company (比亚迪常州基地 → 比亚迪).
    A name ending in such a suffix but labelled with the nested type (比亚迪二期 as Enterprise)
    is the tagger mistaking the whole for the company inside: it is relabelled to the row's type.
    The inner name is kept only when it ends like a company's name (`stem_endings`): a bare
    stem was far more often a site (海阳核电二期, 地铁6号线一期) than a company.
    """

    def __init__(self, name: str, rows: list[tuple[str, str, int, str]]) -> None:
        self.name = name
        self.rules = sorted(
            ((label, suffix, nested) for label, suffix, _, nested in rows if nested),
            key=lambda r: -len(r[1]),
        )
        self.places = admin_gazetteer().by_name
        self.stem_endings: tuple[str, ...] = ()
        self.works_heads: tuple[str, ...] = ()
        self.works_tail = re.compile("(?!)")
        self.works_min_len = 3

    def inner_work(self, name: str) -> str | None:
        """The work a Project name qualifies (广州白云机场三期 → 广州白云机场), the longest stem
        before a tail of nested_works.json that ends in a kind of works; else None."""
        for k in range(len(name) - 1, self.works_min_len - 1, -1):
            stem = name[:k]
            if stem.endswith(self.works_heads) and self.works_tail.fullmatch(name, k):
                return stem
        return None

    def __call__(self, doc: Doc) -> Doc:
        out = _candidates(doc)
        text = TokenEdges.of(doc).text
        for i, c in enumerate(list(out)):
            for label, suffix, nested in self.rules:
                if c.label == nested and c.name.endswith(suffix) and not c.nested_ok:
                    c = out[i] = replace(c, label=label)
                if c.label == label and c.name.endswith(suffix) and not c.nested_ok:
                    stem = strip_place_suffix(c.name[: -len(suffix)], self.places)
                    if (
                        2 <= len(stem) <= 6
                        and stem not in self.places
                        and any(stem.endswith(e) and stem != e for e in self.stem_endings)
                    ):  # a bare ending (材料 of …铝基材料一期) names no company
                        at = text.find(stem, c.start, c.end)
                        if at >= 0:
                            out.append(Candidate(at, at + len(stem), nested, stem, self.name, True))
                    break
            inner = self.inner_work(c.name) if c.label == "Project" and not c.nested_ok else None
            if inner and inner not in self.places:
                out.append(
                    Candidate(c.start, c.start + len(inner), "Project", inner, self.name, True)
                )
        return doc


def strip_place_suffix(stem: str, places: dict) -> str:
    """比亚迪常州 → 比亚迪: a company's site is often named company + place."""
    for k in range(2, len(stem)):
        if stem[k:] in places:
            return stem[:k]
    return stem
