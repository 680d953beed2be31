import json

import pytest
from click.testing import CliRunner

from corroborate.cli import cli
from corroborate.training.e2e import (
    Article,
    Corpus,
    PredictedClaim,
    Prediction,
    baseline,
    fold_ids,
    is_scored,
    line_spans,
    load_corpora,
    make_corpus,
    outlet_of,
    parse_folds,
    run_e2e,
    score_corpus,
    summarise,
)

# A hand-written story: a ministry opens a hospital (two outlets agree, one denies), plus an
# article about something else that the search engine also returned.
OPENED = ("أخبار محلية\n"
          "أعلنت وزارة الصحة يوم الأحد افتتاح مستشفى جديد في مدينة إربد يضم 300 سرير.\n"
          "وقال الوزير إن المستشفى سيخدم نحو مليون نسمة في شمال البلاد.")
OPENED_TOO = ("افتتحت وزارة الصحة الأحد مستشفى جديدا في إربد بسعة 300 سرير بعد سنوات من العمل.\n"
              "ويعد المستشفى الأكبر في شمال البلاد بحسب بيان صادر عن الوزارة.")
DENIED = "نفت وزارة الصحة افتتاح أي مستشفى جديد في مدينة إربد يوم الأحد، وقالت إن الأعمال لم تنته بعد."
FOOTBALL = "فاز الفريق الأول لكرة القدم على منافسه بثلاثة أهداف مقابل هدف واحد في مباراة الدوري مساء السبت."


def _article(doc_id, text, outlet, stance, rationale=()):
    return Article(doc_id, text, f"https://www.{outlet}/news/1", outlet, stance, tuple(rationale))


CORPUS = Corpus("R-1", 1, "افتتاح مستشفى جديد في إربد", (
    _article("a00", OPENED, "alpha.com", "agree", [1]),
    _article("a01", OPENED_TOO, "beta.net", "agree", [0]),
    _article("a02", DENIED, "gamma.org", "disagree", [0]),
    _article("a03", FOOTBALL, "delta.com", "unrelated"),
))


def _on(doc_id, line, text, cluster, n=0):
    """A claim covering part of line `line` of `text` (whole-line claims make the lines obvious)."""
    start, end = line_spans(text)[line]
    return PredictedClaim(f"{doc_id}:{start + n}", doc_id, start + n, end, (cluster,))


def test_a_claim_is_on_every_line_its_span_overlaps():
    assert line_spans("ab\n\ncd") == [(0, 2), (3, 3), (4, 6)]
    both = PredictedClaim("x", "a00", 5, 20, ("k1",))              # runs from line 0 into line 1
    counts = score_corpus(CORPUS, Prediction((both,), {"k1": 1}, ()))
    assert counts["uncovered_lines"] == 2                            # a01 and a02 have none; a00's line 1 has one


def test_agree_lines_of_two_outlets_in_one_cluster_are_corroborated_when_it_has_two_origins():
    claims = (_on("a00", 1, OPENED, "k1"), _on("a01", 0, OPENED_TOO, "k1"), _on("a02", 0, DENIED, "k2"))
    one_origin = score_corpus(CORPUS, Prediction(claims, {"k1": 1, "k2": 1}, ()))
    two_origins = score_corpus(CORPUS, Prediction(claims, {"k1": 2, "k2": 1}, ()))
    assert (one_origin["agree_pairs"], one_origin["corroborated"], one_origin["corroborated_status"]) == (1, 1, 0)
    assert two_origins["corroborated_status"] == 1
    apart = score_corpus(CORPUS, Prediction((claims[0], _on("a01", 0, OPENED_TOO, "k3"), claims[2]), {}, ()))
    assert apart["corroborated"] == 0


def test_two_articles_of_one_outlet_make_no_agree_pair():
    same_outlet = Corpus("R-2", 1, "x", (_article("a00", OPENED, "alpha.com", "agree", [1]),
                                         _article("a01", OPENED_TOO, "alpha.com", "agree", [0])))
    claims = (_on("a00", 1, OPENED, "k1"), _on("a01", 0, OPENED_TOO, "k1"))
    assert score_corpus(same_outlet, Prediction(claims, {"k1": 2}, ()))["agree_pairs"] == 0


