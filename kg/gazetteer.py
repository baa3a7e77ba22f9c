"""Gazetteers shipped as data files under kg/data: administrative divisions and name lists.

The administrative-division table (GB/T 2260 codes, levels, parents, validity years) is shared by
extraction (Place names), metadata (the issuing region), IRIs (region codes) and linking.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

DATA_DIR = Path(str(resources.files("kg") / "data"))
ISSUING_LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str
    short_name: str
    valid_from: int | None
    valid_to: int | None


class AdminGazetteer:
    """Lookup of administrative divisions by code and by full or short name."""

    def __init__(self, rows: list[Division]) -> None:
        self.by_code: dict[str, Division] = {d.code: d for d in rows}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        for d in rows:
            self.by_name[d.name].append(d)
            if d.short_name and d.level != "town":
                self.by_name[d.short_name].append(d)

    def ancestors(self, d: Division) -> list[Division]:
        out: list[Division] = []
        seen = {d.code}
        cur = self.by_code.get(d.parent_code)
        while cur is not None and cur.code not in seen:
            out.append(cur)
            seen.add(cur.code)
            cur = self.by_code.get(cur.parent_code)
        return out

    def lookup(self, name: str, context: str = "") -> Division | None:
        """Best division for a name; ancestors named in the context break ties."""
        cands = self.by_name.get(name)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]

        def score(d: Division) -> tuple[int, int, int, str]:
            anc = self.ancestors(d)
            hits = sum(
                1 for a in anc if a.name in context or (a.short_name and a.short_name in context)
            )
            current = 1 if d.valid_to is None else 0
            full = 1 if d.name == name else 0
            return (hits, full, current, d.code)

        return max(cands, key=score)

    def issuing_region(self, title: str, head: str) -> Division | None:
        """The region whose government issued the report, judged from title and opening."""
        for text in (title, head):
            found = [d for d in self._full_names_in(text) if d.level in ISSUING_LEVELS]
            if found:
                # the most specific division whose ancestors, if named, agree with it
                return max(found, key=lambda d: (ISSUING_LEVELS.index(d.level), d.valid_to is None))
        return None

    def _full_names_in(self, text: str) -> list[Division]:
        found: list[Division] = []
        for name, _divs in self.by_name.items():
            if len(name) >= 3 and name in text:
                d = self.lookup(name, text)
                if d is not None and d.name == name:
                    found.append(d)
        return found


def _int_or_none(v: str) -> int | None:
    return int(v) if v and v.strip().isdigit() else None


def _read_divisions(path: Path) -> list[Division]:
    rows: list[Division] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                Division(
                    code=r["code"],
                    name=r["name"],
                    level=r["level"],
                    parent_code=r.get("parent_code") or "",
                    short_name=r.get("short_name") or "",
                    valid_from=_int_or_none(r.get("valid_from", "")),
                    valid_to=_int_or_none(r.get("valid_to", "")),
                )
            )
    return rows


@lru_cache(maxsize=1)
def admin_gazetteer() -> AdminGazetteer:
    """The shipped administrative-division gazetteer (loaded once per process)."""
    folder = DATA_DIR / "admin"
    rows: list[Division] = []
    for name in ("admin_divisions.tsv", "admin_towns.tsv"):
        if (folder / name).exists():
            rows.extend(_read_divisions(folder / name))
    return AdminGazetteer(rows)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first: where phrases overlap, the longest wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def read_stage_phrases(relpath: str) -> tuple[dict[str, str], dict[str, str]]:
    """A milestone phrase file (rules/milestones.tsv: stage, phrases written after a project,
    phrases written before it): each phrase after (建成投产) and before (开工建设) with its stage.
    The entity stage names projects by these phrases, the relation stage reads their stages."""
    after: dict[str, str] = {}
    before: dict[str, str] = {}
    for line in (DATA_DIR / relpath).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [*line.split("\t"), "", ""]
        for p in filter(None, cols[1].split("|")):
            after[p] = cols[0]
        for p in filter(None, cols[2].split("|")):
            before[p] = cols[0]
    return after, before


def read_list(relpath: str) -> list[str]:
    """A one-item-per-line data file; blank lines and lines starting with # are skipped."""
    text = (DATA_DIR / relpath).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
