"""The cross-encoder adapter on news sentences: relays agree, flipped facts disagree, same-story facts differ."""
import numpy as np
import pytest

from corroborate import paths
from corroborate.crossenc import CrossEncoderRelation
from corroborate.errors import ModelError
from corroborate.model import RELATIONS as LABELS
from corroborate.training.augment import article_sentences, flip, relay

AGREE, DISAGREE, OTHER = (LABELS.index(x) for x in LABELS)
# one wire sentence as two sites might print it, the same sentence with the negation dropped,
# and another fact of the same story
NO_ATTACKS = "ومنذ الخامس من مارس، لم تسجل هجمات على القوافل التجارية في الطريق الصحراوي"
NO_ATTACKS_RELAY = "ومنذ الخامس من الشهر الجاري، لم تسجل هجمات على القوافل التجارية في الطريق الصحراوي"
ATTACKS = "ومنذ الخامس من مارس، سجلت هجمات على القوافل التجارية في الطريق الصحراوي"
MET = "وذكرت المصادر أن وزير النقل التقى ممثلي عدة شركات شحن في مقر الوزارة، يوم 29 فبراير"


@pytest.fixture(scope="module")
def model(scorer):
    return scorer.cross          # the adapter the shipped scorer blends in


def test_a_relay_with_its_own_attribution_agrees(model):
    p = model.predict_proba(["قالت مصادر حكومية لرويترز إن زيارة وزير العمل إلى الميناء أدت إلى انتهاء الإضراب"],
                            ["كشفت مصادر حكومية لوكالة رويترز أن زيارة وزير العمل إلى الميناء أدت إلى انتهاء الإضراب"])
    assert p[0, AGREE] > 0.5


@pytest.mark.xfail(strict=True, reason="known limit: a near-verbatim copy (spelling, «الشهر الجاري» for "
                   "«فبراير») reads to it like ANS's one-word contradiction edits; analyze never asks it "
                   "about near copies (conflicts.find_conflicts near_copies)")
def test_two_relays_of_one_report_are_not_a_disagreement(model):
    p = model.predict_proba([NO_ATTACKS], [NO_ATTACKS_RELAY])
    assert p[0, AGREE] > p[0, DISAGREE]


def test_dropping_the_negation_is_a_disagreement(model):
    p = model.predict_proba([NO_ATTACKS, ATTACKS], [ATTACKS, NO_ATTACKS])
    assert (p.argmax(axis=1) == DISAGREE).all()


def test_two_facts_of_one_story_are_other_rather_than_disagree(model):
    p = model.predict_proba([NO_ATTACKS], [MET])
    assert p[0, OTHER] > p[0, DISAGREE]


def test_probabilities_do_not_depend_on_batching(model):
    s1 = [NO_ATTACKS, MET, ATTACKS]
    s2 = [NO_ATTACKS_RELAY, NO_ATTACKS, NO_ATTACKS]
    together = model.predict_proba(s1, s2)
    alone = np.vstack([model.predict_proba([a], [b]) for a, b in zip(s1, s2)])
    np.testing.assert_allclose(together.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_missing_adapter_names_the_folder_and_the_fix(tmp_path, encoder):
    with pytest.raises(ModelError, match="corroborate train crossenc") as e:
        CrossEncoderRelation.load(tmp_path / "nowhere", encoder.path)
    assert "nowhere" in str(e.value)


def test_synthetic_pairs_keep_or_flip_the_fact():
    rng = np.random.default_rng(42)
    text = ("قالت مصادر إن الجيش العراقي يسيطر على المدينة بالكامل بعد معارك استمرت 5 أيام. "
            "ووصل وزير الدفاع إلى الموصل لتفقد القوات، وأعلن أن العمليات ستتوقف قريبا في المنطقة.")
    sentences = article_sentences(text, min_chars=30)
    assert len(sentences) == 2
    flipped = flip(sentences[0], rng)
    assert flipped != sentences[0] and flipped is not None
    relayed = relay(sentences[0], np.random.default_rng(1))
    assert relayed != sentences[0]
    assert flip("مجرد كلام عام بلا فعل", rng) is None


def test_the_scorer_loads_in_a_model_folder_where_the_encoder_was_never_built(tmp_path):
    # `compare` may score before anything was encoded: the base must be built there too
    import shutil

    from corroborate.pipeline import load_models

    shutil.copytree(paths.packaged_models() / paths.RELATIONS, tmp_path / paths.RELATIONS)
    shutil.copy(paths.packaged_models() / paths.SAME_FACT, tmp_path / paths.SAME_FACT)
    fresh = load_models(models=tmp_path).scorer
    p = fresh.cross.predict_proba([NO_ATTACKS], [ATTACKS])
    assert (tmp_path / paths.ENCODER / "config.json").is_file()
    assert p.shape == (1, 3) and p[0].argmax() == DISAGREE
