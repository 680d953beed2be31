"""Two clusters of one fact in two wordings, joined after the linkage (`matching.cluster_joins`,
`pipeline.join_clusters`), with the real encoder, scorer and cross-encoder and hand-written
Arabic claims."""

import dataclasses

import numpy as np
import pytest

from corroborate.cluster import cluster_id
from corroborate.denials import apart_from_deniers, denied_propositions
from corroborate.matching import anchor_words, raise_pairs
from corroborate.model import Claim, Cluster, Settings
from corroborate.neighbours import Copies
from corroborate.pipeline import join_clusters
from corroborate.scoring import same_fact_proba

# One blast: a wire's wording printed by two sites, another agency's wording printed by two
# more; the curfew is another fact of the same story; the last gives the toll another number.
WIRE = "أعلنت وزارة الداخلية أن 12 شخصا قتلوا في انفجار سيارة مفخخة وسط سوق الخضار في مدينة كركوك صباح الأحد"
OTHER = "لقي اثنا عشر شخصا حتفهم صباح الأحد عندما انفجرت سيارة ملغومة في سوق للخضار بكركوك، بحسب الداخلية"
CURFEW = "وقال محافظ كركوك إن السلطات فرضت حظرا للتجول في المدينة حتى إشعار آخر بعد الانفجار"
TOLL = "قالت الداخلية إن 15 شخصا قتلوا صباح الأحد عندما انفجرت سيارة ملغومة في سوق للخضار بكركوك"
DENIAL = "ونفت وزارة الداخلية الأنباء التي ترددت عن مقتل 12 شخصا في انفجار سيارة مفخخة وسط سوق الخضار بكركوك"
# Settings as shipped, but any two clusters' centroids close enough to be read: these tests are
# about what the reading decides, not about which of a pile's clusters are near
LOOSE = Settings(join_similarity=0.5)


def _pile(encoder, first: str, second: str) -> tuple[list[Claim], np.ndarray, list[Cluster]]:
    """Two documents print `first`, two others `second`: two clusters of two claims each."""
    texts = [first, first, second, second]
    claims = [Claim(id=f"c-{d}:0", doc_id=d, start=0, end=len(t), text=t)
              for d, t in zip("abcd", texts)]
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    clusters = [Cluster(id=cluster_id(ids), claim_ids=ids, doc_ids=docs)
                for ids, docs in ((("c-a:0", "c-b:0"), ("a", "b")), (("c-c:0", "c-d:0"), ("c", "d")))]
    return claims, vectors, clusters


def _joined(claims, vectors, clusters, models, settings=LOOSE) -> dict[tuple[int, int], float]:
    inside = (np.array([(0, 1), (2, 3)]), np.array([1.0, 1.0], dtype=np.float32))
    anchors = anchor_words(claims, Copies(group=np.arange(len(claims)), pairs=frozenset()), most=settings.anchor_texts)
    deniers = denied_propositions(claims)
    pairs, scores = join_clusters(claims, vectors, clusters, inside, anchors,
                                  lambda scores: apart_from_deniers(scores, deniers), models, settings)
    return {(int(i), int(j)): float(s) for (i, j), s in zip(pairs, scores)}


def test_two_wordings_of_one_fact_become_one_cluster(models, encoder):
    claims, vectors, clusters = _pile(encoder, WIRE, OTHER)
    joined = _joined(claims, vectors, clusters, models)
    across = [joined.get((i, j), 0.0) for i in (0, 1) for j in (2, 3)]
    assert min(across) >= Settings().same_fact            # every pair across: the linkage joins them
    assert joined[(0, 1)] == joined[(2, 3)] == 1.0        # the pairs inside are as they were


def test_another_fact_of_the_story_stays_apart(models, encoder):
    claims, vectors, clusters = _pile(encoder, WIRE, CURFEW)
    joined = _joined(claims, vectors, clusters, models)
    assert not any(joined.get((i, j), 0.0) for i in (0, 1) for j in (2, 3))


@pytest.mark.parametrize("second", [TOLL, DENIAL], ids=["the toll another number", "a denial of it"])
def test_clusters_the_reading_would_join_stay_apart_when_a_rule_says_two_facts(models, encoder, second):
    claims, vectors, clusters = _pile(encoder, WIRE, second)
    texts = [c.text for c in claims]
    read = (models.same_fact.score(texts, vectors, [(0, 2)])[0]
            + same_fact_proba(models.second_look, [WIRE], [second])[0]) / 2
    assert read >= Settings().same_fact                    # the reading alone would join them
    assert set(denied_propositions(claims)) == ({2, 3} if second == DENIAL else set())
    joined = _joined(claims, vectors, clusters, models)
    assert not any(joined.get((i, j), 0.0) for i in (0, 1) for j in (2, 3))


def test_clusters_the_texts_date_to_two_periods_stay_apart(models, encoder):
    claims, vectors, clusters = _pile(encoder, WIRE, OTHER)
    dated = [dataclasses.replace(c, time=t, time_basis="explicit")
             for c, t in zip(claims, ("2021-08", "2021-08", "2024-02", "2024-02"))]
    joined = _joined(dated, vectors, clusters, models)
    assert not any(joined.get((i, j), 0.0) for i in (0, 1) for j in (2, 3))
    # one claim dated to the other's period as well: the pairs of one period are raised, not the others
    dated[1] = dataclasses.replace(dated[1], time="2024-02")
    joined = _joined(dated, vectors, clusters, models)
    assert joined.get((1, 2), 0.0) >= Settings().same_fact and not joined.get((0, 2), 0.0)


def test_only_clusters_with_close_centroids_are_read(models, encoder):
    claims, vectors, clusters = _pile(encoder, WIRE, OTHER)
    centroid_cosine = float(vectors[0] @ vectors[2])
    far = Settings(join_similarity=min(1.0, centroid_cosine + 0.01))
    assert _joined(claims, vectors, clusters, models, far) == {(0, 1): 1.0, (2, 3): 1.0}
    assert _joined(claims, vectors, clusters, models, Settings(join_similarity=0)) == {(0, 1): 1.0, (2, 3): 1.0}


def test_a_pair_held_apart_stays_apart_when_scores_are_raised():
    pairs, scores = raise_pairs((np.array([(0, 1), (1, 2)]), np.array([-1.0, 0.3], dtype=np.float32)),
                                (np.array([(0, 1), (1, 2), (0, 3)]), np.array([0.7, 0.7, 0.6], dtype=np.float32)))
    got = {(int(i), int(j)): round(float(s), 3) for (i, j), s in zip(pairs, scores)}
    assert got == {(0, 1): -1.0, (1, 2): 0.7, (0, 3): 0.6}
