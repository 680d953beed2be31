import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from corroborate.cluster import cluster_claims
from corroborate.model import Claim
from corroborate.neighbours import candidates, knn, near_copies, nearest_pairs, top_k


def _claims(n):
    return [Claim(f"c-{i}", f"d{i}", i, i + 1, "x") for i in range(n)]


def _labels(clusters, n):
    out = np.zeros(n, dtype=int)
    for k, cluster in enumerate(clusters):
        for cid in cluster.claim_ids:
            out[int(cid[2:])] = k
    return out


def _same_partition(a, b):
    pairs = {}
    return all(pairs.setdefault(int(x), int(y)) == int(y) for x, y in zip(a, b)) and \
        len(set(a)) == len(set(b))


def _scipy_labels(affinity, similarity, link):
    dist = 1.0 - np.clip(affinity, -1.0, 1.0)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(np.maximum(dist, 0.0), checks=False), method=link)
    return fcluster(tree, t=1.0 - similarity + 1e-9, criterion="distance")


@pytest.mark.parametrize("link", ["average", "complete", "single"])
def test_sparse_linkage_gives_scipys_dense_clusters(link):
    # random sparse affinities without ties: the dendrogram is unique, so the cut must match
    rng = np.random.default_rng(7)
    for _ in range(40):
        n = int(rng.integers(2, 60))
        affinity = np.zeros((n, n), dtype=np.float32)
        for _ in range(int(rng.integers(0, 4 * n))):
            i, j = rng.integers(0, n, 2)
            if i != j:
                affinity[i, j] = affinity[j, i] = rng.random()
        np.fill_diagonal(affinity, 1.0)
        rows, cols = np.nonzero(np.triu(affinity, 1))
        sparse = (np.stack([rows, cols], axis=1), affinity[rows, cols])
        for similarity in (0.3, 0.5, 0.8):
            ours = cluster_claims(_claims(n), None, similarity=similarity, min_docs=1, link=link,
                                  affinity=sparse)
            assert _same_partition(_labels(ours, n), _scipy_labels(affinity, similarity, link))


def test_claims_with_no_scored_pair_never_share_a_cluster():
    pairs = (np.array([[0, 1], [2, 3]]), np.array([0.9, 0.9], dtype=np.float32))
    clusters = cluster_claims(_claims(4), None, similarity=0.5, min_docs=1, affinity=pairs)
    assert sorted(c.claim_ids for c in clusters) == [("c-0", "c-1"), ("c-2", "c-3")]


def test_neighbours_match_a_full_sort_with_ties_broken_by_position():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors[50:60] = vectors[5]                            # ten copies of one vector: ties
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index, cosine = knn(vectors, k=7, block=64)
    sims = vectors @ vectors.T
    for r in range(len(vectors)):
        row = sims[r].copy()
        row[r] = -np.inf
        expected = np.argsort(-row, kind="stable")[:7]
        assert index[r].tolist() == expected.tolist()
        np.testing.assert_allclose(cosine[r], row[expected], rtol=1e-6)


def test_neighbour_pairs_respect_the_floor_and_the_count():
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(80, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = nearest_pairs(vectors, floor=0.2, k=3)
    assert pairs == sorted(set(pairs)) and all(i < j for i, j in pairs)
    assert all(vectors[i] @ vectors[j] >= 0.2 for i, j in pairs)
    assert len(pairs) <= 80 * 3


def test_top_k_looks_past_refused_candidates():
    vectors = np.eye(6, dtype=np.float32)[[0, 0, 0, 0, 1, 1]] + 0.01
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # row 0's nearest are 1-3 (identical); refusing them leaves the next ones
    found = top_k(np.array([0]), np.arange(1, 6), vectors, floor=-1.0, k=2, keep=lambda i, j: j >= 4)
    assert found == {(0, 4), (0, 5)}


RELAY = "قالت مصادر عراقية لرويترز ان الزياره ادت الي توقف الهجمات علي القوات الامريكيه"
VARIANT = "قالت مصادر عراقية لوكالة رويترز ان الزياره ادت الي توقف الهجمات علي القوات الامريكيه"
OTHER = "ارتفعت اسعار القمح في الاسواق العالميه بعد قرار الحكومه وقف التصدير"


def test_fifty_identical_relays_do_not_hide_their_variant():
    # each relay's nearest neighbours are the other relays; copies are searched among
    # distinct texts, so the variant is still found as a copy of every relay
    texts = [RELAY] * 50 + [VARIANT, OTHER]
    vectors = np.zeros((len(texts), 4), dtype=np.float32)
    vectors[:50, 0] = 1.0
    vectors[50] = [0.9, 0.1, 0.0, 0.0]
    vectors[51] = [0.0, 0.0, 1.0, 0.0]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs, copies = candidates(texts, vectors, k=5, floor=0.5, fuzzy=88, copy_k=5)
    assert all(copies(i, 50) for i in range(50)) and copies(3, 17)
    assert not copies(0, 51) and not copies(50, 51) and not copies(4, 4)
    assert len(pairs) <= len(texts) * 5


def test_copies_found_among_candidates_equal_those_found_among_all_pairs():
    texts = [RELAY, VARIANT, OTHER, RELAY]
    everything = near_copies(texts, fuzzy=88)
    some = near_copies(texts, fuzzy=88, candidates=[(0, 1), (1, 2), (2, 3)])
    for i in range(4):
        for j in range(4):
            assert everything(i, j) == some(i, j)
