import dataclasses
import json
import random

import pytest

from corroborate.report.markdown import to_markdown
from corroborate.report.review_marks import WORDS
from corroborate.review import decisions as build
from corroborate.review.apply import apply_decisions, report_marks
from corroborate.review.decisions import Decision, DecisionError
from corroborate.review.exports import claimreview, pair_labels

from .test_review_support import (
    ARTICLES,
    GROUPS,
    build_analysis,
    claim_ref,
    partitions,
    story_desk,
    with_new_article,
)


class Desk:
    """Decisions recorded one after another against the view they were made on, as the store does."""

    def __init__(self, analysis):
        self.analysis, self.log = analysis, []
        self.docs = {d.id: d for d in analysis.documents}

    def view(self, analysis=None):
        return apply_decisions(analysis or self.analysis, self.log)

    def do(self, make, *args, **kwargs):
        draft = make(self.log if make is build.undo else self.view(), *args, reviewer="huda", **kwargs)
        self.log.append(dataclasses.replace(draft, id=len(self.log) + 1, created_at="2024-02-10T09:00:00+00:00"))
        return self.log[-1]

    def ref(self, doc_id, index):
        return claim_ref(self.docs, doc_id, index)


@pytest.fixture
def desk():
    return Desk(build_analysis())


def status_of(view, decision):
    return next(o for o in view.outcomes if o.decision.id == decision.id)


def test_rejected_claim_becomes_its_own_cluster_and_stays_out_after_new_articles(desk):
    rejected = desk.ref("c_asharq", 0)
    decision = desk.do(build.reject, rejected)
    for view in (desk.view(), desk.view(with_new_article())):
        assert view.cluster(view.cluster_of[rejected]).claim_ids == (rejected,)
        assert view.cluster_of[desk.ref("a_reuters", 0)] != view.cluster_of[rejected]
        assert status_of(view, decision).status == "applied"
        assert partitions(view.analysis)


def test_merge_stays_merged_when_a_new_claim_joins_one_side(desk):
    first, second = desk.analysis.clusters[1], desk.analysis.clusters[2]
    desk.do(build.merge, [first.id, second.id])
    view = desk.view(with_new_article())
    newcomer = claim_ref({d.id: d for d in view.analysis.documents}, "d_arabiya", 1)
    merged = view.cluster(view.cluster_of[first.claim_ids[0]])
    assert set(merged.claim_ids) == {*first.claim_ids, *second.claim_ids, newcomer}
    assert merged.id not in (first.id, second.id)
    assert partitions(view.analysis)


def test_split_stays_split_when_the_next_run_groups_the_claims_again(desk):
    cluster = desk.analysis.clusters[0]
    moved = desk.ref("b_jazeera", 0)
    desk.do(build.split, cluster.id, [moved])
    view = desk.view()
    assert view.cluster(view.cluster_of[moved]).claim_ids == (moved,)
    again = desk.view(with_new_article())            # the model still puts all four together
    assert again.cluster(again.cluster_of[moved]).claim_ids == (moved,)
    assert len(again.cluster(again.cluster_of[desk.ref("a_reuters", 0)]).claim_ids) == 3


def test_confirmed_claim_is_kept_with_its_cluster_when_the_model_moves_it(desk):
    kept = desk.ref("c_asharq", 1)
    desk.do(build.confirm, kept)
    regrouped = build_analysis(groups=[GROUPS[0], [("a_reuters", 1)], GROUPS[2]])
    view = desk.view(regrouped)
    assert view.cluster_of[kept] == view.cluster_of[desk.ref("a_reuters", 1)]
    assert partitions(view.analysis)


def test_verdict_follows_its_cluster_to_a_new_id_and_says_it_changed(desk):
    cluster = desk.analysis.clusters[0]
    desk.do(build.verdict, cluster.id, "false", note="نفت الوزارة ذلك")
    assert desk.view().verdicts[cluster.id].inherited_from is None
    view = desk.view(with_new_article())
    home = view.cluster_of[cluster.claim_ids[0]]
    assert home != cluster.id
    verdict = view.verdicts[home]
    assert (verdict.rating, verdict.note, verdict.inherited_from) == ("false", "نفت الوزارة ذلك", cluster.id)


