"""An analyst's corrections to extraction, from a TSV file (`kg build --names FILE.tsv`).

Why: every corpus has names the tool gets wrong, and fixing them should not need code. Each row
is `name<TAB>type<TAB>action`:

- `add`: the name is an entity of that type wherever it occurs in a report; a mention that
  straddles its edge is dropped (nested ones, inside it or around it, are kept).
- `suppress`: mentions with this name are dropped (type `*` or empty: of any type).
- `retype`: mentions with this name get the given type.

Lines starting with `#` and blank lines are skipped; a header row `name type action` is allowed.
Added mentions carry the extractor `kg-names/<version>#<file name>`, so the graph says which
facts came from the analyst's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.evaluate import name_pattern
from kg.model import ENTITY_TYPES, Mention, NormalizedDocument

ACTIONS = ("add", "suppress", "retype")
MentionMaker = Callable[[int, int, str, str, str], Mention]


class NamesFileError(ValueError):
    """A row of the names file is malformed; the message gives file, line and reason."""


@dataclass(frozen=True)
class UserNames:
    """The parsed names file: names to add (with type), suppress and retype."""

    source: str = ""
    add: dict[str, str] = field(default_factory=dict)
    suppress: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> types ("*": all)
    retype: dict[str, str] = field(default_factory=dict)

    @property
    def extractor(self) -> str:
        return f"kg-names/{__version__}#{self.source}"


def read_names(path: Path) -> UserNames:
    """Parse a names file; raise NamesFileError naming the first bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NamesFileError(f"{path}: cannot read as UTF-8 text: {exc}") from exc
    add: dict[str, str] = {}
    suppress: dict[str, set[str]] = {}
    retype: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if cols[:3] == ["name", "type", "action"]:
            continue
        if len(cols) != 3 or not cols[0]:
            raise NamesFileError(f"{path}:{n}: expected name<TAB>type<TAB>action, got {line!r}")
        name, typ, action = cols
        if action not in ACTIONS:
            raise NamesFileError(f"{path}:{n}: action must be one of {', '.join(ACTIONS)}")
        if typ not in ENTITY_TYPES and not (action == "suppress" and typ in ("", "*")):
            raise NamesFileError(f"{path}:{n}: unknown type {typ!r} ({', '.join(ENTITY_TYPES)})")
        if action == "add":
            add[name] = typ
        elif action == "retype":
            retype[name] = typ
        else:
            suppress.setdefault(name, set()).add(typ or "*")
    return UserNames(path.name, add, {k: frozenset(v) for k, v in suppress.items()}, retype)


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    return [m.span() for m in name_pattern(name).finditer(text)]


def apply_names(
    doc: NormalizedDocument, mentions: list[Mention], names: UserNames, make: MentionMaker
) -> list[Mention]:
    """The document's mentions with the analyst's corrections applied (sorted as extracted)."""
    out: list[Mention] = []
    for m in mentions:
        types = names.suppress.get(m.name, frozenset())
        if "*" in types or m.type in types:
            continue
        if m.name in names.retype:
            m = Mention(**{**m.__dict__, "type": names.retype[m.name]})
        out.append(m)
    added = [
        (a, b, typ, name)
        for name, typ in sorted(names.add.items())
        for a, b in _occurrences(doc.text, name)
    ]
    if not added:
        return out

    def clashes(m: Mention) -> bool:  # overlaps an added name and neither holds the other
        return any(
            m.norm_start < b
            and a < m.norm_end
            and not (m.norm_start <= a and b <= m.norm_end)
            and not (a <= m.norm_start and m.norm_end <= b)
            for a, b, _, _ in added
        )

    kept = [m for m in out if not clashes(m)]
    have = {(m.norm_start, m.norm_end, m.type) for m in kept}
    kept += [
        make(a, b, typ, name, names.extractor)
        for a, b, typ, name in added
        if (a, b, typ) not in have
    ]
    return sorted(kept, key=lambda m: (m.norm_start, m.norm_end, m.type))
