import dataclasses

import pytest

from corroborate.claims import split_claims
from corroborate.model import STATUSES, TEMPORAL, Document, Settings
from corroborate.pipeline import analyze

from .conftest import SEEDS


def test_clusters_partition_the_claims(seed_analysis):
    ids = [i for c in seed_analysis.clusters for i in c.claim_ids]
    assert sorted(ids) == sorted(c.id for c in seed_analysis.claims)
    assert len(ids) == len(set(ids))


def test_claim_spans_point_into_the_file_as_read(seed_analysis):
    for doc in seed_analysis.documents:
        with open(doc.path, encoding="utf-8-sig", newline="") as f:
            original = f.read()
        for claim in (c for c in seed_analysis.claims if c.doc_id == doc.id):
            assert original[claim.start:claim.end] == claim.text


def test_same_input_gives_the_same_ids(seed_docs, seed_analysis, models):
    again = analyze(seed_docs, models=models, vectors=_vectors(seed_analysis, models))
    assert [c.id for c in again.clusters] == [c.id for c in seed_analysis.clusters]
    assert again.conflicts == seed_analysis.conflicts


def _vectors(analysis, models):
    return models.encoder.encode([c.text for c in analysis.claims])


def test_adding_a_document_keeps_untouched_cluster_ids(seed_docs, seed_analysis, models):
    extra = Document(id="zz_unrelated", text="ارتفعت أسعار القمح في الأسواق العالمية بنسبة خمسة في المئة هذا الأسبوع.\n"
                                              "وقال تجار إن الطلب من آسيا قوي.")
    more = analyze([*seed_docs, extra], models=models)
    before = {c.id: c.claim_ids for c in seed_analysis.clusters}
    after = {c.id: c.claim_ids for c in more.clusters}
    kept = [k for k, members in before.items() if k in after]
    assert len(kept) >= len(before) - 2
    assert all(after[k] == before[k] for k in kept)


def test_relayed_wire_sentences_cluster_across_000_and_001(seed_analysis):
    multi = [c for c in seed_analysis.clusters
             if {"000_8481a1811b930b3f", "001_ca7d2482d73aec03"} <= set(c.doc_ids)]
    assert len(multi) >= 5


def test_relays_count_one_origin_and_the_tower_22_attack_counts_several(seed_analysis):
    by_id = {c.id: c for c in seed_analysis.claims}
    relayed = [c for c in seed_analysis.clusters if c.status == "relayed"]
    assert relayed and all(c.origins == ("Reuters",) for c in relayed)
    tower = [c for c in seed_analysis.clusters
             if any("البرج 22" in by_id[m].text for m in c.claim_ids) and len(c.doc_ids) > 1]
    assert len(tower) == 1
    assert {"000_8481a1811b930b3f", "004_2f5373c944bbeb12"} <= set(tower[0].doc_ids)
    assert tower[0].independent_sources >= 2


def _conflicts_between(analysis, words_a, docs_a, words_b, docs_b):
    """Conflicts pairing a claim of `docs_a` holding one of `words_a` with one of `docs_b` holding one of `words_b`."""
    by_id = {c.id: c for c in analysis.claims}

    def side(claim, words, docs):
        return claim.doc_id[:3] in docs and any(w in claim.text for w in words)
    return [c for c in analysis.conflicts
            for a, b in ((by_id[c.claim_a], by_id[c.claim_b]), (by_id[c.claim_b], by_id[c.claim_a]))
            if side(a, words_a, docs_a) and side(b, words_b, docs_b)]


def test_the_failed_2021_visit_and_the_2024_visit_that_stopped_attacks_are_an_update(seed_analysis):
    found = _conflicts_between(seed_analysis, ("غير ناجحة", "رفضوا"), {"002"}, ("توقف الهجمات",), {"000", "001"})
    assert found and {c.temporal for c in found} == {"different-period"}


def test_khazalis_2020_refusal_and_the_factions_2024_compliance_are_an_update(seed_analysis):
    found = _conflicts_between(seed_analysis, ("رفض قيس الخزعلي",), {"003"},
                               ("وافقت", "توقف الهجمات"), {"000", "001"})
    assert found and {c.temporal for c in found} == {"different-period"}


def test_contradictions_inside_003_and_004_are_found(seed_analysis):
    inside = {seed: [c for c in seed_analysis.conflicts if c.claim_a[2:5] == c.claim_b[2:5] == seed]
              for seed in ("003", "004")}
    assert inside["003"] and inside["004"]
    assert any(c.explanation.startswith("contrast") for c in inside["003"])


def test_relays_of_one_fact_are_not_conflicts(seed_analysis):
    relays = _conflicts_between(seed_analysis, ("لم تقع هجمات",), {"000"}, ("لم تقع هجمات",), {"001"})
    tower = _conflicts_between(seed_analysis, ("البرج 22",), {"000", "001", "004"}, ("البرج 22",), {"000", "001", "004"})
    assert relays == [] and tower == []


def test_statuses_and_temporal_values_are_from_the_contract(seed_analysis):
    assert {c.status for c in seed_analysis.clusters} <= set(STATUSES)
    assert {c.temporal for c in seed_analysis.conflicts} <= set(TEMPORAL)
    for cluster in seed_analysis.clusters:
        assert cluster.independent_sources == len(cluster.origins) >= 1
        if cluster.status == "corroborated":
            assert cluster.independent_sources >= 2


def test_precomputed_vectors_skip_the_model(seed_docs, seed_analysis, models):
    claims = [c for d in seed_docs for c in split_claims(d)]
    assert len(claims) == len(seed_analysis.claims)
    with pytest.raises(ValueError, match="vectors"):
        analyze(seed_docs, models=models, vectors=_vectors(seed_analysis, models)[:3])


def test_settings_reject_out_of_range_thresholds():
    with pytest.raises(ValueError, match="similarity"):
        Settings(similarity=1.5)
    assert dataclasses.replace(Settings(), similarity=0.8).similarity == 0.8


def test_analyze_takes_paths_and_reports_dataframes(seed_analysis):
    assert set(seed_analysis.documents_df.index) == {p.stem for p in SEEDS.glob("*.txt")}
    assert len(seed_analysis.claims_df) == len(seed_analysis.claims)
    assert seed_analysis.clusters_df["size"].sum() == len(seed_analysis.claims)
