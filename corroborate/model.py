"""The types that flow through every stage: documents, claims, clusters, conflicts, settings."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

SCHEMA = "corroborate/1"
STATUSES = ("corroborated", "single-source", "relayed", "conflicted")
TEMPORAL = ("same-period", "different-period", "unknown")
# denial: one claim denies what the other asserts; contradiction: states that cannot both hold;
# numbers: different counts of one thing; contrast: the article itself answers the claim before
CONFLICT_KINDS = ("denial", "contradiction", "numbers", "contrast")
RELATIONS = ("agree", "disagree", "other")      # what a relation scorer says of a claim pair


class Offsets(Sequence[int]):
    """A read-only run of character offsets kept as 4-byte integers: an HTML view maps every
    character back into the page, and a tuple of Python ints costs 36 bytes a character."""

    __slots__ = ("_values",)

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._values = array("i", values)      # pages are capped at 20 MB (ingest.MAX_BYTES)

    def __getitem__(self, i):
        return Offsets(self._values[i]) if isinstance(i, slice) else self._values[i]

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Offsets):
            return self._values == other._values
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._values.tobytes())

    def __repr__(self) -> str:
        return f"Offsets({self._values.tolist()!r})"


@dataclass(frozen=True)
class TextView:
    """A derived text (e.g. HTML with tags stripped) with a map back into the original.

    `offsets[i]` is the index in `Document.text` of `text[i]`; `offsets[len(text)]`
    is the index just past the last mapped character, so a span `[a, b)` of the view
    maps to `[offsets[a], offsets[b - 1] + 1)` of the original.
    """

    text: str
    offsets: Offsets

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a `[start, end)` span of the view onto the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: the place, the ISO date (Gregorian) and the agency, each None if absent."""

    place: str | None
    date: str | None
    agency: str | None


@dataclass(frozen=True)
class Document:
    id: str                            # file stem, e.g. "001_ca7d2482d73aec03"
    text: str                          # exactly as decoded from disk; never rewritten
    path: Path | None = None
    title: str | None = None
    outlet: str | None = None          # who published it, in English where known
    published: str | None = None       # ISO "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    cited_sources: tuple[str, ...] = ()  # agencies/outlets the article relies on, English names
    url: str | None = None
    fetched: str | None = None         # a fetched page's UTC fetch time, "2024-02-19T08:30:00Z"
    source_path: Path | None = None    # a PDF/Word file (or fetched one) whose extracted text `path` is
    encoding: str = "utf-8"
    view: TextView | None = None       # for HTML: the main text, mapped back into `text`
    length: int | None = None          # len(text) once the text is let go (`without_text`)
    # where `published` came from: "metadata" (the page's markup, a JSONL field), "dateline"
    # (a date line of the text); None if undated (a photo caption's date never dates an article)
    published_from: str | None = None
    dateline: Dateline | None = None   # «بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس»: place, date, agency
    wire: str | None = None            # the agency whose dispatch it relays, by its dateline
    reprint_of: str | None = None      # id of the document whose text it reprints (copies stage)

    @property
    def body(self) -> str:
        """The text claims are split from: the view if there is one, else the text itself."""
        return self.view.text if self.view is not None else self.text

    @property
    def chars(self) -> int:
        """Characters of the decoded text, whether or not `text` is still held."""
        return self.length if self.length is not None else len(self.text)

    def without_text(self) -> Document:
        """This document's metadata without its text and HTML view: what a report needs
        once the claims are split, so a large folder's texts need not all stay in memory."""
        return replace(self, text="", view=None, length=self.chars)


