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


# A small hand-written corpus: two sites relaying one Reuters story (2024), and an older
# report of the same truce by an outlet of its own (2021).
RELAY_1 = ("بغداد (رويترز) - نجحت وساطة وزارة العمل في إنهاء الإضراب في ميناء البصرة بعد مفاوضات "
           "مع النقابات.\n"
           "وعاد العمل في الأرصفة الخمسة للميناء بشكل كامل منذ توقيع الاتفاق يوم الأحد.\n"
           "وقال مسؤول في الميناء إن السفن المتأخرة ستفرغ حمولتها خلال أيام.\n"
           "● اقتصاد 12 مارس 2024\n")
RELAY_2 = ("البصرة - رويترز: نجحت وساطة وزارة العمل في انهاء الاضراب في ميناء البصرة، بعد مفاوضات "
           "مع النقابات.\n"
           "وعاد العمل في الارصفة الخمسة للميناء بشكل كامل منذ توقيع الاتفاق يوم الاحد.\n"
           "● أخبار 13 مارس 2024\n")
OLDER = ("فشلت وساطة وزارة العمل في إنهاء الإضراب في ميناء البصرة، بعد ثلاث جولات من التفاوض مع النقابات.\n"
         "وقال قادة النقابات إنهم ماضون في الإضراب حتى تلبية مطالبهم كاملة.\n"
         "المصدر : الجزيرة\n"
         "● 2 يونيو 2021\n")


@pytest.fixture(scope="module")
def port_strike(models):
    docs = [Document(id="relay_1", text=RELAY_1), Document(id="relay_2", text=RELAY_2),
            Document(id="older", text=OLDER)]
    from corroborate.ingest import meta_fields
    from corroborate.metadata import extract_metadata

    docs = [dataclasses.replace(d, **meta_fields(extract_metadata(d.text))) for d in docs]
    return analyze(docs, models=models)


def test_every_claim_of_a_wire_relay_rests_on_the_wire(port_strike):
    origins = {c.origin for c in port_strike.claims if c.doc_id.startswith("relay")}
    assert origins == {"Reuters"}


def test_two_relays_of_one_wire_story_are_one_origin(port_strike):
    relays = [k for k in port_strike.clusters if set(k.doc_ids) == {"relay_1", "relay_2"}]
    assert relays
    assert all(k.origins == ("Reuters",) and k.independent_sources == 1 for k in relays)
    assert all(k.status in ("relayed", "conflicted") for k in relays)


def test_a_failure_reported_years_before_a_success_is_an_update_not_a_lie(port_strike):
    by_id = {c.id: c for c in port_strike.claims}
    across = [c for c in port_strike.conflicts
              if {by_id[c.claim_a].doc_id, by_id[c.claim_b].doc_id} & {"older"}
              and {by_id[c.claim_a].doc_id, by_id[c.claim_b].doc_id} - {"older"}]
    assert across and all(c.temporal == "different-period" for c in across)
    # the two relays do not contradict each other
    assert not [c for c in port_strike.conflicts
                if {by_id[c.claim_a].doc_id, by_id[c.claim_b].doc_id} == {"relay_1", "relay_2"}]


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


def test_settings_change_by_name_and_value_as_typed_on_a_command_line():
    changed = Settings().changed(["same_fact=0.4", "copy_run=8", "period_gate=yes", "link=complete"])
    assert (changed.same_fact, changed.copy_run, changed.period_gate, changed.link) == (0.4, 8, True, "complete")
    assert Settings().changed([]) == Settings()
    for bad, said in (("nonsense=1", "nonsense"), ("copy_run=six", "int"), ("same_fact", "NAME=VALUE"),
                      ("same_fact=2", "same_fact")):
        with pytest.raises(ValueError, match=said):
            Settings().changed([bad])


def test_analyze_takes_paths_and_reports_dataframes(seed_analysis):
    assert set(seed_analysis.documents_df.index) == {p.stem for p in SEEDS.glob("*.txt")}
    assert len(seed_analysis.claims_df) == len(seed_analysis.claims)
    assert seed_analysis.clusters_df["size"].sum() == len(seed_analysis.claims)


def test_a_folder_analyzed_without_keeping_texts_reports_the_same(seed_analysis, models):
    # the CLI lets each article's text go once its claims are split (no review store)
    import json

    light = analyze(SEEDS, models=models, keep_texts=False)
    assert all(d.text == "" and d.view is None for d in light.documents)
    full, lean = json.loads(seed_analysis.to_json()), json.loads(light.to_json())
    for key in ("documents", "claims", "clusters", "conflicts"):
        assert lean[key] == full[key], key
    assert [d["length"] for d in lean["documents"]] == [
        len(p.read_bytes().decode("utf-8-sig")) for p in sorted(SEEDS.glob("*.txt"))]
