"""Training data for the statistical NER: gold name sets projected onto the text they came from.

Gold files list each document's distinct `(type, name)` pairs, not offsets (annotation guide).
A model needs spans, so every occurrence of every gold name is located in the normalised text
(quotation marks skipped, as names are compared without them) and the occurrences are chosen
longest first without overlap: the outer name of a nested pair (比亚迪二期 over 比亚迪) is what a
token-level tagger can learn, the inner one comes from the rules. Optional gold entries become
*missing* labels (neither entity nor O), so the model is not taught either answer.

The examples are paragraphs, one token per character (the model is character-level: gold
boundaries inside pkuseg words need no remedy there). With a word tokenizer, a span that cuts
through a word would be left unlabelled rather than taught wrong.

`train_model` is the one-command recipe (`kg train`, `make train`): seeded, CPU, from the
committed gold; the model directory records the gold fingerprint it was trained on, and a test
checks it against tests/gold/train/.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kg.evaluate import name_pattern, read_gold

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class GoldSpan:
    """One located occurrence of a gold name in the normalised text."""

    start: int
    end: int
    label: str
    optional: bool


def locate(
    text: str, required: set[tuple[str, str]], optional: set[tuple[str, str]]
) -> list[GoldSpan]:
    """Non-overlapping occurrences of the gold names in `text`, longest names first."""
    found: list[GoldSpan] = []
    for (label, name), opt in [(k, False) for k in required] + [(k, True) for k in optional]:
        if not name:
            continue
        for m in name_pattern(name).finditer(text):
            found.append(GoldSpan(m.start(), m.end(), label, opt))
    found.sort(key=lambda s: (-(s.end - s.start), s.optional, s.start, s.label))
    taken = bytearray(len(text) + 1)
    chosen: list[GoldSpan] = []
    for s in found:
        if any(taken[s.start : s.end]):
            continue
        chosen.append(s)
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
    return sorted(chosen, key=lambda s: s.start)


def paragraph_docs(nlp: Language, text: str, spans: list[GoldSpan]) -> Iterator[Doc]:
    """One labelled Doc per paragraph, tokenised by `nlp`.

    Optional spans, and spans that still cut through a word, are marked missing.
    """
    for m in _PARAGRAPH.finditer(text):
        a, b = m.span()
        inside = [s for s in spans if a <= s.start and s.end <= b]
        doc = nlp(text[a:b])
        ents, missing = [], []
        for s in inside:
            span = doc.char_span(s.start - a, s.end - a, label=s.label)
            if span is None:  # cuts a word: its tokens are left unlabelled, not taught as O
                missing.append(doc.char_span(s.start - a, s.end - a, alignment_mode="expand"))
            else:
                (missing if s.optional else ents).append(span)
        used = {i for e in ents for i in range(e.start, e.end)}
        missing = [m for m in missing if not used & set(range(m.start, m.end))]
        doc.set_ents(ents, missing=filter_spans(missing), default="outside")
        yield doc


def training_docbin(nlp: Language, texts: dict[str, str], gold_files: Iterable[Path]) -> DocBin:
    """A DocBin of labelled paragraphs for the gold files' documents (`texts`: name -> text)."""
    gold = read_gold(gold_files)
    out = DocBin(store_user_data=False)
    for name in sorted(gold):
        text = texts[name]
        g = gold[name]
        for doc in paragraph_docs(nlp, text, locate(text, g.required, g.optional)):
            out.add(doc)
    return out


def gold_fingerprint(gold_files: Iterable[Path]) -> str:
    """SHA-256 over the gold files (names and bytes), the version a shipped model was trained on."""
    h = hashlib.sha256()
    for p in sorted(gold_files, key=lambda p: p.name):
        h.update(p.name.encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


NER_CONFIG = Path(__file__).with_name("ner.cfg")
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
TRAINING_RECORD = "TRAINING.json"


def char_pipeline() -> Language:
    """A blank Chinese pipeline that makes one token per character (the NER's tokenisation)."""
    from spacy.lang.zh import Chinese

    return Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "char"}}})


def train_model(
    gold_files: list[Path],
    texts: dict[str, str],
    out_dir: Path = MODEL_DIR,
    seed: int = 0,
    holdout_every: int = 10,
) -> dict[str, object]:
    """Train the NER from gold files and their documents' normalised texts; write `out_dir`.

    Every `holdout_every`-th paragraph is held out to print progress (the dev set is never
    used). Returns the training record also written to `out_dir/TRAINING.json`.
    """
    import json
    import shutil
    import tempfile

    import spacy
    from spacy.cli.train import train

    nlp = char_pipeline()
    docs = list(training_docbin(nlp, texts, gold_files).get_docs(nlp.vocab))
    train_bin, hold_bin = DocBin(store_user_data=False), DocBin(store_user_data=False)
    for i, d in enumerate(docs):
        (hold_bin if i % holdout_every == 0 else train_bin).add(d)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        work = Path(tmp)
        train_bin.to_disk(work / "train.spacy")
        hold_bin.to_disk(work / "holdout.spacy")
        train(
            NER_CONFIG,
            work / "out",
            use_gpu=-1,
            overrides={
                "paths.train": str(work / "train.spacy"),
                "paths.dev": str(work / "holdout.spacy"),
                "system.seed": seed,
            },
        )
        model = spacy.load(work / "out" / "model-last")
        record: dict[str, object] = {
            "gold_fingerprint": gold_fingerprint(gold_files),
            "gold_files": sorted(p.name for p in gold_files),
            "config_sha256": hashlib.sha256(NER_CONFIG.read_bytes()).hexdigest(),
            "seed": seed,
            "spacy": spacy.__version__,
            "paragraphs": len(docs),
            "characters": sum(len(d) for d in docs),
            "holdout": model.meta.get("performance", {}),
        }
        tmp_out = out_dir.with_name(out_dir.name + ".tmp")
        shutil.rmtree(tmp_out, ignore_errors=True)
        shutil.copytree(work / "out" / "model-last", tmp_out)
        (tmp_out / TRAINING_RECORD).write_text(
            json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        shutil.rmtree(out_dir, ignore_errors=True)
        tmp_out.rename(out_dir)
    return record
