"""Pairs for the news encoder: "the same fact in other words", each kind built, counted and chosen on its own.

Kinds (`KINDS`): SaudiNewsNet title and lead of one article (`snn-title`), the same story told
the same day by two outlets (`snn-story`, mined with the current encoder and checked by shared
names, places and numbers), agree rationale lines of one claim from two outlets (`baly`, folds
1–2 only), ANS paraphrases (`ans`), ArNLI and XNLI entailment (`arnli`, `xnli`). Baly fold 3,
ANS dev and ArNLI valid are never read here except by `eval_sets`: they are how a run is chosen.
How the SaudiNewsNet pairs are chosen and checked: docs/encoder.md.
"""

from __future__ import annotations

import json
import logging
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
from rapidfuzz import fuzz

from ..text.content import content_stems
from ..text.normalize import normalize_text
from ..text.numbers import is_year

log = logging.getLogger(__name__)

KINDS = ("snn-title", "snn-story", "baly", "ans", "arnli", "xnli")
KIND_HELP = {
    "snn-title": "SaudiNewsNet: an article's title and its lead sentence",
    "snn-story": "SaudiNewsNet: the leads of one story told the same day by two outlets (mined, checked)",
    "baly": "Baly folds 1-2: claims on agree rationale lines of one claim from two outlets",
    "ans": "ANS train: a headline and its paraphrase",
    "arnli": "ArNLI train (de-duplicated): entailment pairs",
    "xnli": "XNLI dev, the half the project trains on: entailment pairs",
}
TRAIN_FOLDS = (1, 2)
HELD_OUT_FOLDS = (3, 4, 5)     # 3: the set runs are chosen on; 4-5: withheld from everyone
# the SaudiNewsNet day whose clusters issue 18 reads by hand: kept out of training by default
HELD_DAYS = ("2015-08-10",)
COPY_RATIO = 88                # rapidfuzz ratio on normalised text: a reprint, not other words
MIN_LINE = 40                  # shorter claims are headings, bylines and captions: no pair or negative
MIN_TITLE = 15
# mean of title and lead cosines for two outlets' articles to be one story: in a read sample
# (docs/encoder.md) every pair under 0.905 was two stories or two facts, 20 of 22 above it one fact
STORY_FLOOR = 0.905
RARE_SHARE = 0.01              # a word in at most this share of a day's articles (or 3): a name, a place
MIN_SHARED = 2                 # rare words two leads of one story must share


@dataclass(frozen=True)
class Pair:
    """Two texts stating one fact, and texts that look close but state another (hard negatives)."""

    kind: str
    anchor: str
    positive: str
    negatives: tuple[str, ...] = ()
    group: str = ""            # one story, claim or premise: pairs of a group never share a batch
    source: str = ""           # where it came from, for reading a sample

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "negatives": list(self.negatives)}, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping) -> Pair:
        return cls(data["kind"], data["anchor"], data["positive"], tuple(data.get("negatives", ())),
                   data.get("group", ""), data.get("source", ""))


_PUNCT = re.compile(r"[^\w\s]+")