def test_merged_cluster_inherits_the_verdict_of_the_cluster_most_of_its_claims_came_from(desk):
    big, small = desk.analysis.clusters[0], desk.analysis.clusters[1]
    on_big = desk.do(build.verdict, big.id, "true")
    on_small = desk.do(build.verdict, small.id, "false")
    desk.do(build.merge, [big.id, small.id])
    view = desk.view()
    merged = view.cluster_of[big.claim_ids[0]]
    assert view.verdicts[merged].decision_id == on_big.id
    assert status_of(view, on_small).status == "superseded"


def test_not_a_conflict_removes_it_and_the_cluster_is_no_longer_conflicted(desk):
    conflict = desk.analysis.conflicts[0]
    desk.do(build.mark_conflict, conflict.claim_a, conflict.claim_b, real=False)
    view = desk.view()
    assert view.analysis.conflicts == () and view.dismissed == (conflict,)
    assert view.cluster(view.cluster_of[conflict.claim_a]).status == "corroborated"


def test_a_real_conflict_is_added_back_when_the_next_run_misses_it(desk):
    conflict = desk.analysis.conflicts[0]
    desk.do(build.mark_conflict, conflict.claim_a, conflict.claim_b, real=True, note="3 أم 5؟")
    view = desk.view(build_analysis(conflicts=[]))
    [again] = view.analysis.conflicts
    assert {again.claim_a, again.claim_b} == {conflict.claim_a, conflict.claim_b}
    assert again.explanation.startswith("marked real by huda")
    assert view.cluster(view.cluster_of[conflict.claim_a]).status == "conflicted"


def test_a_conflict_added_back_keeps_its_kind_and_who_says_each_side():
    desk = Desk(story_desk())
    denial = next(x for x in desk.analysis.conflicts if x.kind == "denial")
    desk.do(build.mark_conflict, denial.claim_b, denial.claim_a, real=True)     # either order
    [again] = [x for x in desk.view(dataclasses.replace(desk.analysis, conflicts=())).analysis.conflicts]
    assert (again.claim_a, again.claim_b) == (denial.claim_a, denial.claim_b)
    assert (again.kind, again.said_by) == ("denial", denial.said_by)


def test_stories_follow_the_reviewed_clusters():
    desk = Desk(story_desk())
    before = desk.analysis.stories
    iran, floods = (next(s for s in before if d in s.doc_ids) for d in ("g_iran", "j_floods"))
    visit = desk.view().cluster_of[desk.ref("g_iran", 0)]
    desk.do(build.merge, [visit, desk.view().cluster_of[desk.ref("j_floods", 0)]])
    view = desk.view()
    merged = view.cluster(view.cluster_of[desk.ref("g_iran", 0)])
    assert merged.story == iran.id                                  # two of its three documents are in it
    stories = {s.id: s for s in view.analysis.stories}
    assert merged.id in stories[iran.id].cluster_ids and visit not in stories[iran.id].cluster_ids
    assert "Okaz" in stories[iran.id].origins
    assert len(stories[floods.id].cluster_ids) == 1 and stories[floods.id].origins == ("Okaz",)
    # every fact in the story it names, and only there; the untouched story is the pipeline's own
    held = {k: s.id for s in view.analysis.stories for k in s.cluster_ids}
    assert held == {k.id: k.story for k in view.analysis.clusters}
    qaani = next(s for s in before if "a_reuters" in s.doc_ids)
    assert stories[qaani.id] is qaani
    report = json.loads(view.analysis.to_json())
    assert {k for s in report["stories"] for k in s["cluster_ids"]} == {k["id"] for k in report["clusters"]}


def test_undone_decision_no_longer_applies_but_stays_in_the_log(desk):
    reject = desk.do(build.reject, desk.ref("c_asharq", 0))
    desk.do(build.undo)
    view = desk.view()
    assert view.analysis.clusters == desk.analysis.clusters
    assert [o.status for o in view.outcomes] == ["undone", "applied"]
    with pytest.raises(DecisionError, match="already undone"):
        build.undo(desk.log, reject.id, reviewer="huda")


def test_decisions_on_vanished_claims_are_orphaned_then_apply_again_when_they_return(desk):
    cluster = desk.analysis.clusters[0]
    verdict = desk.do(build.verdict, cluster.id, "mixed")
    reject = desk.do(build.reject, desk.ref("b_jazeera", 0))
    withdrawn = {k: v for k, v in ARTICLES.items() if k != "b_jazeera"}    # the outlet took it down
    view = desk.view(build_analysis(withdrawn))
    assert status_of(view, reject).status == "orphaned"
    assert "is not in this run" in status_of(view, reject).detail
    assert status_of(view, verdict).status == "applied"
    assert [o.decision.id for o in view.orphaned] == [reject.id]
    assert [m.summary for m in report_marks(view).orphaned] == [reject.summary()]
    back = desk.view()
    assert status_of(back, reject).status == "applied"


