import numpy as np

from corroborate.cluster import cluster_claims, cluster_id
from corroborate.model import Claim
from corroborate.neighbours import near_copies


def _claims(doc_ids):
    return [Claim(f"c-{d}:{i}", d, i, i + 1, "x") for i, d in enumerate(doc_ids)]


def _unit(rows):
    vectors = np.array(rows, dtype="float32")
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_close_vectors_from_two_documents_share_a_cluster():
    claims = _claims("abc")
    vectors = _unit([[1, 0], [0.99, 0.14], [0, 1]])
    clusters = cluster_claims(claims, vectors, similarity=0.9)
    assert [c.claim_ids for c in clusters] == [("c-a:0", "c-b:1"), ("c-c:2",)]
    assert clusters[0].doc_ids == ("a", "b")


def test_clusters_partition_the_claims_and_sort_by_size():
    claims = _claims("abcdac")
    vectors = _unit([[1, 0, 0], [0, 1, 0], [1, 0.05, 0], [0, 0, 1], [0.98, 0.1, 0], [0, 0.99, 0.1]])
    clusters = cluster_claims(claims, vectors, similarity=0.9)
    ids = [i for c in clusters for i in c.claim_ids]
    assert sorted(ids) == sorted(c.id for c in claims)
    assert [len(c.claim_ids) for c in clusters] == [3, 2, 1]


def test_a_group_inside_one_document_is_split_back_into_single_claims():
    claims = _claims("aab")
    vectors = _unit([[1, 0], [1, 0.01], [0, 1]])
    clusters = cluster_claims(claims, vectors, similarity=0.9, min_docs=2)
    assert sorted(len(c.claim_ids) for c in clusters) == [1, 1, 1]
    clusters = cluster_claims(claims, vectors, similarity=0.9, min_docs=1)
    assert sorted(len(c.claim_ids) for c in clusters) == [1, 2]


def test_near_copies_join_even_when_vectors_disagree():
    claims = _claims("ab")
    texts = ["قالت عدة مصادر ايرانيه وعراقيه لرويترز ان الزياره ادت الي توقف الهجمات",
             "قالت عدة مصادر ايرانيه وعراقيه لوكالة رويترز ان الزياره ادت الي توقف الهجمات"]
    copies = near_copies(texts, fuzzy=88)
    assert copies[0, 1] and copies[1, 0] and not copies[0, 0]
    vectors = _unit([[1, 0], [0, 1]])
    assert len(cluster_claims(claims, vectors, similarity=0.9)) == 2
    assert len(cluster_claims(claims, vectors, similarity=0.9, copies=copies)) == 1


def test_cluster_ids_depend_only_on_members():
    assert cluster_id(["c-a:0", "c-b:5"]) == cluster_id(["c-b:5", "c-a:0"])
    assert cluster_id(["c-a:0", "c-b:5"]) != cluster_id(["c-a:0", "c-b:6"])
    claims = _claims("abc")
    vectors = _unit([[1, 0], [0.99, 0.14], [0, 1]])
    first = cluster_claims(claims, vectors, similarity=0.9)
    more = claims + [Claim("c-d:9", "d", 9, 10, "x")]
    second = cluster_claims(more, np.vstack([vectors, _unit([[-1, 0.2]])]), similarity=0.9)
    assert first[0].id in {c.id for c in second}