@dataclass(frozen=True)
class Claim:
    id: str                            # f"c-{doc_id}:{start}", stable across runs
    doc_id: str
    start: int                         # Python str index (code points) into Document.text
    end: int
    text: str                          # the claim as read (== Document.text[start:end] for plain text)
    attributed_to: tuple[str, ...] = ()  # who the text says asserts it ("Reuters", "sources", ...)
    time: str | None = None            # ISO date/period the claim speaks about
    time_basis: str | None = None      # how `time` was found: "explicit", "relative", "published"
    origin: str | None = None          # the origin this claim counts as, for independence
    anonymous: bool = False            # rests only on unnamed sources ("مصادر")
    also_supports: tuple[str, ...] = ()  # ids of other clusters whose fact it also states
    copy_of: str | None = None         # id of the claim whose words it copies, in another document


@dataclass(frozen=True)
class OriginNote:
    """Why a document's claim counts as another's origin: `outlet` (or "doc:ID") `how` `origin`,
    `how` one of "copies" (its words), "reprints" (the document), "relays" (by its dateline),
    "attributes" (the text names the source)."""

    outlet: str
    how: str
    origin: str


@dataclass(frozen=True)
class Cluster:
    id: str                            # "k-" + hash of the member claim ids: stable
    claim_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    independent_sources: int = 1
    status: str = "single-source"
    anonymous_only: bool = False
    # why some outlets count as one origin: Okaz copies SPA's words, Al Yaum reprints SPA
    origin_notes: tuple[OriginNote, ...] = ()
    story: str | None = None           # id of the story the fact belongs to


@dataclass(frozen=True)
class Story:
    """Documents that tell one story, and the facts (clusters) it holds: a reading aid, never
    a corroboration."""

    id: str                            # "s-" + hash of the member document ids: stable
    cluster_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    label: str                         # a headline: its fact told by most documents, or a title
    outlets: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()      # the distinct origins of its facts' claims


@dataclass(frozen=True)
class Conflict:
    claim_a: str
    claim_b: str
    score: float                       # probability-like confidence in [0, 1]
    temporal: str                      # one of TEMPORAL
    explanation: str                   # which cue fired, e.g. "antonym: نجح vs فشل"
    cues: tuple[str, ...] = ()
    scope: str = "cluster"             # "cluster", "neighbours" or "document"
    kind: str = "contradiction"        # one of CONFLICT_KINDS
    said_by: tuple[str, ...] = ()      # who asserts claim_a, who claim_b (an outlet, a speaker)


