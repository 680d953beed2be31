"""Same-fact evidence beyond clusters: what two claims share (names, counts, dates), which claims
also state the fact of a second cluster (one sentence, two facts), and the report line that says
what makes a cluster one fact."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .bridge import merge_pairs
from .claims import script_of
from .model import Claim, Cluster
from .neighbours import Copies
from .text.content import content_stems
from .text.dates import mentioned
from .text.normalize import as_written
from .text.numbers import is_year, same_amount
from .text.tokens import tokens
from .timescope import temporal_relation


@dataclass(frozen=True)
class Anchors:
    """What pins a claim to one event: its counts (not years), dates and rarer words."""

    numbers: frozenset[str]
    dates: frozenset[str]        # "year:2024", "month:1", "weekday:6"
    words: frozenset[str]        # content stems (numbers and dates left out)


def anchors(text: str) -> Anchors:
    """The anchors of `text` (normalised stems; counts written as numbers, «ثلاثة» = 3)."""
    stems = content_stems(text)
    numbers = frozenset(w for w in stems if w[:1].isdigit() and not is_year(w))
    dates = frozenset(f"{kind}:{v}" for kind, found in mentioned(tokens(text)).items() for v in found)
    years = {d.split(":")[1] for d in dates if d.startswith("year:")}
    return Anchors(numbers, dates, frozenset(w for w in stems if not w[:1].isdigit() and w not in years))


def rare_words(texts: Iterable[str], *, share: float = 0.05) -> frozenset[str]:
    """Content words in at most `share` of `texts` (or 2): names, places, the words of one event."""
    return _rare_words(tuple(texts), share)


@functools.lru_cache(maxsize=4)         # a report asks once per cluster about the same texts
def _rare_words(texts: tuple[str, ...], share: float) -> frozenset[str]:
    bags = [content_stems(t) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    limit = max(2, int(share * len(bags)))
    return frozenset(w for w, n in df.items() if n <= limit and not w[:1].isdigit())


def supported_clusters(claims: Sequence[Claim], clusters: Sequence[Cluster],
                       scored: Iterable[tuple[int, int, float]], *, threshold: float,
                       window_days: int = 30) -> dict[str, tuple[str, ...]]:
    """claim id -> ids of clusters other than its own whose fact it also states.

    `scored` holds (i, j, p(same fact)) for index pairs of `claims` (the same-fact scorer's
    candidates; pairs not scored count as 0). A claim supports cluster K when its average
    p(same fact) with K's claims reaches `threshold` (as average linkage would join it) and no
    claim of its own document is in K already: one sentence that tells two facts («التقى ...
    في مطار بغداد ... بعد اتهام ... البرج 22») sits in one cluster and supports the other. A
    claim that matches only the two-fact sentence of K, not K's other claims, supports nothing.
    Topic is not fact: a pair of different periods (`temporal_relation` with `window_days`,
    publication dates included: the 2021 visit and the 2024 one) counts as 0. Clusters still partition
    the claims.
    """
    own = {cid: k.id for k in clusters for cid in k.claim_ids}
    docs = {k.id: set(k.doc_ids) for k in clusters}
    size = {k.id: len(k.claim_ids) for k in clusters}
    total: dict[tuple[str, str], float] = {}
    for i, j, p in scored:
        # a second link is held to the stricter test: any two periods, publication dates included
        if temporal_relation(claims[i].time, claims[j].time, window_days=window_days) == "different-period":
            continue
        for a, b in ((claims[i], claims[j]), (claims[j], claims[i])):
            target = own[b.id]
            if a.doc_id != b.doc_id and own[a.id] != target and a.doc_id not in docs[target]:
                total[(a.id, target)] = total.get((a.id, target), 0.0) + float(p)
    out: dict[str, set[str]] = {}
    for (cid, target), p in total.items():
        if p / size[target] >= threshold:
            out.setdefault(cid, set()).add(target)
    return {cid: tuple(sorted(ks)) for cid, ks in out.items()}


def period_relation(a: Claim, b: Claim, *, window_days: int) -> str:
    """`temporal_relation` of two claims' times ("same-period", "different-period"), or
    "unknown" unless at least one of them names its time (not just its article's publication
    date, which relays repeat months later)."""
    if a.time_basis in (None, "published") and b.time_basis in (None, "published"):
        return "unknown"
    return temporal_relation(a.time, b.time, window_days=window_days)


def apart_in_time(a: Claim, b: Claim, *, window_days: int) -> bool:
    """Whether the text dates `a` and `b` to different periods (`period_relation`)."""
    return period_relation(a, b, window_days=window_days) == "different-period"


def gate_by_period(claims: Sequence[Claim], same_fact, *, window_days: int):
    """The same-fact scores with pairs `apart_in_time` set to 0 (topic is not fact: the 2020
    visit and the 2024 one are two facts however alike the sentences). `same_fact` and the
    result are in the pair form (pairs (m, 2), scores (m,)); a dense matrix is returned dense."""
    if not isinstance(same_fact, tuple):
        matrix = np.array(same_fact, dtype=np.float32, copy=True)
        for i, j in zip(*np.nonzero(np.triu(matrix > 0, 1))):
            if apart_in_time(claims[i], claims[j], window_days=window_days):
                matrix[i, j] = matrix[j, i] = 0.0
        return matrix
    return zero_pairs(same_fact, lambda i, j: apart_in_time(claims[i], claims[j], window_days=window_days))


def gate_by_editions(claims: Sequence[Claim], same_fact, days: Mapping[str, tuple[str, str]]):
    """The same-fact scores (pair form) with each pair of claims from one outlet's articles of
    two days (`days`: document id -> (outlet, day), `conflicts.editions`) set to 0 when neither
    claim dates itself (its time is its article's day): two reports. A club's camp session or a
    front line's positions told day after day in one sentence pattern are two days' events (a
    week of Saudi press, 30 corroborated clusters read: 4 of the 10 of two facts,
    docs/accuracy.md); a background sentence an outlet prints again is one origin either way."""
    if not days:
        return same_fact
    outlets: dict[str, int] = {}
    dates: dict[str, int] = {}
    outlet = np.full(len(claims), -1, dtype=np.int64)
    day = np.full(len(claims), -1, dtype=np.int64)
    for n, c in enumerate(claims):
        if c.doc_id in days and c.time_basis in (None, "published"):
            o, d = days[c.doc_id]
            outlet[n], day[n] = outlets.setdefault(o, len(outlets)), dates.setdefault(d, len(dates))
    pairs = np.asarray(same_fact[0], dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    return zero_where(same_fact, (outlet[a] >= 0) & (outlet[a] == outlet[b]) & (day[b] >= 0) & (day[a] != day[b]))


def zero_where(same_fact, mask: np.ndarray):
    """The same-fact scores in pair form with the pairs where `mask` (one bool per pair) holds
    set to 0: `zero_pairs` for a rule numpy can state over all pairs at once."""
    pairs, scores = same_fact
    scores = np.array(scores, dtype=np.float32, copy=True)
    scores[np.asarray(mask, dtype=bool) & (scores > 0)] = 0.0
    return pairs, scores


def zero_pairs(same_fact, drop: Callable[[int, int], bool]):
    """The same-fact scores in pair form (pairs (m, 2), scores (m,)) with each scored pair
    (i, j) that `drop(i, j)` says is two facts set to 0: what every gate of `same_fact` does."""
    pairs, scores = same_fact
    scores = np.array(scores, dtype=np.float32, copy=True)
    for n, (i, j) in enumerate(np.asarray(pairs).reshape(-1, 2).tolist()):
        if scores[n] > 0 and drop(i, j):
            scores[n] = 0.0
    return pairs, scores


_CLOCK = re.compile(r"(?<![\d.])(\d{1,2})\s*:\s*(\d{2})(?![\d.])")


@functools.cache
def _not_counted() -> tuple[frozenset[str], frozenset[str]]:
    """Month names (Gregorian and Hijri, one word) and percent words (`numbers.tsv`)."""
    from .text.dates import single_word_months
    from .text.lexicon import entries, words

    return frozenset(single_word_months()) | {e.entry for e in entries("hijri_month")}, words("percent_word")


TOLL = "<death toll>"     # the counted thing of every death toll (`counted_values`)


def _nearest_of(toks: Sequence[str], at: int, *kinds: frozenset[str], reach: int = 4) -> int | None:
    """Which of `kinds` (word stems) the nearest such word before `toks[at]` belongs to, within
    `reach` words, else the nearest after it («بمقتل أكثر من مئتي شخص وأصيب مئات»: 200 by
    «مقتل»; «قتل 328 شخصا وأصيب 2500»: 2500 by «أصيب»; «328 شخصا قتلوا»: by «قتلوا»), or None."""
    from .text.tokens import stems

    for side in (range(at - 1, max(-1, at - reach - 1), -1), range(at + 1, min(len(toks), at + reach + 1))):
        for n in side:
            found = stems(toks[n])
            for k, kind in enumerate(kinds):
                if found & kind:
                    return k
    return None


def counted_values(text: str) -> dict[str, list[tuple[float, frozenset[str]]]]:
    """What `text` counts and how many: counted noun (its shortest stem) -> (value, the stems of
    the words around the number) for each number given for it, years and the day of a named
    month («10 أغسطس», «25 شوال 1436 هـ»), percent words and clock times left out; counts,
    prices, magnitudes, ranks and list numbers alike («1096.10 دولار», «6.7 درجة»)."""
    from .text.lexicon import words
    from .text.numbers import counted_noun, located_quantities
    from .text.tokens import stems

    toks = tokens(text)
    months, percent = _not_counted()
    # a date's day («10 أغسطس», «25 شوال 1436 هـ») and a percent sign («في المئة») count nothing
    dated = {i for i, t in enumerate(toks)
             if t in percent or t in ("ه", "هـ") or any(s in months for s in stems(t))}
    clock = {float(x) for m in _CLOCK.finditer(text) for x in m.groups()}    # «10 : 22 ص»
    toll_nouns, people, deaths, injuries = (words(k) for k in ("toll_noun", "toll_person", "toll_death", "toll_injury"))
    out: dict[str, list[tuple[float, frozenset[str]]]] = {}
    for i, v, context in located_quantities(toks):
        noun = counted_noun(toks, i)
        if noun and v not in clock and not {i - 1, i, i + 1} & dated:
            around = context - noun
            out.setdefault(min(noun, key=lambda s: (len(s), s)), []).append((v, around))
            # a death toll, however it is worded («129 قتيلا», «328 شخصا قتلوا», «61 شخصا لقوا
            # حتفهم»), is also counted as one thing of its own (Baly folds 1-3, docs/accuracy.md)
            if noun & toll_nouns or noun & people and _nearest_of(toks, i, deaths, injuries) == 0:
                out.setdefault(TOLL, []).append((v, around | {TOLL}))
    return out


def number_clash(a: str, b: str) -> bool:
    """The two texts give different numbers for one counted thing, said in the same words
    around it, and no number in common for it: two prices, two tolls, two list items, two
    magnitudes — two facts (or a conflict), however alike the rest of the sentences.
    «توفي 21 شخصا» and «إصابة 66 شخصا» count people of two kinds: no clash."""
    return _clash(counted_values(a), counted_values(b))


def _clash(x: dict[str, list[tuple[float, frozenset[str]]]], y: dict[str, list[tuple[float, frozenset[str]]]]) -> bool:
    for noun in x.keys() & y.keys():
        if any(same_amount(va, vb) for va, _ in x[noun] for vb, _ in y[noun]):
            continue
        if any(ca & cb for _, ca in x[noun] for _, cb in y[noun]):
            return True
    return False


def gate_by_numbers(claims: Sequence[Claim], same_fact):
    """The same-fact scores (pair form) with `number_clash` pairs set to 0."""
    values: dict[int, dict] = {}       # each claim's numbers read once, not once per pair

    def of(i: int) -> dict:
        if i not in values:
            values[i] = counted_values(claims[i].text)
        return values[i]
    return zero_pairs(same_fact, lambda i, j: _clash(of(i), of(j)))


def copy_sets(copies: Copies) -> np.ndarray:
    """A number per claim: a text and its near-verbatim copies (`copies`, chained) share one."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    near = np.array(sorted(copies.pairs), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(near)), (near[:, 0], near[:, 1])), shape=(copies.groups, copies.groups))
    return connected_components(graph, directed=False)[1][copies.group]


def anchor_words(claims: Sequence[Claim], copies: Copies, *, most: int) -> list[frozenset[str]]:
    """Per claim, its content words (numbers too, years aside) that at most `most` texts of
    the pile use, a text and its near-verbatim copies (`copies`) counted once: the names,
    places, counts and rare words that pin a sentence to one event. A formula («إنا لله وإنا
    إليه راجعون») or a pattern told of many subjects («أنهت اللجنة المحلية للانتخابات البلدية
    تركيب لوحات المراكز») shares only words many texts use."""
    component = copy_sets(copies)
    bags = [frozenset(w for w in content_stems(c.text) if not is_year(w)) for c in claims]
    seen: dict[int, set[str]] = {}
    for bag, comp in zip(bags, component.tolist()):
        seen.setdefault(comp, set()).update(bag)
    df = Counter(w for words in seen.values() for w in words)
    return [frozenset(w for w in bag if df[w] <= most) for bag in bags]


def gate_by_anchors(claims: Sequence[Claim], same_fact, anchors_of: Sequence[frozenset[str]]):
    """The same-fact scores (pair form) with pairs of two documents that share no anchor word
    (`anchor_words`) set to 0: what they share is a formula or a pattern, not a fact."""
    return zero_pairs(same_fact, lambda i, j: claims[i].doc_id != claims[j].doc_id
                      and not anchors_of[i] & anchors_of[j])


# Members of a cluster whose pairs `on_a_frame` reads (a larger cluster is judged by its first ones).
FRAME_MEMBERS = 40


def on_a_frame(claims: Sequence[Claim], clusters: Sequence[Cluster], anchors_of: Sequence[frozenset[str]],
               copies: Copies, story_of_doc: Mapping[str, str], *, least: int) -> list[int]:
    """The clusters (their indices) that rest on a frame, not a fact: every two of their claims
    of two documents share two or more anchor words (`anchor_words`), and those words are, all
    of them together, also in `least` or more texts of other stories (`story_of_doc`: document
    id -> story id; a text and its near-verbatim copies once). Such words are a sentence pattern
    told of many subjects («وصلت بعثة … الكروية إلى …» for another club), not what pins one fact.
    Texts of the two claims' own stories do not count: a story's other facts repeat its names
    («بوكو حرام», «الكويت … استضافة»), and one fact's other tellings are in its story. One pair
    sharing words no other story holds keeps the cluster. Two claims sharing one anchor word
    are the anchor gate's (`gate_by_anchors`) to judge, not this."""
    if least <= 0:
        return []
    index = {c.id: i for i, c in enumerate(claims)}
    text_set = copy_sets(copies)
    holders: dict[str, set[int]] = {}
    for i, words in enumerate(anchors_of):
        for w in words:
            holders.setdefault(w, set()).add(i)

    def framed(i: int, j: int) -> bool:
        shared = anchors_of[i] & anchors_of[j]
        if len(shared) < 2:
            return False
        others = set.intersection(*(holders[w] for w in shared))
        own = {story_of_doc.get(claims[i].doc_id), story_of_doc.get(claims[j].doc_id)}
        return len({int(text_set[k]) for k in others
                    if claims[k].doc_id not in (claims[i].doc_id, claims[j].doc_id)
                    and story_of_doc.get(claims[k].doc_id) not in own}) >= least

    def rests_on_frame(members: list[int]) -> bool:
        return all(framed(i, j) for x, i in enumerate(members) for j in members[x + 1:]
                   if claims[i].doc_id != claims[j].doc_id)

    return [n for n, k in enumerate(clusters) if len(k.doc_ids) > 1
            and rests_on_frame([index[c] for c in k.claim_ids[:FRAME_MEMBERS]])]


def unclashed_copies(claims: Sequence[Claim], copies: Copies) -> Copies:
    """`copies` without the near-copy pairs whose texts `number_clash`: the same wire text
    with another price or toll is the same source's other fact (an update), not the same fact
    (it is still a copy for origins: only clustering reads this)."""
    first: dict[int, int] = {}
    for i, g in enumerate(copies.group.tolist()):
        first.setdefault(g, i)
    kept = frozenset((g, h) for g, h in copies.pairs
                     if not number_clash(claims[first[g]].text, claims[first[h]].text))
    return copies if len(kept) == len(copies.pairs) else Copies(group=copies.group, pairs=kept)


def second_look(claims: Sequence[Claim], same_fact, score: Callable[[list[str], list[str]], np.ndarray], *,
                low: float, high: float, most: int | None = None, around: float = 0.5,
                window_days: int | None = None):
    """The same-fact scores with each pair of claims of two documents whose score lies in
    [`low`, `high`) replaced by the mean of it and `score`'s p(same fact) for the two texts: a
    slower reader (the same-fact cross-encoder) settles the close calls, and only those; at most
    `most` of them, those nearest `around` (the cluster threshold) first. Only claims written in
    one script: an English claim and its Arabic relay are the English bridge's to judge
    (`bridge.py`, multilingual USE), not this Arabic-trained reader's. With `window_days`, a
    pair the texts date to two periods (`apart_in_time`) may only go down: the reader weighs words,
    not dates, and calls the 2021 visit and the 2024 one the same. `same_fact` and the result
    are in the pair form (pairs (m, 2), scores (m,)), as `pipeline.same_fact` gives it."""
    pairs = np.asarray(same_fact[0], dtype=np.int64).reshape(-1, 2)
    scores = np.array(same_fact[1], dtype=np.float32, copy=True)
    todo = [n for n, (i, j) in enumerate(pairs.tolist())
            if low <= scores[n] < high and claims[i].doc_id != claims[j].doc_id
            and script_of(claims[i].text) == script_of(claims[j].text)]
    if most is not None and len(todo) > most:
        todo = sorted(todo, key=lambda n: (abs(float(scores[n]) - around), n))[:most]
    if todo:
        p = score([claims[pairs[n][0]].text for n in todo], [claims[pairs[n][1]].text for n in todo])
        mean = (scores[todo] + np.asarray(p, dtype=np.float32)) / 2
        if window_days is not None:
            apart = np.array([apart_in_time(claims[pairs[n][0]], claims[pairs[n][1]], window_days=window_days)
                              for n in todo], dtype=bool)
            mean = np.where(apart, np.minimum(mean, scores[todo]), mean)
        scores[todo] = mean
    return same_fact[0], scores


def split_pairs(same_fact, apart: Iterable[tuple[int, int]]):
    """The same-fact scores with each claim index pair of `apart` set to -1, added where it was
    not scored: such claims are never one fact, and the linkage keeps them apart. `same_fact`
    and the result are in the pair form (pairs (m, 2), scores (m,)); a dense matrix is
    returned dense."""
    apart = [(min(i, j), max(i, j)) for i, j in apart]
    if not apart:
        return same_fact
    if not isinstance(same_fact, tuple):
        matrix = np.array(same_fact, dtype=np.float32, copy=True)
        for i, j in apart:
            matrix[i, j] = matrix[j, i] = -1.0
        return matrix
    pairs, scores = same_fact
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    scores = np.array(scores, dtype=np.float32, copy=True)
    index = {(int(min(i, j)), int(max(i, j))): n for n, (i, j) in enumerate(pairs)}
    extra = []
    for pair in apart:
        if pair in index:
            scores[index[pair]] = -1.0
        else:
            extra.append(pair)
    if extra:
        pairs = np.vstack([pairs, np.array(extra, dtype=np.int64)])
        scores = np.concatenate([scores, np.full(len(extra), -1.0, dtype=np.float32)])
    return pairs, scores


def raise_pairs(same_fact, raised):
    """The same-fact scores (pair form, i < j) with each pair of `raised` (the same form) at least
    as high as `raised` gives it, added where it was not scored (`bridge.merge_pairs`); a pair held
    apart (-1: a denial, the article's own contrast) stays apart."""
    pairs = np.asarray(same_fact[0], dtype=np.int64).reshape(-1, 2)
    scores = np.asarray(same_fact[1], dtype=np.float32)
    up = np.asarray(raised[0], dtype=np.int64).reshape(-1, 2)
    n = int(max(pairs.max(initial=-1), up.max(initial=-1))) + 1         # a pair as one number: i * n + j
    held = pairs[scores < 0]
    keep = ~np.isin(up[:, 0] * n + up[:, 1], held[:, 0] * n + held[:, 1])
    return merge_pairs((pairs, scores), (up[keep], np.asarray(raised[1], dtype=np.float32)[keep]))


def cluster_joins(claims: Sequence[Claim], vectors: np.ndarray, clusters: Sequence[Cluster],
                  score: Callable[[list[tuple[int, int]]], np.ndarray], *, similarity: float,
                  k: int, most: int, threshold: float, window_days: int | None = None, chunk: int = 512):
    """Claim pairs (pair form) that join two clusters telling one fact in two wordings.

    Average linkage keeps apart two groups of one fact when few of their claim pairs were
    scored: a wire's wording copied by a dozen sites and another agency's wording of the same
    event are two groups whose claims are not each other's nearest (Baly fold 3's R-14: 17
    and 6 claims of one evacuation). Each cluster spanning two documents or more is compared
    with its `k` nearest clusters by centroid (cosine `similarity` or more, at most `most`
    pairs, the closest first); `score` reads the two clusters' most central claims (index
    pairs, one script only) and gives p(same fact). At `threshold` or more every claim pair
    across the two clusters gets that score, so the linkage, run again, joins them unless
    other pairs pull apart. Two clusters that give one counted thing two numbers (two sessions'
    prices, two days' tallies) are two facts whatever the reading says; so are two clusters
    whose claims the texts date (with `window_days`) to two periods and never to one (the 2021
    visit and the 2024 one), and a claim pair dated to two periods is never raised (a page's
    crawl date beside the event's). Returns pairs (m, 2) with i < j and their scores (m,)."""
    empty = (np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32))
    wide = [n for n, c in enumerate(clusters) if len(c.doc_ids) >= 2]
    if not wide or len(clusters) < 2 or not most:
        return empty
    index = {c.id: i for i, c in enumerate(claims)}
    members = [np.array([index[i] for i in c.claim_ids], dtype=np.int64) for c in clusters]
    centroids = np.stack([vectors[m].mean(axis=0) for m in members]).astype(np.float32)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    central = [int(m[np.argmax(vectors[m] @ centroids[n])]) for n, m in enumerate(members)]
    near: dict[tuple[int, int], float] = {}
    take = min(k + 1, len(clusters))
    for at in range(0, len(wide), chunk):
        rows = wide[at:at + chunk]
        sims = centroids[rows] @ centroids.T
        top = np.argpartition(-sims, take - 1, axis=1)[:, :take]
        for r, a in enumerate(rows):
            for b in top[r].tolist():
                if b != a and sims[r, b] >= similarity and \
                        set(clusters[a].doc_ids) != set(clusters[b].doc_ids) and \
                        script_of(claims[central[a]].text) == script_of(claims[central[b]].text):
                    near[(min(a, b), max(a, b))] = float(sims[r, b])
    chosen = sorted(near, key=lambda pair: (-near[pair], pair))[:most]
    if not chosen:
        return empty
    p = np.asarray(score([(central[a], central[b]) for a, b in chosen]), dtype=np.float32)
    counted = functools.cache(lambda i: counted_values(claims[i].text))
    out: dict[tuple[int, int], float] = {}
    for (a, b), s in zip(chosen, p.tolist()):
        if s < threshold:
            continue
        across = [(i, j) for i in members[a].tolist() for j in members[b].tolist()]
        if any(counted(i) and counted(j) and _clash(counted(i), counted(j)) for i, j in across):
            continue
        when = [period_relation(claims[i], claims[j], window_days=window_days) if window_days is not None
                else "unknown" for i, j in across]
        if "different-period" in when and "same-period" not in when:
            continue
        for (i, j), w in zip(across, when):
            if w != "different-period":
                key = (min(i, j), max(i, j))
                out[key] = max(out.get(key, 0.0), s)
    if not out:
        return empty
    keys = sorted(out)
    return np.array(keys, dtype=np.int64).reshape(-1, 2), np.array([out[key] for key in keys], dtype=np.float32)