def test_a_conflict_between_an_agree_line_and_a_disagree_line_is_found_and_one_between_agree_lines_is_false():
    a, b, d = _on("a00", 1, OPENED, "k1"), _on("a01", 0, OPENED_TOO, "k2"), _on("a02", 0, DENIED, "k3")
    counts = score_corpus(CORPUS, Prediction((a, b, d), {}, ((d.id, a.id), (a.id, b.id))))
    rates = summarise(counts)
    assert (counts["agree_disagree_pairs"], counts["conflict_hits"]) == (2, 1)
    assert rates["conflict_recall"] == 0.5
    assert (counts["false_conflicts"], rates["false_conflicts"]) == (1, 1.0)
    assert rates["conflicts_per_corpus"] == 2.0


def test_an_agree_line_clustered_with_an_unrelated_article_is_merged_with_another_story():
    football = PredictedClaim("a03:0", "a03", 0, 40, ("k1",))
    claims = (_on("a00", 1, OPENED, "k1"), _on("a01", 0, OPENED_TOO, "k2"), football)
    counts = score_corpus(CORPUS, Prediction(claims, {}, ()))
    assert (counts["merged_other_story"], counts["agree_lines"]) == (1, 2)


def test_a_claim_that_also_supports_a_cluster_joins_its_lines():
    supports = PredictedClaim("a01:0", "a01", 0, 30, ("k2", "k1"))
    counts = score_corpus(CORPUS, Prediction((_on("a00", 1, OPENED, "k1"), supports), {"k1": 2}, ()))
    assert counts["corroborated_status"] == 1 and counts["corroborated_members"] == 0


def test_corpora_keep_long_distinct_articles_and_need_two_stance_articles_with_lines():
    data = {"claim": "c", "article": [OPENED, "قصير", OPENED, DENIED, FOOTBALL],
            "url": ["http://WWW.Alpha.com/a", "http://b.com", "http://c.com", "https://news.gamma.org/x",
                    "http://d.com"],
            "stance": ["agree", "agree", "agree", "disagree", "unrelated"],
            "rationale": ["[1, 2, 9]", "[0]", "[0]", "", ""]}
    corpus = make_corpus("R-9", 2, data)
    assert [a.doc_id for a in corpus.articles] == ["a00", "a03", "a04"] and corpus.dropped == 2
    assert corpus.articles[0].rationale == (1, 2) and corpus.articles[0].outlet == "alpha.com"
    assert outlet_of("https://news.gamma.org/x") == "news.gamma.org"
    assert not is_scored(corpus)                      # the disagree article has no rationale line
    assert is_scored(CORPUS)


def test_only_the_asked_folds_are_read(tmp_path):
    folder = tmp_path / "baly2018_unifiedfc" / "native"
    folder.mkdir(parents=True)
    (folder / "train_test_splits.txt").write_text("Fold_1: R-1 V-2\nFold_2: R-3\n", encoding="utf-8")
    assert fold_ids(tmp_path, [1]) == {"R-1": 1, "V-2": 1}
    with pytest.raises(ValueError, match="fold"):
        fold_ids(tmp_path, [3])
    assert parse_folds("1, 2") == (1, 2)
    with pytest.raises(ValueError):
        parse_folds("1;2")
    # a fold whose corpus files are not there says which folder and which files, not a bare errno
    with pytest.raises(FileNotFoundError, match=r"no corpus file for 2 of the 2 claims of fold\(s\) 1 \(first: R-1.json\)"):
        load_corpora(tmp_path, [1])


def test_a_scorer_that_never_disagrees_says_other():
    from corroborate.training.e2e import NeverDisagrees

    p = NeverDisagrees().predict_proba(["أ", "ب"], ["ج", "د"])
    assert p.shape == (2, 3) and (p[:, 2] == 1).all()


