"""Text with an exact map back to the raw text it was made from.

Every character of a `Mapped` remembers the raw span [starts[i], ends[i]) it came from, so a
span found by any later stage maps back to the original file. Edits never reorder text, so
the map stays monotone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `new`; `spans` optionally gives each new character's raw span."""

    start: int
    end: int
    new: str
    spans: Sequence[tuple[int, int]] | None = None


@dataclass(frozen=True)
class Mapped:
    """Text plus the raw span [starts[i], ends[i]) of each character."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> Mapped:
        n = len(text)
        return cls(text, tuple(range(n)), tuple(range(1, n + 1)))

    def raw_span(self, a: int, b: int) -> tuple[int, int]:
        """The raw span of text[a:b] (an empty span maps to the raw position before it)."""
        if b <= a:
            if a < len(self.starts):
                return self.starts[a], self.starts[a]
            end = self.ends[-1] if self.ends else 0
            return end, end
        return self.starts[a], self.ends[b - 1]

    def apply(self, edits: Iterable[Edit]) -> Mapped:
        """Apply non-overlapping edits, in text order.

        A replacement of the same length maps character for character; otherwise every new
        character maps to the raw span of the whole replaced text, unless `spans` says better.
        """
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        changed = False
        for e in sorted(edits, key=lambda x: (x.start, x.end)):
            if e.start < pos:
                raise ValueError(f"overlapping edit at {e.start}")
            if self.text[e.start : e.end] == e.new and e.spans is None:
                continue
            changed = True
            parts.append(self.text[pos : e.start])
            starts.extend(self.starts[pos : e.start])
            ends.extend(self.ends[pos : e.start])
            parts.append(e.new)
            if e.spans is not None:
                assert len(e.spans) == len(e.new)
                starts.extend(s for s, _ in e.spans)
                ends.extend(t for _, t in e.spans)
            elif len(e.new) == e.end - e.start:
                starts.extend(self.starts[e.start : e.end])
                ends.extend(self.ends[e.start : e.end])
            elif e.new:
                s, t = self.raw_span(e.start, e.end)
                starts.extend([s] * len(e.new))
                ends.extend([t] * len(e.new))
            pos = e.end
        if not changed:
            return self
        parts.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return Mapped("".join(parts), tuple(starts), tuple(ends))

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Mapped:
        """Replace each match of `pattern` by `repl(match)`."""
        return self.apply(Edit(*m.span(), repl(m)) for m in pattern.finditer(self.text))

    def delete(self, spans: Iterable[tuple[int, int]]) -> Mapped:
        """Remove the given [start, end) spans of the text."""
        return self.apply(Edit(a, b, "") for a, b in spans if b > a)

    def same_length(self, converted: str) -> Mapped:
        """Swap in a character-for-character conversion of the text."""
        if len(converted) != len(self.text):
            raise ValueError("conversion changed the length of the text")
        return Mapped(converted, self.starts, self.ends)
