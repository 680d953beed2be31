import json

import numpy as np
import pytest

from corroborate import paths
from corroborate.model import RELATIONS as LABELS
from corroborate.relation_head import RelationModel
from corroborate.scoring import BlendedScorer

AGREE, DISAGREE = LABELS.index("agree"), LABELS.index("disagree")
DEFAULT = paths.packaged_models() / paths.RELATIONS


@pytest.fixture(scope="module")
def model(scorer):
    return scorer


def test_paraphrase_agrees_more_than_it_disagrees(model):
    p = model.predict_proba(["الجيش العراقي يعلن استعادة السيطرة الكاملة على مدينة الموصل"],
                            ["القوات العراقية تستعيد السيطرة بالكامل على الموصل بحسب بيان للجيش"])
    assert p.shape == (1, 3)
    assert p[0, AGREE] > p[0, DISAGREE]


def test_negated_statement_disagrees(model):
    p = model.predict_proba(["الرئيس الأمريكي يزور بغداد الأسبوع المقبل لبحث انسحاب القوات"],
                            ["الرئيس الأمريكي لن يزور بغداد الأسبوع المقبل لبحث انسحاب القوات"])
    assert LABELS[int(p[0].argmax())] == "disagree"


def test_probabilities_sum_to_one_and_precomputed_vectors_give_the_same_answer(model, encoder):
    s1 = ["ارتفاع أسعار النفط بعد قرار أوبك خفض الإنتاج", "فوز المنتخب المغربي على البرتغال"]
    s2 = ["انخفاض أسعار النفط بعد قرار أوبك خفض الإنتاج", "البنك المركزي يرفع سعر الفائدة"]
    enc = encoder
    p = model.predict_proba(s1, s2)
    q = model.predict_proba(s1, s2, enc.encode(s1), enc.encode(s2))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p, q, atol=1e-5)
    assert LABELS[int(p[1].argmax())] == "other"


def test_save_and_load_round_trip(tmp_path):
    head = RelationModel.load(DEFAULT)
    head.save(tmp_path / "m")
    again = RelationModel.load(tmp_path / "m")
    x = np.random.default_rng(42).normal(size=(4, head.mean.shape[0])).astype(np.float32)
    np.testing.assert_allclose(again.proba_from_features(x), head.proba_from_features(x), atol=1e-6)


def test_the_shipped_head_averages_its_networks_and_one_network_still_loads(tmp_path):
    head = RelationModel.load(DEFAULT)
    assert len(head.members) == head.meta["members"] == len(head.meta["seeds"]) > 1
    x = np.random.default_rng(7).normal(size=(5, head.mean.shape[0])).astype(np.float32)
    alone = [RelationModel(head.mean, head.scale, w, b).proba_from_features(x) for w, b in head.members]
    np.testing.assert_allclose(head.proba_from_features(x), np.mean(alone, axis=0), atol=1e-6)
    # a one-network head saved without member keys (the format before ensembles) loads as before
    RelationModel(head.mean, head.scale, head.weights, head.biases, {"diff": True}).save(tmp_path / "one")
    meta_path = tmp_path / "one" / "head.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["members"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    one = RelationModel.load(tmp_path / "one")
    assert len(one.members) == 1
    np.testing.assert_allclose(one.proba_from_features(x), alone[0], atol=1e-6)


def test_the_shipped_model_blends_head_and_cross_encoder_by_the_stored_weight(model, encoder):
    assert isinstance(model, BlendedScorer)
    s1, s2 = ["ارتفاع أسعار النفط بعد قرار أوبك خفض الإنتاج"], ["انخفاض أسعار النفط بعد قرار أوبك خفض الإنتاج"]
    expected = (model.weight * model.head.predict_proba(s1, s2, encoder=encoder)
                + (1 - model.weight) * model.cross.predict_proba(s1, s2))
    np.testing.assert_allclose(model.predict_proba(s1, s2), expected, atol=1e-6)
    assert model.weight == model.cross.meta["blend_weight"]


def test_analyze_compare_and_eval_share_one_scorer(models):
    from corroborate.pipeline import load_models

    assert load_models().scorer is models.scorer


def test_missing_model_names_the_folder_and_the_fix(tmp_path):
    from corroborate.errors import ModelError

    with pytest.raises(ModelError, match="corroborate train relations") as e:
        RelationModel.load(tmp_path / "nowhere")
    assert "nowhere" in str(e.value)


def test_xnli_dev_is_cut_in_two_by_premise():
    from pathlib import Path

    from corroborate.training.datasets import load_xnli, training_frame

    data = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    train, held, whole = (load_xnli(data, part) for part in ("train", "eval", "all"))
    assert len(train) + len(held) == len(whole)
    assert not set(train.s1) & set(held.s1)        # a premise's hypotheses stay on one side
    assert set(train.label) == set(held.label) == set(LABELS)
    frame = training_frame(data)
    assert not set(zip(held.s1, held.s2)) & set(zip(frame.s1, frame.s2))
    with pytest.raises(ValueError):
        load_xnli(data, "test")


def test_scoring_in_chunks_gives_the_one_call_answers(scorer):
    from corroborate.scoring import score_in_chunks

    s1 = ["ارتفعت أسعار النفط اليوم", "الجيش يتقدم في الشمال", "أعلنت الحكومة خطة جديدة للنقل",
          "فاز الفريق بالبطولة", "انخفض الدولار أمام اليورو"]
    s2 = ["تراجعت أسعار النفط اليوم", "الجيش لا يتقدم في الشمال", "الحكومة تعلن خطة للنقل العام",
          "خسر الفريق البطولة", "ارتفع الدولار أمام اليورو"]
    whole = score_in_chunks(scorer, s1, s2, step=100)
    np.testing.assert_allclose(score_in_chunks(scorer, s1, s2, step=2), whole, atol=1e-5)
    np.testing.assert_allclose(whole, scorer.predict_proba(s1, s2), atol=1e-5)


def test_a_progress_bar_shows_only_for_long_work(capsys):
    from corroborate.progress import bar

    list(bar(True, "short", "pair", iterable=range(10), at_least=100))
    assert "short" not in capsys.readouterr().err
    list(bar(True, "long", "pair", iterable=range(200), at_least=100))
    assert "long" in capsys.readouterr().err
