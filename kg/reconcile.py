"""A W3C Reconciliation Service API (v0.2) over the built graph, for OpenRefine users.

Users with their own tables of enterprises, projects or places send names (optionally with
a type, the ontology's class IRI) and get candidates with scores; a candidate is marked as a
match only when its name or an alias equals the query and no other candidate ties with it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.resolve import canonical_name
from kg.store import run
from kg.vocab import KGO

KGO_NS = str(KGO)
MATCH_SCORE = 90.0  # a candidate at or above this, alone at the top, is a match
ENTITY_CLASSES = (
    "Enterprise", "Project", "Programme", "Organization", "Place", "Zone", "Person", "Event",
)  # fmt: skip


@dataclass
class Candidate:
    iri: str
    name: str
    types: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    quote: str = ""


def _key(text: str) -> str:
    return canonical_name(text).replace(" ", "").lower()  # canonical_name applies NFKC


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def score(query: str, cand: Candidate) -> float:
    """0–100: equality of name (100) or alias (95), containment, else character bigrams."""
    q = _key(query)
    if not q:
        return 0.0
    names = [_key(cand.name)] + [_key(a) for a in cand.aliases]
    if q == names[0]:
        return 100.0
    if q in names[1:]:
        return 95.0
    best = 0.0
    for n in names:
        if not n:
            continue
        if q in n or n in q:
            best = max(best, 50.0 + 35.0 * min(len(q), len(n)) / max(len(q), len(n)))
        else:
            a, b = _bigrams(q), _bigrams(n)
            best = max(best, 70.0 * len(a & b) / len(a | b))
    return round(best, 1)


class Reconciler:
    """Candidates from the built store, loaded once."""

    def __init__(self, store: ox.Store) -> None:
        self.entities: dict[str, Candidate] = {}
        q = """SELECT ?e ?name ?type ?alias ?count WHERE {
                 ?e rdfs:label ?name ; a ?type ; kgo:mentionCount ?count .
                 OPTIONAL { ?e skos:altLabel ?alias } }"""
        for sol in run(store, q):
            iri = sol["e"].value
            c = self.entities.setdefault(iri, Candidate(iri, sol["name"].value))
            t = sol["type"].value
            if t.startswith(KGO_NS) and t[len(KGO_NS) :] in ENTITY_CLASSES:
                c.types.add(t)
            if sol["alias"] is not None:
                c.aliases.add(sol["alias"].value)
            c.mentions = int(sol["count"].value)
        some = next(iter(sorted(self.entities)), "")
        self.base = some.split("/id/")[0] + "/" if "/id/" in some else ""

    def manifest(self, root: str) -> dict[str, object]:
        return {
            "versions": ["0.2"],
            "name": "zhgov-kg: entities of Chinese government work reports",
            "identifierSpace": self.base.rstrip("/") + "/id/",
            "schemaSpace": KGO_NS,
            "defaultTypes": [{"id": KGO_NS + c, "name": c} for c in ENTITY_CLASSES],
            "preview": {"url": root + "/reconcile/preview?id={{id}}", "width": 430, "height": 120},
        }

    def query(self, q: dict[str, object]) -> dict[str, object]:
        text = str(q.get("query") or "")
        wanted = q.get("type")
        types = {wanted} if isinstance(wanted, str) else set(wanted or [])  # type: ignore[arg-type]
        limit = int(q.get("limit") or 5)  # type: ignore[call-overload]
        scored = []
        for c in self.entities.values():
            if types and not (c.types & types):
                continue
            s = score(text, c)
            if s > 30:
                scored.append((s, c.mentions, c))
        scored.sort(key=lambda x: (-x[0], -x[1], x[2].iri))
        top = scored[:limit]
        results = []
        for i, (s, _, c) in enumerate(top):
            unique = i == 0 and (len(top) == 1 or top[1][0] < s)
            results.append(
                {
                    "id": c.iri,
                    "name": c.name,
                    "type": [{"id": t, "name": t[len(KGO_NS) :]} for t in sorted(c.types)],
                    "score": s,
                    "match": bool(unique and s >= MATCH_SCORE),
                }
            )
        return {"result": results}

    def preview(self, iri: str) -> str:
        c = self.entities.get(iri)
        if c is None:
            return "<p>unknown entity</p>"
        types = ", ".join(sorted(t[len(KGO_NS) :] for t in c.types))
        aliases = "、".join(sorted(c.aliases))
        return (
            "<html><head><meta charset='utf-8'></head><body style='font-family:sans-serif'>"
            f"<b>{html.escape(c.name)}</b> <i>{html.escape(types)}</i><br>"
            f"{c.mentions} mentions{('<br>aliases: ' + html.escape(aliases)) if aliases else ''}"
            f"<br><small>{html.escape(c.iri)}</small></body></html>"
        )