def attach_support(claims: Sequence[Claim], clusters: Sequence[Cluster], same_fact, *,
                   threshold: float, window_days: int = 30) -> list[Claim]:
    """`claims` with `also_supports` filled (see `supported_clusters`); `supporters` lists a
    cluster's.

    `same_fact` is the same-fact scorer's output: an (n, n) matrix of p(same fact), or the
    pair form (pairs (m, 2), scores (m,)). A `threshold` of 1 or more turns support off.
    """
    if threshold >= 1.0 or not claims:
        return list(claims)
    if isinstance(same_fact, tuple):
        pairs, scores = same_fact
        scored = [(int(i), int(j), float(p)) for (i, j), p in zip(pairs, scores)]
    else:
        matrix = np.asarray(same_fact)
        rows, cols = np.nonzero(np.triu(matrix > 0, 1))
        scored = [(int(i), int(j), float(matrix[i, j])) for i, j in zip(rows, cols)]
    found = supported_clusters(claims, clusters, scored, threshold=threshold, window_days=window_days)
    return [dataclasses.replace(c, also_supports=found[c.id]) if c.id in found else c for c in claims]


def supporters(cluster: Cluster, claims: Sequence[Claim]) -> list[Claim]:
    """The claims of other clusters that also state `cluster`'s fact (`Claim.also_supports`)."""
    return [c for c in claims if cluster.id in c.also_supports]


