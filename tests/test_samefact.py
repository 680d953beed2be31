import numpy as np

from corroborate.model import Settings
from corroborate.neighbours import nearest_pairs
from corroborate.samefact import anchored, same_fact_affinity
from corroborate.text.content import content_stems

ANCHORED = Settings().anchored_same_fact

# Hand-written: one wire sentence relayed twice (spelling and a date word differ), and another
# fact of the same story.
RELAY_A = "ومنذ الثالث من مارس، لم تسجل أي غارات جوية على مواقع الجيش في شمال البلاد وشرقها"
RELAY_B = "ومنذ الثالث من الشهر الجاري، لم تُسجل أي غارات جوية على مواقع الجيش في شمال البلاد وشرقها"
OTHER = "وقال المتحدث باسم وزارة الخارجية إن الحكومة تسعى إلى منع التصعيد مع الدول المجاورة"


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


# Hand-written: one blast told by two outlets in their own words, and other news with the same counts.
BLAST_A = ("بعد أقل من يومين من الانفجار الذي قتل خمسة عمال وأصاب 12 آخرين في مصنع الأسمدة "
           "بميناء العقبة")
BLAST_B = ("وقُتل 5 عمال وأصيب 12 في انفجار وقع ليل الأحد داخل مصنع للأسمدة قرب ميناء العقبة على "
           "ساحل البحر الأحمر، حسبما أعلن الدفاع المدني")
SAME_NUMBERS = "وقالت وزارة الصحة إن 5 أشخاص أصيبوا و12 آخرين نقلوا إلى المستشفى في إربد"


def test_one_event_told_in_two_outlets_words_is_anchored_by_its_counts_and_names(models):
    texts = [BLAST_A, BLAST_B, SAME_NUMBERS] + [RELAY_A, RELAY_B, OTHER]
    scores = anchored(texts, [(0, 1), (0, 2), (1, 2)])
    # the same numbers without the names are not enough
    np.testing.assert_allclose(scores, [1.0, 0.0, 0.0])
    vectors = models.encoder.encode(texts)
    affinity = same_fact_affinity(texts, vectors, models.same_fact, floor=0.85, k=5, anchored_score=ANCHORED)
    assert affinity[0, 1] >= ANCHORED > affinity[0, 2]


def test_extra_features_see_shared_names_and_dates_that_clash():
    from corroborate.samefact import EXTRA_FEATURES, idf_table, pair_features

    texts = ["زار الوزير مدينة العقبة في مايو 2023 وافتتح مصنع الأسمدة",
             "افتتح الوزير مصنع الأسمدة في العقبة خلال زيارة في مايو 2023",
             "افتتح الوزير مصنعا للإسمنت في إربد في يونيو 2021",
             "قالت الشرطة إن حركة المرور عادت إلى طبيعتها صباح اليوم"]
    bags = [content_stems(t) for t in texts]
    vectors = np.eye(4, dtype="float32")
    rows = pair_features(texts, bags, idf_table(bags), vectors, [(0, 1), (0, 2)], EXTRA_FEATURES)
    f = {name: rows[:, n] for n, name in enumerate(EXTRA_FEATURES)}
    assert f["shared_rare"][0] > f["shared_rare"][1]
    assert f["shared_dates"][0] >= 2 and f["date_clash"][0] == 0
    assert f["date_clash"][1] == 1


def test_a_model_keeps_its_feature_list_and_a_foreign_one_is_refused(tmp_path):
    import pytest

    from corroborate.errors import ModelError
    from corroborate.samefact import SameFactModel

    names = ("cosine", "shared_rare", "date_clash")
    model = SameFactModel([0, 0, 0], [1, 1, 1], [2.0, 1.0, -3.0], -1.0, features=names)
    model.save(tmp_path / "m.json")
    back = SameFactModel.load(tmp_path / "m.json")
    assert back.features == names
    texts = ["خبر اول عن العقبة في مايو", "خبر ثان عن العقبة في يونيو"]
    vectors = np.eye(2, dtype="float32")
    np.testing.assert_allclose(back.score(texts, vectors, [(0, 1)]), model.score(texts, vectors, [(0, 1)]))
    (tmp_path / "bad.json").write_text('{"features": ["cosine", "mood"], "mean": [0, 0], "scale": [1, 1], '
                                       '"coef": [1, 1], "intercept": 0}', encoding="utf-8")
    with pytest.raises(ModelError, match="bad.json"):
        SameFactModel.load(tmp_path / "bad.json")


def _read_pairs_of_one_day(tmp_path, edit=lambda line: line):
    from importlib import resources
    from pathlib import Path

    text = resources.files("corroborate").joinpath("data", "samefact", "saudinewsnet-pairs.tsv").read_text("utf-8")
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    day = lines[1].split("\t")[1]
    rows = [lines[0]] + [edit(x) for x in lines[1:] if x.split("\t")[1] == day]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    return path, data, [x.split("\t") for x in rows[1:]]


def test_each_read_saudinewsnet_pair_is_two_claims_analyze_keeps_from_that_day(tmp_path):
    from corroborate.training.samefact import SNN_LABELS, snn_frames

    path, data, rows = _read_pairs_of_one_day(tmp_path)
    (frame,) = snn_frames(data, path)
    assert frame["source"] == f"snn-{rows[0][1]}" and len(frame["texts"]) > 1000     # the whole day gives IDF
    assert frame["labels"] == [SNN_LABELS[r[5]] for r in rows if r[5] in SNN_LABELS]
    for i, j in frame["pairs"]:
        assert i != j and frame["texts"][i] != frame["texts"][j]


def test_a_read_pair_whose_claim_the_splitter_no_longer_gives_is_refused_by_name(tmp_path):
    import pytest

    from corroborate.training.samefact import snn_frames

    def moved(line: str) -> str:       # a span one character later: no claim starts there
        f = line.split("\t")
        doc, start = f[3].rsplit(":", 1)
        return "\t".join([*f[:3], f"{doc}:{int(start) + 1}", *f[4:]])

    path, data, _ = _read_pairs_of_one_day(tmp_path, moved)
    with pytest.raises(ValueError, match="pairs.tsv.*splitter changed"):
        snn_frames(data, path)