def _knob(default, meaning: str):
    return field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class Settings:
    """Every threshold and count the stages use; `meaning(name)` says what each one does."""

    min_claim_chars: int = _knob(25, "shorter pieces are headlines, bylines, captions")
    max_claim_chars: int = _knob(400, "longer sentences are split at clause boundaries")
    furniture_gap: int = _knob(2, "words allowed between two page-interface labels («حجم الخط», "
                                  "«طباعة») of one strip of furniture cut out of a line")
    furniture_noise_run: int = _knob(8, "tokens in a row without an Arabic letter (date lists, "
                                        "layout code, English menus) cut out of a line")
    furniture_share: float = _knob(0.5, "share of a piece's tokens that are interface labels, "
                                        "symbols, Latin, hashtags or repeats that makes it furniture")
    similarity: float = _knob(0.85, "cosine a pair needs before the same-fact scorer looks at it "
                                    "(e5 cosines sit in a narrow high band: 0.85 is just under "
                                    "the lowest ANS paraphrase pair, 0.855)")
    same_fact: float = _knob(0.5, "p(same fact) the claims of a cluster need on average")
    neighbours: int = _knob(20, "nearest claims per claim that are scored (bounds the work)")
    fuzzy: float = _knob(88.0, "rapidfuzz ratio (0-100) on normalised text that marks a near-verbatim copy")
    min_docs: int = _knob(2, "a cluster needs claims from this many documents to be kept whole")
    link: str = _knob("average", "how clusters grow: average, complete (strict) or single (loose) linkage")
    period_gate: bool = _knob(False, "claims the text dates to different periods (time_window_days "
                                     "apart) are never one cluster (off: on Baly folds 1-3 it cost "
                                     "corroboration recall, docs/accuracy.md); supports always check it")
    number_gate: bool = _knob(True, "claims that give one counted thing different numbers («1096.10 دولار» / "
                                    "«1092.10 دولار»: two sessions, two tolls, two list items) are not one "
                                    "fact (matching.number_clash; docs/accuracy.md)")
    outlet_days: bool = _knob(True, "one outlet's claims of two days, neither dated by its own words, are never "
                                    "one fact: a camp report or a front line told day after day in one sentence "
                                    "pattern (matching.gate_by_editions; docs/accuracy.md)")
    anchor_texts: int = _knob(80, "two documents' claims are one fact only if they share an anchor: a word "
                                  "(or count) that at most this many of the pile's texts use; a formula "
                                  "or a pattern told of many subjects shares none (read samples of a day "
                                  "and a week of Saudi press, docs/accuracy.md); 0: off")
    frame_texts: int = _knob(5, "a cluster whose claims of two documents share, pair by pair, only two or more "
                                "anchor words that this many texts of other stories also hold together (a "
                                "sentence pattern told of other subjects: two clubs' departures) is no fact "
                                "and is split into its copies (matching.on_a_frame; docs/accuracy.md); 0: off")
    support_same_fact: float = _knob(0.5, "average p(same fact) a claim needs with the claims of another "
                                      "cluster (other documents, same period) to also support that "
                                      "cluster's fact (one sentence, two facts); 1 = off")
    second_look_low: float = _knob(0.4, "claim pairs of two documents whose p(same fact) lies in "
                                        "[second_look_low, second_look_high) are scored again as the mean "
                                        "of it and the same-fact cross-encoder's (models/samefact-cross/)")
    second_look_high: float = _knob(0.8, "upper end of that band; at or below second_look_low = no second look")
    second_look_pairs: int = _knob(300, "most pairs of that band read again per analysis, those nearest "
                                         "same_fact first (the cross-encoder reads about 26 pairs a second "
                                         "on two cores; a day of press has ~7,000 such pairs); 0 = none")
    join_similarity: float = _knob(0.94, "centroid cosine at which a cluster spanning two documents or more "
                                         "and one of its nearest clusters are read as maybe one fact in two "
                                         "wordings (their most central claims scored by the same-fact scorer "
                                         "and the cross-encoder, averaged; p(same fact) >= same_fact joins "
                                         "them: matching.cluster_joins); 0 = off")
    join_neighbours: int = _knob(5, "nearest clusters (centroid cosine) of each such cluster read so")
    join_pairs: int = _knob(300, "most cluster pairs read so per analysis, the closest centroids first; 0 = none")
    anchored_same_fact: float = _knob(0.6, "least p(same fact) of two claims sharing two counts and "
                                           "three rare words (one event in two outlets' words)")
    conflict_threshold: float = _knob(0.7, "p(disagree) needed to report a conflict (0.5 -> 0.7: on Baly "
                                           "folds 1-3 false conflicts 17 -> 4 of 1,384 agree pairs, docs/accuracy.md)")
    neighbour_similarity: float = _knob(0.85, "cosine two claims need to be checked for a conflict")
    conflict_candidates: int = _knob(8, "most similar claims per claim checked for a conflict")
    outcome_candidates: int = _knob(2, "most similar opposite-outcome claims per claim checked")
    conflict_same_fact: float = _knob(0.5, "p(same fact) two claims need (the same-fact scorer) before a cue "
                                           "can make them a conflict; 0 = no check (Baly folds 1-3: conflicts "
                                           "62 -> 29, read right 14 -> 12; docs/conflict-sample.md)")
    same_story: bool = _knob(True, "two claims can conflict only inside one story (stories.py), but for an "
                                   "article's own contrast phrase and a denial")
    story_candidates: bool = _knob(True, "claims of one story that share actor and event and carry a cue are "
                                         "checked for a conflict even when they are not each other's neighbours")
    story_candidate_claims: int = _knob(600, "a story with more claims than this is left to the neighbour "
                                             "search for conflict candidates (bounds the pairs)")
    within_article: bool = _knob(False, "two claims of one article may conflict on any cue, not only when "
                                        "the second opens with a contrast phrase (off: on Baly folds 1-3 "
                                        "such pairs were two thirds of all conflicts and mostly lists)")
    min_subject: float = _knob(0.15, "share of rare-word weight two claims need for an outcome or contrast "
                                     "conflict (twice this for a model-judged one)")
    contrast_score: float = _knob(0.9, "score of a conflict resting on a contrast phrase")
    outcome_score: float = _knob(0.75, "score of a conflict resting on opposed outcomes")
    antonym_weight: float = _knob(0.8, "rank of an antonym cue among a pair's cues (0-1)")
    number_weight: float = _knob(0.7, "rank of a different-number cue")
    count_ratio: float = _knob(3.0, "two counts of one noun this many times apart or more count two things "
                                    "(a fair's deals against one deal, two regions' violations), not one "
                                    "misreported; 0 = no limit (read: the right count conflicts 1.1-2.4x "
                                    "apart, the wrong ones 4.8-12.5x; docs/conflict-sample.md)")
    date_weight: float = _knob(0.5, "rank of a different-date cue")
    conflict_anchor_texts: int = _knob(150, "two documents' claims conflict only if they share an anchor: a "
                                            "word or count at most this many texts of the pile use (two banks' "
                                            "results, two markets' closes share none), and a denial in another "
                                            "document one with the claim it denies; looser than anchor_texts, as "
                                            "a story worth a conflict is told in many texts; 0: off "
                                            "(docs/conflict-sample.md)")
    title_texts: int = _knob(20, "two documents whose titles both name words at most this many of the "
                                 "pile's titles use, and none in common, are two subjects: their claims "
                                 "do not conflict («أرباح بترورابغ» / «أرباح الصناعات الكهربائية»); only "
                                 "on a pile of at least ten times as many documents, where a title word "
                                 "can be rare; 0: off (docs/conflict-sample.md)")
    one_day: bool = _knob(True, "two claims dated to two different days of one period (two trading "
                                "sessions, two daily tallies) state two days' facts and cannot conflict; an "
                                "article's own contrast phrase and a denial aside (a week of Saudi press: "
                                "docs/conflict-sample.md)")
    one_edition: bool = _knob(True, "two articles of one outlet published the same day give different counts "
                                    "of two things (two regions, two stocks, two apps), not of one: no numbers "
                                    "cue between them (the week of Saudi press: 5 such conflicts, 0 right; "
                                    "docs/conflict-sample.md)")
    one_text: bool = _knob(True, "two claims of two documents do not conflict when one document also holds a "
                                 "near-verbatim copy of the other claim (a timeline's two years, a list's "
                                 "two markets), nor differ in a count that the other's document also gives "
                                 "(a rule's two tiers), nor is a denial set against a report whose document "
                                 "prints the denial too: one text states both sides (ten SaudiNewsNet days: "
                                 "16 such conflicts, 15 wrong; docs/conflict-sample.md)")
    date_alone: bool = _knob(False, "a different date with no other cue makes a conflict (off: on Baly folds "
                                    "1-3 such pairs were two events, 0 of 7 read right; docs/conflict-sample.md)")
    negation_scope: int = _knob(1, "a negation cue needs one of the first this many words after the "
                                   "negator asserted in the other claim (0 = any negation counts; "
                                   "docs/accuracy.md: 0 of 63 read negation conflicts were right without it; "
                                   "2 -> 1: eleven SaudiNewsNet days 7 fewer conflicts, all read wrong; Baly folds "
                                   "1-3 3 fewer, one right; docs/conflict-sample.md)")
    verdicts: bool = _knob(True, "two claims of two documents that judge one named thing («زيارة قاآني», two "
                                 "content words in a row beside the verdict word) a success and a failure "
                                 "conflict, with no same-fact gate and no model bar (cues.verdict; "
                                 "docs/conflict-sample.md)")
    life_states: bool = _knob(True, "two claims two sources say (two documents of two origins, or two named "
                                    "sources of one article) of which one says someone is alive, or denies their "
                                    "death, and the other that they died or were killed, sharing two anchor words "
                                    "near those words, conflict, with no same-fact gate, no model bar and across "
                                    "stories (cues.life_state; docs/conflict-sample.md, 'One life')")
    actor_reach: int = _knob(4, "words either side of an outcome word read as who did it")
    min_actor: float = _knob(0.3, "share of rare-word weight of one claim's actor (the words around its "
                                  "outcome word) the other claim must name for an outcome conflict; 0 = no "
                                  "check (Baly folds 1-3, with rule_threshold: outcome conflicts 130 -> 19, "
                                  "read right 1 of 23 -> 4 of 19; docs/conflict-sample.md)")
    rule_threshold: float = _knob(0.7, "p(disagree) a conflict resting on an outcome cue needs; "
                                       "0 = the cue alone decides (0.3 until 2026-12-06: with the same-fact "
                                       "gates since, folds 1-3 had no outcome conflict, the week 3 and the "
                                       "day 2, none right; 0.5 drops the three at p 0.37-0.47; 0.7, the "
                                       "bar of every other cue, since 2026-12-07: seventeen SaudiNewsNet days "
                                       "gave 5 outcome conflicts, all read wrong, 4 of them at p 0.60-0.66)")
    denial_same_fact: float = _knob(0.84, "p(same fact) between what a claim denies and another claim "
                                         "that makes the other the claim it denies (a conflict of kind denial)")
    denial_candidates: int = _knob(5, "claims of other documents, most similar to what a claim denies, "
                                      "checked as what it denies")
    time_window_days: int = _knob(30, "two times this close (days) are the same period")
    origin_carry: int = _knob(3, "claims after one naming an outlet that keep it as their origin")
    furniture_repeats: int = _knob(3, "an outlet's line (digits masked) found in this many of its documents "
                                      "is furniture: a footer, a blurb, a standing dateline")
    story_similarity: float = _knob(0.94, "lead-vector cosine (mean of an article's first three claims) at "
                                          "which articles are one story (average linkage; Baly folds 1-2: "
                                          "pairwise F1 0.47, best of 0.80-0.97; bench/stories_baly.py)")
    copy_run: int = _knob(5, "words in a row two claims of one fact in two documents share that make "
                             "them copies of one text, titles aside (0: off; 8, 6 and 5 read on Baly "
                             "folds 1-3 and a day of Saudi press: docs/origin-sample.md)")
    copy_documents: int = _knob(2, "copied texts the passages around two claims of one cluster (copy_around "
                                   "claims either side) print in common that make the two one text (0: off)")
    copy_around: int = _knob(3, "claims either side of a claim that make its passage (copy_documents)")
    reprint_share: float = _knob(0.5, "share of a document's claims copied from one other document "
                                      "(another outlet's) that makes it a reprint of it: one origin")
    article_chars: int = _knob(600, "compare: a longer s2 is an article, not one claim")
    article_sentences: int = _knob(12, "compare: article sentences scored (most word overlap first)")
    article_top_k: int = _knob(3, "compare: most similar sentences that decide an article")
    related_cosine: float = _knob(0.86, "compare: best-sentence cosine under which an article is "
                                        "unrelated (unrelated news sentences sit at 0.78-0.84)")
    model: str | None = _knob(None, "sentence-transformers model directory; None = built-in e5")
    batch_size: int = _knob(32, "sentences per encoder batch")
    encoder_backend: str = _knob("onnx", "how the built-in encoder runs: onnx (ONNX Runtime, float32: "
                                         "the vectors torch gives, 1.7x as fast), torch, or onnx-int8 "
                                         "(3x as fast, cosine 0.99 to float32; docs/performance.md)")
    copy_candidates: int = _knob(20, "nearest distinct claims per claim compared for a near-verbatim "
                                     "copy (identical texts always are)")

    def __post_init__(self) -> None:
        for name in ("similarity", "same_fact", "conflict_threshold", "neighbour_similarity",
                     "anchored_same_fact", "support_same_fact", "min_subject", "contrast_score", "outcome_score",
                     "antonym_weight", "number_weight", "date_weight", "related_cosine", "reprint_share",
                     "story_similarity", "denial_same_fact"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        if not 0.0 <= self.fuzzy <= 100.0:
            raise ValueError(f"fuzzy must be in [0, 100], got {self.fuzzy}")
        for name in ("min_actor", "rule_threshold", "conflict_same_fact", "second_look_low", "second_look_high"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        if self.count_ratio != 0 and self.count_ratio <= 1:
            raise ValueError(f"count_ratio must be above 1 (or 0 for no limit), got {self.count_ratio}")
        if not 0 <= self.negation_scope <= 3:
            raise ValueError(f"negation_scope must be 0 to 3 words, got {self.negation_scope}")
        if not 1 <= self.actor_reach <= 8:
            raise ValueError(f"actor_reach must be 1 to 8 words, got {self.actor_reach}")
        for name in ("second_look_pairs", "join_pairs"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")
        if not 0.0 <= self.join_similarity <= 1.0:
            raise ValueError(f"join_similarity must be in [0, 1] (0: off), got {self.join_similarity}")
        for name in ("neighbours", "conflict_candidates", "outcome_candidates", "article_chars",
                     "article_sentences", "article_top_k", "batch_size", "copy_candidates",
                     "furniture_repeats", "denial_candidates", "story_candidate_claims", "join_neighbours"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.min_docs < 1:
            raise ValueError(f"min_docs must be at least 1, got {self.min_docs}")
        for name in ("anchor_texts", "conflict_anchor_texts", "title_texts", "frame_texts"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 (off) or a number of texts, got {getattr(self, name)}")
        if self.copy_run < 0:
            raise ValueError(f"copy_run must be 0 (off) or a number of words, got {self.copy_run}")
        if self.min_claim_chars < 1:
            raise ValueError(f"min_claim_chars {self.min_claim_chars} must be at least 1")
        if self.max_claim_chars <= self.min_claim_chars:
            raise ValueError(f"min_claim_chars {self.min_claim_chars} must be below "
                             f"max_claim_chars {self.max_claim_chars}")
        if self.link not in ("average", "complete", "single"):
            raise ValueError(f"link must be average, complete or single, got {self.link!r}")
        if self.encoder_backend not in ("torch", "onnx", "onnx-int8"):
            raise ValueError(f"encoder_backend must be torch, onnx or onnx-int8, got {self.encoder_backend!r}")

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @staticmethod
    def meaning(name: str) -> str:
        """The one-line meaning of setting `name`."""
        return next(f.metadata["help"] for f in fields(Settings) if f.name == name)

    def changed(self, items: Sequence[str]) -> Settings:
        """These settings with each "NAME=VALUE" of `items` applied, VALUE read as the type of
        NAME's default ("1", "true" or "yes" for a switch); ValueError names a bad item."""
        known = {f.name for f in fields(self)}
        changes = {}
        for item in items:
            name, _, raw = item.partition("=")
            name = name.strip()
            if name not in known or not raw:
                raise ValueError(f"{item!r}: expected NAME=VALUE with NAME a setting, e.g. same_fact=0.4")
            default = getattr(self, name)
            try:
                changes[name] = (raw if default is None or isinstance(default, str)
                                 else raw.strip().lower() in ("1", "true", "yes") if isinstance(default, bool)
                                 else type(default)(raw))
            except ValueError:
                raise ValueError(f"{item!r}: {name} takes a {type(default).__name__}") from None
        return replace(self, **changes)


@dataclass(frozen=True)
class Skipped:
    """An input that was not analyzed, with the one-line reason shown to the user."""

    path: str
    reason: str
    kind: str = ""        # why, as a word the report translates: "empty", "binary", "unsupported", ...