def test_the_baseline_joins_near_identical_lines_and_flags_a_lone_negation(encoder):
    said = "أعلنت وزارة الصحة يوم الأحد افتتاح مستشفى جديد في مدينة إربد يضم 300 سرير"
    denied = "لم تعلن وزارة الصحة يوم الأحد افتتاح مستشفى جديد في مدينة إربد يضم 300 سرير"
    corpus = Corpus("R-5", 1, "x", (_article("a00", said + "\nقصير", "alpha.com", "agree", [0]),
                                    _article("a01", said + "\n" + FOOTBALL, "beta.net", "agree", [0]),
                                    _article("a02", denied, "gamma.org", "disagree", [0])))
    pred = baseline(corpus, encoder)
    assert len(pred.claims) == 4                                      # «قصير» is under 40 characters
    by_doc = {(c.doc_id, c.start): c.clusters[0] for c in pred.claims}
    assert by_doc[("a00", 0)] == by_doc[("a01", 0)] != by_doc[("a01", len(said) + 1)]
    assert pred.origins[by_doc[("a00", 0)]] >= 2
    negated_pairs = {frozenset(p) for p in pred.conflicts}
    assert frozenset({"a00:0", "a02:0"}) in negated_pairs             # one word apart: cosine 0.98
    assert frozenset({"a00:0", "a01:0"}) not in negated_pairs        # neither side negated


def _data_dir(tmp_path):
    native = tmp_path / "baly2018_unifiedfc" / "native"
    (native / "dataset").mkdir(parents=True)
    (native / "train_test_splits.txt").write_text("Fold_1: R-1\n", encoding="utf-8")
    record = {"id": "R-1", "claim": CORPUS.claim, "fact": "true",
              "article": [a.text for a in CORPUS.articles], "url": [a.url for a in CORPUS.articles],
              "stance": [a.stance for a in CORPUS.articles],
              "rationale": [json.dumps(list(a.rationale)) if a.rationale else "" for a in CORPUS.articles]}
    (native / "dataset" / "R-1.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_a_run_writes_each_article_byte_for_byte_and_counts_by_the_definitions(tmp_path, models):
    data = _data_dir(tmp_path / "data")
    assert [c.claim_id for c in load_corpora(data, [1])] == ["R-1"]
    out = tmp_path / "conflicts.jsonl"
    result = run_e2e(data, [1], models=models, cache_dir=tmp_path / "cache",
                     corpora_dir=tmp_path / "corpora", conflicts_out=out)
    for a in CORPUS.articles:
        assert (tmp_path / "corpora" / "R-1" / f"{a.doc_id}.txt").read_bytes() == a.text.encode("utf-8")
    for system in ("corroborate", "baseline"):
        counts = result["systems"][system]["counts"]
        assert (counts["corpora"], counts["agree_pairs"], counts["agree_disagree_pairs"],
                counts["rationale_lines"]) == (1, 1, 2, 3)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == result["systems"]["corroborate"]["counts"]["conflicts"]
    assert list((tmp_path / "cache").glob("*.npz"))                     # the vectors, kept


def test_the_command_writes_the_table_and_names_a_bad_setting(tmp_path, models):
    data = _data_dir(tmp_path / "data")
    out = tmp_path / "e2e.md"
    args = ["eval", "e2e", "--data", str(data), "--folds", "1", "--out", str(out),
            "--corpora", str(tmp_path / "corpora")]
    result = CliRunner().invoke(cli, args + ["--no-baseline", "--clusters-only", "--set", "support_same_fact=1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "e2e-conflicts.jsonl").is_file()            # beside --out, not in reports/
    table = out.read_text(encoding="utf-8")
    assert "| corroboration recall |" in table and "naive baseline" not in table
    assert "Clusters only" in table
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["settings"]["support_same_fact"] == 1.0
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["corpora"] == 1
    bad = CliRunner().invoke(cli, args + ["--set", "nonsense=1"])
    assert bad.exit_code != 0 and "nonsense" in bad.output
    # folds whose corpus files are not there: the error names them, and the last run's files stay
    kept = {p: p.read_bytes() for p in (out.with_suffix(".corpora.jsonl"), tmp_path / "e2e-conflicts.jsonl")}
    (data / "baly2018_unifiedfc" / "native" / "train_test_splits.txt").write_text(
        "Fold_1: R-1\nFold_4: R-9\n", encoding="utf-8")
    absent = CliRunner().invoke(cli, args[:5] + ["4"] + args[6:])
    assert absent.exit_code != 0 and "no corpus file for 1 of the 1 claims of fold(s) 4" in absent.output
    assert {p: p.read_bytes() for p in kept} == kept and kept[out.with_suffix(".corpora.jsonl")]