def what_joins(members: Sequence[Claim], context: Sequence[str] = ()) -> dict[str, list[str]]:
    """The anchors that at least two documents of a cluster share: numbers, dates, rare words.

    Rare is judged against `context` (all claim texts of the analysis) when given.
    """
    by_doc: dict[str, set[str]] = {}
    rare = rare_words(context) if context else None
    for claim in members:
        a = anchors(claim.text)
        found = {f"n:{x}" for x in a.numbers} | {f"d:{x}" for x in a.dates} | \
                {f"w:{x}" for x in a.words if rare is None or x in rare}
        by_doc.setdefault(claim.doc_id, set()).update(found)
    counts = Counter(x for found in by_doc.values() for x in found)
    shared = sorted(x for x, n in counts.items() if n >= 2)
    return {"numbers": [x[2:] for x in shared if x.startswith("n:")],
            "dates": [x[2:] for x in shared if x.startswith("d:")],
            "words": [x[2:] for x in shared if x.startswith("w:")]}


def how_sure(joins: Mapping[str, Sequence[str]]) -> str:
    """"strong" when the documents share counts or dates and names, "medium" on three or more
    shared rare words, else "weak" (wording alone: read it)."""
    anchored = bool(joins["numbers"]) or bool(joins["dates"])
    if anchored and len(joins["words"]) >= 2:
        return "strong"
    if len(joins["words"]) >= 3 or (anchored and joins["words"]):
        return "medium"
    return "weak"


