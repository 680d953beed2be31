"""English originals and their Arabic relays: one fact across scripts (bridge.py), real models."""

import numpy as np
import pytest

from corroborate.bridge import BridgeModel, bridge_pairs, merge_pairs
from corroborate.model import Document
from corroborate.pipeline import analyze

# Hand-written: a wire story in English, an Arabic outlet relaying it, and one unrelated fact each.
WIRE = ("BAGHDAD (Reuters) - Iran's Quds Force commander Esmail Qaani met leaders of Iraqi armed "
        "factions at Baghdad airport on January 29 and asked them to halt attacks on U.S. forces, "
        "several Iranian and Iraqi sources told Reuters.\n\n"
        "Oil prices rose on Monday after the OPEC+ group agreed to extend its output cuts into the "
        "second quarter.\n")
RELAY = ("قالت مصادر إيرانية وعراقية لرويترز إن قائد فيلق القدس الإيراني إسماعيل قاآني التقى قادة "
         "فصائل مسلحة عراقية في مطار بغداد في 29 يناير وطلب منهم وقف الهجمات على القوات الأميركية.\n\n"
         "وافتتحت وزارة التربية العراقية مئة مدرسة جديدة في محافظة البصرة هذا الأسبوع.\n")


def test_an_english_wire_story_and_its_arabic_relay_are_one_relayed_fact(models):
    result = analyze([Document("wire", WIRE), Document("relay", RELAY)], models=models)
    by_text = {c.text[:12]: c for c in result.claims}
    qaani_en, qaani_ar = by_text["BAGHDAD (Reu"], by_text["قالت مصادر إ"]
    together = [k for k in result.clusters if qaani_en.id in k.claim_ids]
    assert qaani_ar.id in together[0].claim_ids
    assert together[0].status == "relayed" and together[0].origins == ("Reuters",)
    # the oil price and the new schools are two facts, each alone
    assert all(len(k.claim_ids) == 1 for k in result.clusters if k is not together[0])


def test_a_corpus_in_one_script_never_loads_the_second_encoder():
    class Refuses:
        def encode(self, texts):
            raise AssertionError("USE loaded for a corpus in one script")

    model = BridgeModel(6.0, -4.0, 0.5)
    pairs, scores = bridge_pairs(["نص عربي أول عن زيارة", "نص عربي ثان عن زيارة"], ["a", "b"], model, k=5,
                                 encoder=Refuses())
    assert pairs.shape == (0, 2) and scores.shape == (0,)


def test_pairs_found_twice_keep_the_higher_score():
    a = (np.array([[0, 1], [2, 3]]), np.array([0.4, 0.9], dtype=np.float32))
    b = (np.array([[0, 1], [1, 4]]), np.array([0.7, 0.2], dtype=np.float32))
    pairs, scores = merge_pairs(a, b)
    assert pairs.tolist() == [[0, 1], [1, 4], [2, 3]]
    assert scores.tolist() == pytest.approx([0.7, 0.2, 0.9])


def test_a_broken_model_file_is_named_with_the_fix(tmp_path):
    from corroborate.errors import ModelError

    path = tmp_path / "crosslingual.json"
    path.write_text('{"coef": 6.0}', encoding="utf-8")
    with pytest.raises(ModelError, match="corroborate train bridge"):
        BridgeModel.load(path)


# Hand-written: a wire sentence, its Arabic relay, an unrelated Arabic sentence.
EN = "Iraqi armed factions said on Monday they would suspend their attacks on U.S. forces."
AR_SAME = "قالت فصائل مسلحة عراقية يوم الاثنين إنها ستعلق هجماتها على القوات الأميركية."
AR_OTHER = "افتتحت وزارة التربية العراقية مئة مدرسة جديدة في محافظة البصرة هذا الأسبوع."


def test_compare_reads_an_english_sentence_against_an_arabic_one_through_use(models):
    import pandas as pd

    from corroborate.compare import compare_pairs

    rows = pd.DataFrame({"s1": [EN, AR_SAME, EN], "s2": [AR_SAME, EN, AR_OTHER]})
    out = compare_pairs(rows, models.encoder, models.scorer, bridge=models.bridge)
    assert list(out.relation) == ["agree", "agree", "other"]
    # the relay is much nearer its original than the unrelated sentence is, in either order
    assert out.similarity[0] == pytest.approx(out.similarity[1], abs=1e-4)
    assert out.similarity[0] > out.similarity[2] + 0.3
    assert np.allclose(out[["p_agree", "p_disagree", "p_other"]].sum(axis=1), 1.0)
    # without the English-Arabic model the Arabic scorer answers, as before
    plain = compare_pairs(rows, models.encoder, models.scorer)
    assert plain.similarity[0] != pytest.approx(out.similarity[0], abs=1e-3)


def test_the_relation_part_survives_a_save_and_its_absence_is_named(tmp_path):
    from corroborate.errors import ModelError

    rng = np.random.default_rng(0)
    relation = {"intercept": [0.1, -0.2, 0.1], "coef": rng.normal(size=(3, 4 * 512 + 1)).round(5).tolist()}
    path = tmp_path / "crosslingual.json"
    BridgeModel(6.0, -4.0, 0.5, {"what": "test"}, relation).save(path)
    loaded = BridgeModel.load(path)
    assert loaded.relation == relation and loaded.meta == {"what": "test"}
    va, vb = rng.normal(size=(2, 512)), rng.normal(size=(2, 512))
    assert loaded.relation_proba(va, vb).sum(axis=1) == pytest.approx([1.0, 1.0])
    with pytest.raises(ModelError, match="corroborate train bridge"):
        BridgeModel(6.0, -4.0, 0.5).relation_proba(va, vb)
