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