def test_every_decision_is_applied_or_listed_after_articles_are_added(desk):
    desk.do(build.verdict, desk.analysis.clusters[0].id, "true")
    desk.do(build.split, desk.analysis.clusters[0].id, [desk.ref("c_asharq", 0)])
    desk.do(build.confirm, desk.ref("a_reuters", 1))
    conflict = desk.analysis.conflicts[0]
    desk.do(build.mark_conflict, conflict.claim_a, conflict.claim_b, real=True)
    view = desk.view(with_new_article())
    assert [o.decision.id for o in view.outcomes] == [d.id for d in desk.log]
    assert {o.status for o in view.outcomes} <= {"applied", "orphaned"}
    assert partitions(view.analysis)


def test_random_decision_streams_keep_the_clusters_a_partition():
    rng = random.Random(42)
    base = build_analysis()
    for _ in range(30):
        desk = Desk(base)
        for _ in range(12):
            view = desk.view()
            clusters = view.analysis.clusters
            claim = rng.choice(view.analysis.claims).id
            choice = rng.choice(["confirm", "reject", "merge", "split", "verdict"])
            try:
                if choice == "merge":
                    desk.do(build.merge, [k.id for k in rng.sample(clusters, 2)])
                elif choice == "split":
                    k = view.cluster(view.cluster_of[claim])
                    desk.do(build.split, k.id, [claim])
                elif choice == "verdict":
                    desk.do(build.verdict, view.cluster_of[claim], "mixed")
                else:
                    desk.do(getattr(build, choice), claim)
            except DecisionError:
                continue
        for analysis in (base, with_new_article()):
            view = desk.view(analysis)
            assert partitions(view.analysis)
            assert set(view.verdicts) <= {k.id for k in view.analysis.clusters}


@pytest.mark.slow            # a second pipeline run (3 seed articles) beside the session's
def test_decisions_made_on_three_seed_articles_hold_after_the_other_two_are_added(seed_docs, seed_analysis):
    from corroborate.pipeline import analyze

    first = analyze(seed_docs[:3])
    desk = Desk(first)
    multi = [k for k in first.clusters if len(k.claim_ids) > 1]
    singles = [k for k in first.clusters if len(k.claim_ids) == 1]
    desk.do(build.verdict, first.clusters[0].id, "mostly-true", note="تؤكده مصادر مستقلة")
    desk.do(build.merge, [singles[0].id, singles[1].id])
    if multi:
        desk.do(build.reject, multi[0].claim_ids[-1])
    if first.conflicts:
        desk.do(build.mark_conflict, first.conflicts[0].claim_a, first.conflicts[0].claim_b, real=False)
    view = desk.view(seed_analysis)
    assert {o.status for o in view.outcomes} <= {"applied", "orphaned"}
    assert len(view.outcomes) == len(desk.log)
    assert partitions(view.analysis)
    merged = view.cluster_of[singles[0].claim_ids[0]]
    assert merged == view.cluster_of[singles[1].claim_ids[0]]
    assert len(view.verdicts) == 1


def test_export_pair_labels_follow_the_shared_data_conventions(desk):
    a, b = desk.analysis.clusters[1], desk.analysis.clusters[2]
    desk.do(build.merge, [a.id, b.id])
    rejected = desk.ref("c_asharq", 0)
    desk.do(build.reject, rejected)
    conflict = desk.analysis.conflicts[0]
    desk.do(build.mark_conflict, conflict.claim_a, conflict.claim_b, real=True)
    labels = {pair: label for pair, (label, _d) in pair_labels(desk.log).items()}
    assert labels[tuple(sorted((a.claim_ids[0], b.claim_ids[0])))] == "agree"
    assert labels[tuple(sorted((rejected, desk.ref("a_reuters", 0))))] == "other"
    assert labels[tuple(sorted((conflict.claim_a, conflict.claim_b)))] == "disagree"
    assert set(labels.values()) == {"agree", "other", "disagree"}


