"""Training data for the NER: gold names located in the text, and the shipped model's version."""

import hashlib
import json

from kg.extract.training import (
    MODEL_DIR,
    NER_CONFIG,
    TRAINING_RECORD,
    char_pipeline,
    gold_fingerprint,
    locate,
    paragraph_docs,
)
from tests.conftest import ROOT

TEXT = "推动“1115”大企业集团培育，比亚迪二期建成。\n比亚迪扩产，长三角一体化深入推进。"


def test_locate_takes_the_longest_name_and_skips_quotation_marks():
    req = {("Project", "比亚迪二期"), ("Enterprise", "比亚迪"), ("Programme", "1115大企业集团")}
    spans = locate(TEXT, req, {("Place", "长三角")})
    got = [(TEXT[s.start : s.end], s.label, s.optional) for s in spans]
    assert got == [
        ("1115”大企业集团", "Programme", False),
        ("比亚迪二期", "Project", False),
        ("比亚迪", "Enterprise", False),  # on its own in the second paragraph only
        ("长三角", "Place", True),
    ]


def test_paragraph_docs_label_required_names_and_leave_optional_ones_missing():
    nlp = char_pipeline()
    spans = locate(TEXT, {("Enterprise", "比亚迪")}, {("Place", "长三角")})
    docs = list(paragraph_docs(nlp, TEXT, spans))
    assert len(docs) == 2
    second = docs[1]
    assert [(e.text, e.label_) for e in second.ents] == [("比亚迪", "Enterprise")]
    iob = {t.text: t.ent_iob_ for t in second}
    assert iob["长"] == "" and iob["扩"] == "O"  # missing, not outside


def test_shipped_model_was_trained_on_the_committed_training_gold():
    record = json.loads((MODEL_DIR / TRAINING_RECORD).read_text(encoding="utf-8"))
    files = sorted((ROOT / "tests" / "gold" / "train").glob("*.jsonl"))
    assert record["gold_files"] == [p.name for p in files]
    assert record["gold_fingerprint"] == gold_fingerprint(files), (
        "tests/gold/train changed since the model was trained: run `make train`"
    )


def test_shipped_model_was_trained_with_the_committed_recipe():
    record = json.loads((MODEL_DIR / TRAINING_RECORD).read_text(encoding="utf-8"))
    assert record["config_sha256"] == hashlib.sha256(NER_CONFIG.read_bytes()).hexdigest(), (
        "kg/extract/ner.cfg changed since the model was trained: run `make train`"
    )
