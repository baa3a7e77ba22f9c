"""How rules and the trained NER combine: each part alone and the combinations, on a gold set.

Why: the extraction issue asks to show by measurement that the shipped combination beats each
part alone. The pipeline of kg/extract/config.cfg runs once per document with every proposer
(kg_merge left out); each variant then keeps the candidates of some proposers and merges them
with the pipeline's own `Merge` (longest span first, then the listed priority). The speaker
name from the report's metadata is added to every variant, as `kg eval` does. Scores are
`kg.evaluate.evaluate`'s exact micro P/R/F1, plus exact F1 per type.

Usage (from the repository root):
    python benchmarks/ner_ablation.py [GOLD.jsonl ...]      # default tests/gold/dev/*.jsonl
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

import spacy
from spacy.lang.zh import Chinese

from kg.evaluate import evaluate, find_documents, read_gold
from kg.extract import components
from kg.extract.pipeline import CONFIG_PATH, sentence_spans, speaker_mention
from kg.ingest import read_document
from kg.model import ENTITY_TYPES
from kg.normalize import normalize_document
from kg.segment import load_segmenter

DOC_DIRS = (Path("seeds"), Path("../shared/corpus/provinces-2026"))
CONFIG = spacy.util.load_config(CONFIG_PATH)
# every proposer of the shipped pipeline but the trained one, in the shipped priority order
RULES = [p for p in CONFIG["components"]["kg_merge"]["priorities"] if p != "kg_ner"]
SUFFIX_LABELS = ",".join(CONFIG["components"]["kg_suffix_names"]["labels"])
VARIANTS = {
    f"rules (all {len(RULES)} proposers)": RULES,
    "NER alone": ["kg_ner"],
    "rules > NER": [*RULES, "kg_ner"],
    "NER > rules": ["kg_ner", *RULES],
    "places, quoted, persons > NER": ["kg_places", "kg_quoted_programmes", "kg_persons", "kg_ner"],
    "places, quoted, persons > NER > suffix names (Enterprise, Zone)": [
        "kg_places",
        "kg_quoted_programmes",
        "kg_persons",
        "kg_ner",
        "kg_suffix_names:Enterprise,Zone",
    ],
    "places, quoted, persons > NER > enumerations": [
        "kg_places",
        "kg_quoted_programmes",
        "kg_persons",
        "kg_ner",
        "kg_enumerations",
    ],
    "places, quoted, persons > NER > suffix names, enumerations": [
        "kg_places",
        "kg_quoted_programmes",
        "kg_persons",
        "kg_ner",
        "kg_suffix_names",
        "kg_enumerations",
    ],
    # the shipped order and suffix types, as kg/extract/config.cfg sets them
    f"shipped: config.cfg priorities (suffix names: {SUFFIX_LABELS})": [
        f"kg_suffix_names:{SUFFIX_LABELS}" if p == "kg_suffix_names" else p
        for p in CONFIG["components"]["kg_merge"]["priorities"]
    ],
}


def keep(cand: components.Candidate, order: list[str]) -> bool:
    """Whether a variant keeps a candidate (`name:Type,Type` keeps only those types)."""
    for item in order:
        name, _, types = item.partition(":")
        if cand.extractor == name and (not types or cand.label in types.split(",")):
            return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", default=sorted(glob.glob("tests/gold/dev/*.jsonl")))
    args = ap.parse_args()
    config = CONFIG.copy()
    merge_cfg = config["components"]["kg_merge"]
    pipes = [p for p in config["nlp"]["pipeline"] if p != "kg_merge"]
    for extra in ("kg_suffix_names", "kg_enumerations", "kg_ner"):
        if extra not in pipes:
            pipes.append(extra)
            config["components"].setdefault(extra, {"factory": extra})
    config["nlp"]["pipeline"] = pipes
    # every suffix type proposes here; the variants choose which to keep
    config["components"]["kg_suffix_names"]["labels"] = []
    nlp = Chinese.from_config(config)
    load_segmenter(nlp)

    gold = read_gold(Path(p) for p in args.gold)
    paths = find_documents(gold, DOC_DIRS)
    runs = {}
    for name in sorted(gold):
        doc = normalize_document(read_document(paths[name]))
        nlp.max_length = max(nlp.max_length, len(doc.text) + 1)
        sdoc = nlp(doc.text)
        speaker = speaker_mention(doc, sentence_spans(doc.text))
        runs[name] = (
            sdoc,
            list(sdoc._.kg_candidates),
            {("Person", speaker.name)} if speaker else set(),
        )

    print(f"{len(gold)} documents; exact scores")
    print(
        f"{'variant':60s}{'P':>7s}{'R':>7s}{'F1':>7s}  "
        + " ".join(f"{t[:5]:>6s}" for t in ENTITY_TYPES)
    )
    for label, order in VARIANTS.items():
        merge = components.make_merge(
            nlp,
            "kg_merge",
            merge_cfg["generic_phrases"],
            [o.partition(":")[0] for o in order],
            merge_cfg.get("heads", {}),
            merge_cfg.get("whole_names", []),
            merge_cfg.get("parents", []),
            merge_cfg.get("headless", {}),
        )
        pred = {}
        for name, (sdoc, cands, extra) in runs.items():
            sdoc._.kg_candidates = [c for c in cands if keep(c, order)]
            merge(sdoc)
            pred[name] = {(c.label, c.name) for c in sdoc._.kg_entities} | extra
        s = evaluate(pred, gold)
        m = s["micro"]["exact"]
        per = " ".join(f"{s['types'][t]['exact']['f1']:6.3f}" for t in ENTITY_TYPES)
        print(f"{label[:60]:60s}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}  {per}")


if __name__ == "__main__":
    main()
