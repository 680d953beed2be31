import numpy as np

from corroborate.model import Settings
from corroborate.neighbours import nearest_pairs
from corroborate.samefact import anchored, same_fact_affinity
from corroborate.text.content import content_stems

ANCHORED = Settings().anchored_same_fact

# 000 and 001 relay one Reuters sentence; the third is another fact of the same story.
RELAY_A = "ومنذ الرابع من فبراير، لم تقع هجمات على القوات الأميركية في العراق وسوريا"
RELAY_B = "ومنذ الرابع من الشهر الجاري، لم تقع هجمات على القوات الأمريكية في العراق وسوريا"
OTHER = "وقال فرهاد علاء الدين، مستشار رئيس الوزراء العراقي للشؤون الخارجية، إن الحكومة تسعى لمنع التصعيد"


def test_number_words_and_digits_are_one_content_word():
    assert "3" in content_stems("سقوط ثلاثة جنود") and "3" in content_stems("وقُتل 3 جنود")
    assert not {"في", "من", "ان"} & content_stems("قال إن الهجوم وقع في بغداد من جديد")


def test_a_relay_scores_as_the_same_fact_and_another_fact_does_not(models):
    texts = [RELAY_A, RELAY_B, OTHER]
    vectors = models.encoder.encode(texts)
    p = models.same_fact.score(texts, vectors, [(0, 1), (0, 2), (1, 2)])
    assert p[0] >= 0.5 > max(p[1], p[2])


def test_candidates_are_bounded_and_above_the_floor():
    rng = np.random.default_rng(42)
    vectors = rng.normal(size=(50, 8)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = nearest_pairs(vectors, floor=-1.0, k=3)
    assert all(i < j for i, j in pairs)
    assert len(pairs) <= 50 * 3
    assert nearest_pairs(vectors, floor=0.9999, k=3) == []


def test_affinity_is_symmetric_with_a_unit_diagonal(models):
    texts = [RELAY_A, RELAY_B, OTHER]
    affinity = same_fact_affinity(texts, models.encoder.encode(texts), models.same_fact, floor=0.5, k=2,
                                  anchored_score=ANCHORED)
    assert np.allclose(affinity, affinity.T) and np.allclose(np.diag(affinity), 1.0)


# Seeds 000 (Reuters, relayed) and 004 (Al Jazeera): the Tower 22 attack in each outlet's words.
TOWER_REUTERS = ("بعد أقل من 48 ساعة من اتهام الولايات المتحدة لهذه الفصائل بالوقوف وراء سقوط ثلاثة جنود "
                 "أميركيين في موقع البرج 22 العسكري بالأردن")
TOWER_JAZEERA = ("وقُتل 3 جنود أميركيين وأصيب ما لا يقل عن 40 من أفراد الخدمة في هجوم بطائرة دون طيار "
                 "على موقع \"البرج 22\" العسكري الأميركي قرب قاعدة التنف على الحدود الأردنية السورية")
SAME_NUMBERS = "وقالت وزارة الصحة إن 3 أشخاص أصيبوا و22 آخرين نقلوا إلى المستشفى في الموصل"


def test_one_event_told_in_two_outlets_words_is_anchored_by_its_counts_and_names(models):
    texts = [TOWER_REUTERS, TOWER_JAZEERA, SAME_NUMBERS] + [RELAY_A, RELAY_B, OTHER]
    scores = anchored(texts, [(0, 1), (0, 2), (1, 2)])
    # the same numbers without the names are not enough
    np.testing.assert_allclose(scores, [1.0, 0.0, 0.0])
    vectors = models.encoder.encode(texts)
    affinity = same_fact_affinity(texts, vectors, models.same_fact, floor=0.85, k=5, anchored_score=ANCHORED)
    assert affinity[0, 1] >= ANCHORED > affinity[0, 2]