def _plain(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", normalize_text(text)).split())


def is_copy(a: str, b: str) -> bool:
    """Whether `b` repeats `a` near word for word: rapidfuzz ratio >= `COPY_RATIO` on
    normalised text without punctuation, or the shorter one is that close to a stretch of the
    longer (partial ratio: a relay that cut the dispatch short, a title that opens the lead)."""
    pa, pb = _plain(a), _plain(b)
    return fuzz.ratio(pa, pb) >= COPY_RATIO or fuzz.partial_ratio(pa, pb) >= COPY_RATIO


# --- SaudiNewsNet ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NewsArticle:
    id: str                    # "DAY/OUTLET/N" (N: its place in the day's file)
    day: str                   # the ZIP's day
    outlet: str                # the corpus's outlet id (okaz, was, ...)
    section: str | None        # from the URL (or SPA's title prefix) where the outlet puts one there
    url: str
    title: str
    text: str


def snn_days(data_dir: Path | str) -> list[str]:
    """The days SaudiNewsNet holds, in order."""
    return sorted(p.stem for p in (Path(data_dir) / "saudinewsnet").glob("*.zip"))


# the corpus's outlet ids, as the outlets name themselves in English
OUTLET_NAMES = {
    "aawsat": "Asharq Al-Awsat", "aleqtisadiya": "Al Eqtisadiya", "aljazirah": "Al Jazirah",
    "almadina": "Al Madina", "alriyadh": "Al Riyadh", "alwatan": "Al Watan", "alweeam": "Al Weeam",
    "alyaum": "Al Yaum", "arreyadi": "Arreyadi", "arriyadiyah": "Arriyadiyah", "okaz": "Okaz",
    "sabq": "Sabq", "was": "SPA", "3alyoum": "Ain Alyoum",
}


def pile_records(data_dir: Path | str, day: str) -> Iterator[dict]:
    """One day's articles with text, as `analyze` reads them from a `.jsonl` pile (text, title,
    outlet, published, url), in the file's order: line n of the pile is its n-th record here."""
    with zipfile.ZipFile(Path(data_dir) / "saudinewsnet" / f"{day}.zip") as z:
        records = json.loads(z.read(f"{day}.json").decode("utf-8"))
    for r in records:
        if not (r.get("content") or "").strip():
            continue
        yield {"text": r["content"], "title": r.get("title") or None,
               "outlet": OUTLET_NAMES.get(r["source"], r["source"]),
               "published": (r.get("date_extracted") or "")[:10] or None, "url": r.get("url") or None}


def write_pile(data_dir: Path | str, days: Sequence[str], out: Path) -> int:
    """Write the articles of `days` to the `.jsonl` pile `out`; returns the count."""
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for day in days:
            for record in pile_records(data_dir, day):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    return n


def split_day(data_dir: Path | str, day: str, settings) -> tuple[list, list]:
    """One SaudiNewsNet day's documents and the claims `analyze` keeps from them
    (`pipeline.split_pile` on the day's pile as `write_pile` writes it, so claim ids read
    c-DAY-LINE:START), nothing embedded."""
    import tempfile

    from ..pipeline import split_pile

    with tempfile.TemporaryDirectory() as tmp:
        pile = Path(tmp) / f"{day}.jsonl"
        write_pile(data_dir, [day], pile)
        return split_pile(pile, settings)


_ALJAZIRAH = re.compile(r"^([a-z]+)\d+\.htm")


def url_section(outlet: str, url: str, title: str = "") -> str | None:
    """The desk an article came from, where its outlet says so: the URL's section folder
    (Ain Alyoum `news/local`, Al Watan `Politics`), Al Jazirah's file prefix (`ln54.htm`:
    local news), SPA's title prefix («اقتصادي / ...»); None for outlets whose URLs hold only ids."""
    parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
    if outlet == "3alyoum" and len(parts) >= 2:
        return "/".join(parts[:2])
    if outlet == "alwatan" and parts:
        return parts[0]
    if outlet == "aljazirah" and parts:
        m = _ALJAZIRAH.match(parts[-1])
        return m.group(1) if m else None
    if outlet == "was" and " / " in title:
        return title.split(" / ", 1)[0].strip()
    return None


def read_day(data_dir: Path | str, day: str) -> list[NewsArticle]:
    """One day's articles with a title and a body, in the file's order."""
    path = Path(data_dir) / "saudinewsnet" / f"{day}.zip"
    with zipfile.ZipFile(path) as z:
        records = json.loads(z.read(f"{day}.json").decode("utf-8"))
    out = []
    for n, r in enumerate(records):
        title, text = (r.get("title") or "").strip(), r.get("content") or ""
        if not title or not text.strip():
            continue
        outlet, url = r.get("source") or "", r.get("url") or ""
        out.append(NewsArticle(f"{day}/{outlet}/{n}", day, outlet, url_section(outlet, url, title),
                               url, title, text))
    return out


def article_claims(article: NewsArticle) -> tuple[str, ...]:
    """The claims `analyze` would take from an article's body, in order (its lead first)."""
    from ..claims import split_claims
    from ..model import Document

    return tuple(c.text for c in split_claims(Document(id=article.id, text=article.text, title=article.title)))


def _title(article: NewsArticle) -> str:
    # SPA titles carry their desk as a prefix («عام / مهرجان تمور بريدة ...»)
    return article.title.split(" / ", 1)[1].strip() if article.outlet == "was" and " / " in article.title \
        else article.title


def _rare_anchors(texts: Sequence[str], share: float) -> list[frozenset[str]]:
    """Per text, its content stems (numbers included, years not) found in at most `share` of
    `texts` (or 3): names, places and counts of one event, not the day's common words."""
    bags = [frozenset(w for w in content_stems(t) if not is_year(w)) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    limit = max(3, int(share * len(bags)))
    return [frozenset(w for w in bag if df[w] <= limit) for bag in bags]


def _numbers(bag: Iterable[str]) -> set[str]:
    return {w for w in bag if w[:1].isdigit()}


@dataclass
class DayPairs:
    """What one SaudiNewsNet day gave: pairs per kind, and why candidate stories were turned down."""

    pairs: dict[str, list[Pair]]
    stats: Counter


def day_pairs(articles: Sequence[NewsArticle], encoder=None, *, kinds: Sequence[str] = ("snn-title", "snn-story"),
              negatives: bool = True, floor: float = STORY_FLOOR, rare_share: float = RARE_SHARE,
              min_shared: int = MIN_SHARED, max_per_story: int = 3) -> DayPairs:
    """Title-lead and cross-outlet story pairs of one day's `articles`; a pair's group is the
    set of the day's articles joined to its own by s >= `floor` (with an encoder).

    Story pairs: for two articles of different outlets, s = mean of the cosines of their
    titles and of their leads (the encoder's vectors). A pair is a candidate when each is the
    other's best match in the other's outlet and s >= `floor`; it is kept when the two
    title+lead texts share at least `min_shared` rare content words (names, places, counts:
    `_rare_anchors`), the leads share a count when both give counts (years aside: «16 غارة»
    and «19 غارة» are two days' strikes), and the leads are not near-verbatim copies
    (`COPY_RATIO`: a relayed wire dispatch says nothing "in other words"). At most
    `max_per_story` pairs per story (per group).

    Hard negatives (with an encoder and `negatives`): another story of the same day and
    section (its lead), the most similar one that is not the same story (s below `floor`
    and fewer than `min_shared` rare words shared, with both articles of a pair); for story pairs also
    another fact of the same story: a later claim of the partner's article that shares no
    count with the anchor, is no near copy of it (token set ratio < 60) and holds less than
    half its content words, the one sharing most of them.
    """
    stats: Counter = Counter(articles=len(articles))
    claims = [article_claims(a) for a in articles]
    keep = [i for i, c in enumerate(claims) if c and len(_title(articles[i])) >= MIN_TITLE]
    stats["with_lead"] = len(keep)
    arts = [articles[i] for i in keep]
    claims = [claims[i] for i in keep]
    titles, leads = [_title(a) for a in arts], [c[0] for c in claims]
    out: dict[str, list[Pair]] = {k: [] for k in kinds}
    if not arts:
        return DayPairs(out, stats)
    rare = _rare_anchors([f"{t} {lead}" for t, lead in zip(titles, leads)], rare_share)
    counts_of = [{w for w in _numbers(content_stems(lead)) if not is_year(w)} for lead in leads]
    sims = None
    if encoder is not None and (negatives or "snn-story" in kinds):
        vt, vl = encoder.encode(titles), encoder.encode(leads)
        sims = (vt @ vt.T + vl @ vl.T) / 2
        np.fill_diagonal(sims, -1.0)
    # one group per set of articles joined by s >= floor (a story, its wire copies), so that no
    # batch takes two of them as each other's negatives; at 0.905 the largest is ~10 articles
    story_of = list(range(len(arts)))

    def root(i: int) -> int:
        while story_of[i] != i:
            story_of[i] = story_of[story_of[i]]
            i = story_of[i]
        return i

    if sims is not None:
        for i, j in zip(*np.nonzero(np.triu(sims >= floor, 1))):
            story_of[root(int(i))] = root(int(j))

    stories: list[tuple[int, int, float]] = []
    if "snn-story" in kinds and sims is not None:
        outlets = np.array([a.outlet for a in arts])
        best: dict[tuple[int, str], int] = {}
        for o in sorted(set(outlets)):
            cols = np.nonzero(outlets == o)[0]
            picks = cols[np.argmax(sims[:, cols], axis=1)]
            for i, j in enumerate(picks):
                if outlets[i] != o:
                    best[(i, o)] = int(j)
        for (i, o), j in sorted(best.items()):
            if i >= j or best.get((j, arts[i].outlet)) != i or sims[i, j] < floor:
                continue
            stats["candidates"] += 1
            shared = rare[i] & rare[j]
            ni, nj = counts_of[i], counts_of[j]
            if is_copy(leads[i], leads[j]):
                stats["verbatim"] += 1
            elif len(shared) < min_shared:
                stats["few_shared_words"] += 1
            elif ni and nj and not ni & nj:
                stats["numbers_differ"] += 1
            else:
                stories.append((i, j, float(sims[i, j])))
    desk = np.array([f"{a.outlet}/{a.section}" for a in arts])

    def other_story(i: int, j: int | None = None) -> str | None:
        if sims is None or not negatives:
            return None
        a = arts[i]
        below = sims[i] < floor
        if j is not None:
            below &= sims[j] < floor
        if a.section is not None:
            below &= desk == desk[i]
        for k in np.nonzero(below)[0][np.argsort(-sims[i, below], kind="stable")]:
            k = int(k)
            if k not in (i, j) and root(k) != root(i) and len(rare[i] & rare[k]) < min_shared \
                    and (j is None or len(rare[j] & rare[k]) < min_shared) and not is_copy(leads[k], leads[i]):
                return leads[k]
        return None

    def other_fact(i: int, j: int) -> str | None:
        lead, words = leads[i], content_stems(leads[i])
        nums = _numbers(words) - {w for w in words if is_year(w)}
        best_c, best_n = None, -1
        for c in claims[j][1:]:
            cw = content_stems(c)
            n = len(words & cw)
            if len(c) < MIN_LINE or nums & cw or fuzz.token_set_ratio(normalize_text(lead), normalize_text(c)) >= 60 \
                    or n * 2 >= max(len(words), 1):
                continue
            if n > best_n:
                best_c, best_n = c, n
        return best_c

    if "snn-title" in kinds:
        for i, a in enumerate(arts):
            if is_copy(titles[i], leads[i]):
                stats["title_copies_lead"] += 1
                continue
            neg = other_story(i)
            out["snn-title"].append(Pair("snn-title", titles[i], leads[i], (neg,) if neg else (),
                                         f"snn:{a.day}:{root(i)}" if sims is not None else f"snn:{a.id}",
                                         f"{a.id} {a.url}"))
    per_story: Counter = Counter()
    for i, j, s in sorted(stories, key=lambda x: -x[2]):
        story = root(i)
        if per_story[story] >= max_per_story:
            stats["over_story_cap"] += 1
            continue
        per_story[story] += 1
        negs = tuple(n for n in (other_story(i, j), other_fact(i, j) if negatives else None) if n)
        shared = sorted(rare[i] & rare[j])
        out["snn-story"].append(Pair(
            "snn-story", leads[i], leads[j], negs, f"snn:{arts[i].day}:{story}",
            f"{arts[i].id} ↔ {arts[j].id} · s {s:.3f} · shared {', '.join(shared[:8])}"))
    stats["stories"] = len(per_story)
    for k, v in out.items():
        stats[k] = len(v)
    return DayPairs(out, stats)


def snn_pairs(data_dir: Path | str, days: Sequence[str] | None = None, encoder=None, *,
              kinds: Sequence[str] = ("snn-title", "snn-story"), per_day: int | None = None,
              negatives: bool = True, seed: int = 42, progress: Callable[[str], None] | None = None,
              **options) -> DayPairs:
    """`day_pairs` over `days` (default: every day but `HELD_DAYS`); `per_day` articles
    drawn at random (seeded) from each day when given (quick runs)."""
    days = list(days) if days else [d for d in snn_days(data_dir) if d not in HELD_DAYS]
    out: dict[str, list[Pair]] = {k: [] for k in kinds}
    stats: Counter = Counter()
    for n, day in enumerate(days, 1):
        articles = read_day(data_dir, day)
        if per_day and len(articles) > per_day:
            picked = sorted(random.Random(f"{seed}:{day}").sample(range(len(articles)), per_day))
            articles = [articles[i] for i in picked]
        got = day_pairs(articles, encoder, kinds=kinds, negatives=negatives, **options)
        for k, v in got.pairs.items():
            out[k].extend(v)
        stats.update(got.stats)
        if progress:
            progress(f"[{n}/{len(days)}] {day}: " + ", ".join(f"{k} {len(v)}" for k, v in got.pairs.items()))
    return DayPairs(out, stats)


# --- Baly et al.: rationale lines of one claim ------------------------------------------------

def _check_folds(folds: Iterable[int]) -> tuple[int, ...]:
    folds = tuple(int(f) for f in folds)
    held = sorted(set(folds) & set(HELD_OUT_FOLDS))
    if held:
        raise ValueError(f"Baly fold(s) {held} are held out (3: the choice set, 4-5: withheld); "
                         f"train on folds {TRAIN_FOLDS} only")
    return folds


@dataclass(frozen=True)
class LineClaim:
    """A claim of a Baly corpus article, with the line it starts on."""

    outlet: str
    doc_id: str
    line: int
    text: str
    rationale: bool              # its line carries the article's stance
    stance: str


def line_claims(corpus) -> list[LineClaim]:
    """The claims `split_claims` takes from each article of a corpus, with their lines.

    Baly's rationale lines are paragraphs (some hold a page's furniture and half the article
    on one line); the encoder meets claims, so pairs are made of claims.
    """
    from bisect import bisect_right

    from ..claims import split_claims
    from ..model import Document
    from .e2e import line_spans

    out = []
    for a in corpus.articles:
        starts = [s for s, _ in line_spans(a.text)]
        for c in split_claims(Document(id=a.doc_id, text=a.text)):
            n = bisect_right(starts, c.start) - 1
            out.append(LineClaim(a.outlet, a.doc_id, n, c.text, n in a.rationale, a.stance))
    return out


def agree_claims(corpus, claims: Sequence[LineClaim]) -> list[LineClaim]:
    """Per agree rationale line, the claim on it that shares most content words with the
    corpus's claim (the line's statement of it; lines whose claims share none are left out)."""
    target = content_stems(corpus.claim)
    best: dict[tuple[str, int], tuple[int, LineClaim]] = {}
    for c in claims:
        if c.stance != "agree" or not c.rationale or len(c.text) < MIN_LINE:
            continue
        n = len(content_stems(c.text) & target)
        key = (c.doc_id, c.line)
        if n and (key not in best or n > best[key][0]):
            best[key] = (n, c)
    return [c for _, c in sorted(best.values(), key=lambda x: (x[1].doc_id, x[1].line))]


def other_claims(corpus, claims: Sequence[LineClaim], avoid: Sequence[str] = (), *,
                 share: float = 1 / 3) -> list[LineClaim]:
    """Claims of `MIN_LINE`+ characters on no rationale line that restate neither the corpus's
    claim nor any text of `avoid` (they hold less than `share` of its content words): Baly
    marks only some lines, so an unmarked restatement would be a false negative. Each text once."""
    guards = [g for g in (content_stems(t) for t in (corpus.claim, *avoid)) if g]
    out, seen = [], set()
    for c in claims:
        if c.rationale or len(c.text) < MIN_LINE or c.text in seen:
            continue
        words = content_stems(c.text)
        if any(len(words & g) >= share * len(g) for g in guards):
            continue
        seen.add(c.text)
        out.append(c)
    return out


def baly_pairs(data_dir: Path | str, folds: Sequence[int] = TRAIN_FOLDS, *, negatives: bool = True) -> list[Pair]:
    """Claims on agree rationale lines of one claim's corpus from two outlets (`agree_claims`,
    no near copies of each other). The hard negative: the claim of an article labelled
    unrelated, of another outlet, that restates no agree claim (`other_claims`) and shares
    most content words with the anchor. Only folds 1-2: `ValueError` for others."""
    from .e2e import load_corpora

    out = []
    for corpus in load_corpora(data_dir, _check_folds(folds)):
        claims = line_claims(corpus)
        agree = agree_claims(corpus, claims)
        # negatives from articles labelled unrelated only: other stories the claim's search
        # found, near in topic; another fact of the story (an unmarked line) too often restated it
        pool = [c for c in other_claims(corpus, claims, [c.text for c in agree]) if c.stance == "unrelated"] \
            if negatives else []
        for a, b in combinations(agree, 2):
            if a.outlet == b.outlet or is_copy(a.text, b.text):
                continue
            negs: tuple[str, ...] = ()
            words = content_stems(a.text)
            others = [c for c in pool if c.outlet != a.outlet]
            if others:
                negs = (max(others, key=lambda c: len(content_stems(c.text) & words)).text,)
            out.append(Pair("baly", a.text, b.text, negs, f"baly:{corpus.claim_id}",
                            f"{corpus.claim_id} (fold {corpus.fold}) {a.doc_id}:{a.line} {a.outlet} ↔ "
                            f"{b.doc_id}:{b.line} {b.outlet}"))
    return out


# --- ANS, ArNLI, XNLI -------------------------------------------------------------------------

def labelled_pairs(df, kind: str, *, negatives: bool = True) -> list[Pair]:
    """Agree (paraphrase, entailment) rows of a relation frame (s1, s2, label) as pairs; with
    `negatives`, a disagree (contradiction) s2 of the same s1, when there is one, as the hard
    negative. One group per s1."""
    contra: dict[str, str] = {}
    for s1, s2, label in zip(df.s1, df.s2, df.label):
        if label == "disagree":
            contra.setdefault(s1, s2)
    out = []
    for n, (s1, s2, label) in enumerate(zip(df.s1, df.s2, df.label)):
        if label != "agree" or s1 == s2:
            continue
        neg = (contra[s1],) if negatives and s1 in contra else ()
        row = df["id"].iloc[n] if "id" in df.columns else n
        out.append(Pair(kind, s1, s2, neg, f"{kind}:{normalize_text(s1)}", f"{kind} {row}"))
    return out


def ans_pairs(data_dir: Path | str, *, negatives: bool = True) -> list[Pair]:
    """ANS train: a headline and its paraphrase (its contradiction as the hard negative)."""
    from .datasets import load_ans

    return labelled_pairs(load_ans(data_dir, "train"), "ans", negatives=negatives)


def arnli_pairs(data_dir: Path | str, *, negatives: bool = True) -> list[Pair]:
    """ArNLI train, de-duplicated: entailment pairs (a contradiction of the premise as the hard negative)."""
    from .datasets import load_arnli

    return labelled_pairs(load_arnli(data_dir, "train"), "arnli", negatives=negatives)


def xnli_pairs(data_dir: Path | str, *, negatives: bool = True) -> list[Pair]:
    """The half of XNLI dev the project trains on: entailment pairs (the contradiction as the hard negative)."""
    from .datasets import load_xnli

    return labelled_pairs(load_xnli(data_dir, "train"), "xnli", negatives=negatives)


# --- all kinds --------------------------------------------------------------------------------

def parse_kinds(text: str) -> tuple[str, ...]:
    """"snn-title,baly" -> ("snn-title", "baly"); "all" -> KINDS."""
    if text.strip() == "all":
        return KINDS
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise ValueError(f"unknown pair kind(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(KINDS)} or all")
    return kinds


def build_pairs(data_dir: Path | str, kinds: Sequence[str] = KINDS, *, encoder=None,
                days: Sequence[str] | None = None, per_day: int | None = None, limit: int | None = None,
                negatives: bool = True, seed: int = 42,
                progress: Callable[[str], None] | None = None) -> tuple[dict[str, list[Pair]], dict]:
    """kind -> pairs for each of `kinds`, at most `limit` per kind (a seeded sample), and the
    SaudiNewsNet mining counts. `encoder` embeds SaudiNewsNet titles and leads (story mining
    and hard negatives); without one, `snn-story` is empty and title pairs have no negatives."""
    kinds = parse_kinds(",".join(kinds))
    out: dict[str, list[Pair]] = {}
    stats: dict = {}
    snn = [k for k in kinds if k.startswith("snn-")]
    if snn:
        got = snn_pairs(data_dir, days, encoder, kinds=snn, per_day=per_day, negatives=negatives, seed=seed,
                        progress=progress)
        out.update(got.pairs)
        stats = dict(got.stats)
    builders = {"baly": baly_pairs, "ans": ans_pairs, "arnli": arnli_pairs, "xnli": xnli_pairs}
    for kind in kinds:
        if kind in builders:
            out[kind] = builders[kind](data_dir, negatives=negatives)
    if limit:
        for kind, pairs in out.items():
            if len(pairs) > limit:
                keep = sorted(random.Random(f"{seed}:{kind}").sample(range(len(pairs)), limit))
                out[kind] = [pairs[i] for i in keep]
    return {k: out[k] for k in kinds}, stats


def counts(pairs: Mapping[str, Sequence[Pair]]) -> dict[str, dict[str, int]]:
    """Per kind: pairs, those with a hard negative, and groups (stories, claims, premises)."""
    return {k: {"pairs": len(v), "with_negatives": sum(1 for p in v if p.negatives),
                "groups": len({p.group for p in v})} for k, v in pairs.items()}


def write_pairs(pairs: Mapping[str, Sequence[Pair]], path: Path | str) -> Path:
    """One JSON object a line (`Pair` fields), kinds in order."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for v in pairs.values():
            fh.writelines(p.to_json() + "\n" for p in v)
    return path


def read_pairs(path: Path | str, kinds: Sequence[str] | None = None) -> dict[str, list[Pair]]:
    """Pairs written by `write_pairs`, by kind (only `kinds` when given, in that order)."""
    out: dict[str, list[Pair]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                p = Pair.from_dict(json.loads(line))
                out.setdefault(p.kind, []).append(p)
    if kinds:
        return {k: out.get(k, []) for k in kinds}
    return out


def sample(pairs: Sequence[Pair], n: int, *, seed: int = 42) -> list[Pair]:
    """`n` pairs drawn at random (seeded), in their original order."""
    keep = sorted(random.Random(seed).sample(range(len(pairs)), min(n, len(pairs))))
    return [pairs[i] for i in keep]


def describe(pair: Pair, number: int | None = None) -> str:
    """A pair as a reader checks it: where from, the two texts, the hard negatives."""
    head = f"## {number}. {pair.kind}" if number is not None else f"## {pair.kind}"
    lines = [head, f"source: {pair.source}", f"A: {pair.anchor}", f"B: {pair.positive}"]
    lines += [f"not: {n}" for n in pair.negatives]
    return "\n".join(lines) + "\n"


# --- the held-out sets a run is chosen on -----------------------------------------------------

def baly_eval_pairs(data_dir: Path | str, folds: Sequence[int] = (3,), *, per_claim: int = 5,
                    seed: int = 42) -> tuple[list[str], list[str], np.ndarray]:
    """Same-fact pairs of Baly's choice fold: claims on agree rationale lines of two outlets
    (`agree_claims`, 1) against each such claim with up to `per_claim` claims of other outlets
    of its corpus that restate no agree claim (`other_claims`, 0)."""
    from .e2e import load_corpora

    s1, s2, y = [], [], []
    rng = random.Random(seed)
    for corpus in load_corpora(data_dir, folds):
        claims = line_claims(corpus)
        agree = agree_claims(corpus, claims)
        for a, b in combinations(agree, 2):
            if a.outlet != b.outlet:
                s1.append(a.text)
                s2.append(b.text)
                y.append(1)
        pool = other_claims(corpus, claims, [c.text for c in agree])
        for a in agree:
            others = [c.text for c in pool if c.outlet != a.outlet]
            for other in rng.sample(others, min(per_claim, len(others))):
                s1.append(a.text)
                s2.append(other)
                y.append(0)
    return s1, s2, np.array(y, dtype=np.int8)


def eval_sets(data_dir: Path | str, *, limit: int | None = None,
              seed: int = 42) -> dict[str, tuple[list[str], list[str], np.ndarray]]:
    """name -> (s1, s2, same fact 0/1): Baly fold 3 claims (`baly_eval_pairs`), ANS dev (agree
    vs disagree/other), ArNLI valid de-duplicated (entailment vs the rest); `limit` pairs of
    each at most (a seeded sample, quick runs)."""
    from .datasets import load_ans, load_arnli

    sets = {"baly_fold3": baly_eval_pairs(data_dir, seed=seed)}
    for name, df in (("ans_dev", load_ans(data_dir, "dev")), ("arnli_valid", load_arnli(data_dir, "valid"))):
        sets[name] = (df.s1.tolist(), df.s2.tolist(), (df.label == "agree").to_numpy().astype(np.int8))
    if limit:
        for name, (a, b, y) in sets.items():
            if len(y) > limit:
                keep = sorted(random.Random(f"{seed}:{name}").sample(range(len(y)), limit))
                sets[name] = ([a[i] for i in keep], [b[i] for i in keep], y[keep])
    return sets
