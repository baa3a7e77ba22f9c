"""How often the linker gives province- and prefecture-level Place gold names the right code.

Why: the linking issue asks for ≥ 95% on the dev reports. Definition: for every required Place
gold name of a dev report that is the full or short name of exactly one province- or
prefecture-level division valid in the report's year, the expected code is that division's;
the linker (`kg.link.resolve_division`) is given the name, the report's year and issuing
region, and the first sentence of the normalised text containing it. Figures only.

    python benchmarks/link_eval.py [GOLD.jsonl ...]   (default: tests/gold/dev/*.jsonl)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate import find_documents, read_gold  # noqa: E402
from kg.gazetteer import admin_gazetteer  # noqa: E402
from kg.ingest import read_document  # noqa: E402
from kg.link import _valid_in, resolve_division  # noqa: E402
from kg.normalize import normalize_document  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.gold or sorted((ROOT / "tests" / "gold" / "dev").glob("*.jsonl"))
    gold = read_gold(files)
    docs = find_documents(
        gold, [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "provinces-2026"]
    )
    gaz = admin_gazetteer()
    total = right = 0
    wrong: list[str] = []
    for name in sorted(docs):
        doc = normalize_document(read_document(docs[name]))
        year, region = doc.metadata.year_planned, doc.metadata.region_code
        for etype, gname in sorted(gold[name].required):
            if etype != "Place":
                continue
            cands = [
                d for d in gaz.by_name.get(gname, [])
                if d.level in ("province", "prefecture") and _valid_in(d, year)
                and gname in (d.name, d.short_name)
            ]  # fmt: skip
            if len({d.code for d in cands}) != 1:
                continue
            total += 1
            m = re.search(r"[^。！？\n]*" + re.escape(gname) + r"[^。！？\n]*", doc.text)
            got = resolve_division(gname, year, region, m.group(0) if m else "")
            if got is not None and got[0].code == cands[0].code:
                right += 1
            else:
                wrong.append(
                    f"{name}: {gname} want {cands[0].code} got {got[0].code if got else None}"
                )
    print(f"province/prefecture Place gold names: {total}, right code: {right} "
          f"({right / total:.1%})" if total else "no such names")  # fmt: skip
    for w in wrong:
        print("  wrong:", w)


if __name__ == "__main__":
    main()