def test_claimreview_carries_the_verdict_note_and_each_appearance(desk):
    cluster = desk.analysis.clusters[0]
    desk.do(build.verdict, cluster.id, "false", note="نفت الوزارة ذلك")
    [item] = claimreview(desk.view(), publisher="Desk", url=lambda k: f"https://desk.example/{k}")
    assert item["@type"] == "ClaimReview" and item["@context"] == "https://schema.org"
    assert item["reviewRating"]["ratingValue"] == 1 and item["reviewRating"]["alternateName"] == "False"
    assert item["reviewBody"] == "نفت الوزارة ذلك" and item["url"] == f"https://desk.example/{cluster.id}"
    outlets = [a["publisher"]["name"] for a in item["itemReviewed"]["appearance"]]
    assert outlets == ["Reuters", "Al Jazeera", "Asharq Al-Awsat"]


def test_decision_errors_say_what_to_do(desk):
    with pytest.raises(DecisionError, match="review list"):
        build.verdict(desk.view(), "k-000000000000", "false", reviewer="huda")
    single = next(k for k in desk.analysis.clusters if len(k.claim_ids) == 1)
    with pytest.raises(DecisionError, match="merge"):
        build.reject(desk.view(), single.claim_ids[0], reviewer="huda")
    with pytest.raises(DecisionError, match="--reviewer"):
        build.confirm(desk.view(), single.claim_ids[0], reviewer=" ")
    with pytest.raises(DecisionError, match="not none or all"):
        build.split(desk.view(), desk.analysis.clusters[0].id, list(desk.analysis.clusters[0].claim_ids),
                    reviewer="huda")


def test_summary_names_the_action_and_target():
    d = Decision("verdict", "k-1", "huda", {"cluster": "k-1", "verdict": "false", "members": []}, id=3)
    assert d.summary() == "#3 verdict k-1: false"


def _cluster_block(text, cluster_id, claim_text):
    """A cluster's part of the markdown report: its heading up to the next heading, or (for a
    single-source claim, listed without a heading) the line of its claim."""
    if f"`{cluster_id}` —" in text:
        start = text.index(f"`{cluster_id}` —")
        return text[start:text.index("\n#", start)]
    return next(line for line in text.splitlines() if claim_text[:20] in line and line.startswith("- "))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_decision_shows_in_the_markdown_where_it_applies(desk, language):
    big = desk.analysis.clusters[0]
    desk.do(build.split, big.id, [desk.ref("c_asharq", 0)], note="حادثة أخرى")
    desk.do(build.confirm, desk.ref("a_reuters", 0), note="نفس الزيارة")
    view = desk.view()
    rest = view.cluster_of[desk.ref("a_reuters", 0)]
    desk.do(build.verdict, rest, "mostly-true", note="أكدته الحكومة")
    conflict = desk.analysis.conflicts[0]
    desk.do(build.mark_conflict, conflict.claim_a, conflict.claim_b, real=False, note="رقمان لحادثتين")
    view = desk.view()
    text = to_markdown(view.analysis, language=language, review=report_marks(view))
    words = WORDS[language]
    claims = {c.id: c.text for c in view.analysis.claims}
    block = _cluster_block(text, rest, claims[desk.ref("a_reuters", 0)])
    assert words["verdict"].format(rating=words["ratings"]["mostly-true"]) in block and "أكدته الحكومة" in block
    assert "حادثة أخرى" in block                                       # the split, on the cluster left behind
    assert "نفس الزيارة" in block and words["belongs"] in block
    apart = _cluster_block(text, view.cluster_of[desk.ref("c_asharq", 0)], claims[desk.ref("c_asharq", 0)])
    assert words["split-off"].format(cluster=f"`{big.id}`") in apart
    section = text[text.index(f"## {words['section']}"):]
    assert "رقمان لحادثتين" in section and words["dismissed"].format(n=1) in section


def test_decisions_whose_claims_left_the_run_are_listed_at_the_end(desk):
    desk.do(build.reject, desk.ref("b_jazeera", 0), note="ليس الخبر نفسه")
    withdrawn = build_analysis({k: v for k, v in ARTICLES.items() if k != "b_jazeera"})
    view = desk.view(withdrawn)
    text = to_markdown(view.analysis, review=report_marks(view))
    section = text[text.index("## Reviewers' verdicts"):]
    assert "Decisions whose claims are not in this run (1;" in section and "ليس الخبر نفسه" in section
    assert "## Reviewers' verdicts" not in to_markdown(view.analysis)      # no store, no section