PHRASES = {
    "en": {"because": "One fact because the documents share ", "none": "The documents share no count, "
           "date or rare word: similar wording only, read it", "numbers": "numbers", "dates": "dates",
           "words": "words", "also": "also stated by {n} claim(s) of other clusters, not counted as origins",
           "strong": "strong", "medium": "medium", "weak": "weak", "sep": "; ", "comma": ", ",
           "year": "{v}", "month": "month {v}", "weekday": "weekday {v}"},
    "ar": {"because": "واقعة واحدة لأن المقالات تشترك في ", "none": "لا تشترك المقالات في رقم أو تاريخ "
           "أو كلمة نادرة: تشابه في الصياغة فقط، فاقرأها", "numbers": "أرقام", "dates": "تواريخ",
           "words": "كلمات", "also": "وتذكرها أيضاً {n} ادعاءات من مجموعات أخرى، غير محسوبة مصادرَ",
           "strong": "قوي", "medium": "متوسط", "weak": "ضعيف", "sep": "؛ ", "comma": "، ",
           "year": "{v}", "month": "الشهر {v}", "weekday": "اليوم {v} من الأسبوع"},
}


def surface(stem: str, texts: Sequence[str]) -> str:
    """The first word of `texts` whose content stem is `stem`, as the text spells it: a reader
    knows «الجنود», not the stem «جنود», and «ساعة», not «اع» or the folded «ساعه»; `stem`
    itself when none is found."""
    for text in texts:
        for token in tokens(text):
            if stem in content_stems(token):
                return as_written(text, token, whole=True) or token
    return stem


