"""The same-fact cross-encoder's second look at close calls (`matching.second_look`), with the
real adapter of models/samefact-cross/ and hand-written Arabic claims."""

import numpy as np

from corroborate.matching import second_look
from corroborate.model import Claim, Settings
from corroborate.scoring import same_fact_proba

# One blast told by two outlets in their own words, and another fact of the same story.
TOLD_A = "أعلنت وزارة الداخلية أن 12 شخصا قتلوا في انفجار سيارة مفخخة وسط سوق الخضار في مدينة كركوك صباح الأحد"
TOLD_B = "لقي اثنا عشر شخصا حتفهم صباح الأحد عندما انفجرت سيارة ملغومة في سوق للخضار بكركوك، بحسب الداخلية"
CURFEW = "وقال محافظ كركوك إن السلطات فرضت حظرا للتجول في المدينة حتى إشعار آخر بعد الانفجار"


def _claim(doc: str, n: int, text: str, time: str | None = None) -> Claim:
    return Claim(id=f"c-{doc}:{n}", doc_id=doc, start=n, end=n + len(text), text=text, time=time,
                 time_basis="explicit" if time else None)


def test_one_fact_in_two_outlets_words_reads_as_one_and_another_fact_of_the_story_does_not(models):
    p = same_fact_proba(models.second_look, [TOLD_A, TOLD_A], [TOLD_B, CURFEW])
    assert p[0] > 0.5 > p[1]


def test_only_close_calls_between_two_documents_are_read_again(models):
    claims = [_claim("a", 0, TOLD_A), _claim("b", 0, TOLD_B), _claim("b", 200, CURFEW)]
    pairs = np.array([(0, 1), (0, 2), (1, 2)])
    scores = np.array([0.45, 0.9, 0.45], dtype=np.float32)    # (1, 2): one document; (0, 2): sure already
    score = lambda a, b: same_fact_proba(models.second_look, a, b)
    _, out = second_look(claims, (pairs, scores), score, low=0.4, high=0.8)
    expected = (0.45 + score([TOLD_A], [TOLD_B])[0]) / 2
    np.testing.assert_allclose(out, [expected, 0.9, 0.45], rtol=1e-5)
    assert scores[0] == np.float32(0.45)                      # the input is left as it was


def test_past_its_budget_the_calls_nearest_the_threshold_are_read_first(models):
    claims = [_claim("a", 0, TOLD_A), _claim("b", 0, TOLD_B), _claim("c", 0, CURFEW)]
    pairs = np.array([(0, 1), (0, 2)])
    scores = np.array([0.75, 0.52], dtype=np.float32)
    _, out = second_look(claims, (pairs, scores), lambda a, b: same_fact_proba(models.second_look, a, b),
                         low=0.4, high=0.8, most=1, around=Settings().same_fact)
    assert out[0] == np.float32(0.75) and out[1] != np.float32(0.52)


def test_a_pair_the_texts_date_to_two_periods_is_never_raised(models):
    claims = [_claim("a", 0, TOLD_A, "2021-03"), _claim("b", 0, TOLD_B, "2024-02")]
    pairs, scores = np.array([(0, 1)]), np.array([0.45], dtype=np.float32)
    score = lambda a, b: same_fact_proba(models.second_look, a, b)
    assert score([TOLD_A], [TOLD_B])[0] > 0.45                # the reader alone would raise it
    _, out = second_look(claims, (pairs, scores), score, low=0.4, high=0.8, window_days=30)
    assert out[0] == np.float32(0.45)
    _, same_period = second_look([_claim("a", 0, TOLD_A, "2024-02"), claims[1]], (pairs, scores), score,
                                 low=0.4, high=0.8, window_days=30)
    assert same_period[0] > 0.45


def test_an_english_claim_and_its_arabic_relay_are_left_to_the_english_bridge(models):
    english = "Twelve people were killed on Sunday when a car bomb exploded in a vegetable market in Kirkuk"
    claims = [_claim("a", 0, english), _claim("b", 0, TOLD_A)]
    pairs, scores = np.array([(0, 1)]), np.array([0.6], dtype=np.float32)
    _, out = second_look(claims, (pairs, scores), lambda a, b: same_fact_proba(models.second_look, a, b),
                         low=0.4, high=0.8)
    assert out[0] == np.float32(0.6)
