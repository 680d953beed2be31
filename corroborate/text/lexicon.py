"""The word lists (cues, outcomes, antonyms, demands, contrast phrases, boilerplate markers,
speech verbs, months, numbers, sources, denials and reports) as versioned data files, each entry
with its provenance.

Files live in `corroborate/data/lexicon/*.tsv`: tab-separated `kind, entry, value, provenance,
note`, lines starting with `#` are comments. Entries are written in normalised spelling
(`text.normalize`): ا for أإآ, ه for ة, ي for ى. Provenance is `general` (ordinary news
usage), `public:<list>` (a named public list) or `seed:<NNN>` (added for one seed sentence
and not yet shown to help elsewhere).
"""

from __future__ import annotations

import csv
import functools
from collections import Counter
from dataclasses import dataclass
from importlib import resources

FILES = ("cues", "numbers", "dates", "boilerplate", "attribution", "stopwords", "denials")


@dataclass(frozen=True)
class Entry:
    kind: str
    entry: str
    value: str
    provenance: str
    note: str
    file: str


def _rows(name: str) -> list[list[str]]:
    text = resources.files("corroborate").joinpath("data", "lexicon", f"{name}.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.reader(lines[1:], delimiter="\t"))


@functools.cache
def all_entries() -> tuple[Entry, ...]:
    """Every entry of every word-list file, in file order."""
    out = []
    for name in FILES:
        for row in _rows(name):
            kind, entry, value, provenance, note = (row + [""] * 5)[:5]
            out.append(Entry(kind, entry, value, provenance, note, name))
    return tuple(out)


@functools.cache
def entries(kind: str) -> tuple[Entry, ...]:
    """The entries of one kind, in file order (order matters where the first match wins)."""
    found = tuple(e for e in all_entries() if e.kind == kind)
    if not found:
        raise KeyError(f"no word list of kind {kind!r} in corroborate/data/lexicon/")
    return found


@functools.cache
def words(kind: str) -> frozenset[str]:
    """The entries of one kind as a set."""
    return frozenset(e.entry for e in entries(kind))


@functools.cache
def values(kind: str, cast: type = float) -> dict[str, object]:
    """entry -> value (cast) for one kind, in file order."""
    return {e.entry: cast(e.value) for e in entries(kind)}


@dataclass(frozen=True)
class SourceEntry:
    name: str                      # English canonical name used in every report
    kind: str                      # "agency" (wire service), "outlet" (publisher) or "photo"
    aliases: tuple[str, ...]       # spellings as they appear; matched after normalisation
    provenance: str


@functools.cache
def sources() -> tuple[SourceEntry, ...]:
    """Known agencies, outlets and photo services (sources.tsv), in file order."""
    return tuple(SourceEntry(name, kind, tuple(aliases.split("|")), provenance)
                 for name, kind, aliases, provenance, *_ in _rows("sources"))


def stats() -> list[tuple[str, str, str, int]]:
    """(file, kind, provenance, count) for every list, sources included."""
    counts = Counter((e.file, e.kind, e.provenance.split(":")[0] if e.provenance.startswith("public")
                      else e.provenance) for e in all_entries())
    counts.update(("sources", s.kind, s.provenance) for s in sources())
    return sorted((f, k, p, n) for (f, k, p), n in counts.items())