def cluster_evidence(cluster: Cluster, claims_by_id: Mapping[str, Claim], *, language: str = "en",
                     context: Sequence[str] = ()) -> str:
    """One report line: what makes `cluster` one fact and how sure, e.g. "One fact because the
    documents share numbers 12, 5; words «انفجار», «عقبه» (strong); also stated by 1 claim(s)
    of other clusters, not counted as origins"."""
    t = PHRASES.get(language, PHRASES["en"])
    members = [claims_by_id[i] for i in cluster.claim_ids]
    extra = supporters(cluster, list(claims_by_id.values()))
    joins = what_joins(members + extra, context)
    shown = {"numbers": joins["numbers"][:6],
             "dates": [t[d.split(":")[0]].format(v=d.split(":")[1]) for d in joins["dates"][:6]],
             "words": [f"«{surface(w, [c.text for c in members + extra])}»" for w in joins["words"][:6]]}
    parts = [f"{t[key]} {t['comma'].join(shown[key])}" for key in ("numbers", "dates", "words")
             if shown[key]]
    line = t["because"] + t["sep"].join(parts) if parts else t["none"]
    line += f" ({t[how_sure(joins)]})"
    if extra:
        line += t["sep"] + t["also"].format(n=len(extra))
    return line


def evidence_note(cluster: Cluster, claims_by_id: Mapping[str, Claim], *, language: str = "en") -> str:
    """" · " + `cluster_evidence` for a cluster of two or more independent origins, else ""."""
    if cluster.independent_sources < 2:
        return ""
    return " · " + cluster_evidence(cluster, claims_by_id, language=language,
                                    context=[c.text for c in claims_by_id.values()])
