from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corroborate.compare import (
    OUTPUT_COLUMNS,
    compare_csv,
    compare_pairs,
    is_article,
    split_sentences,
)
from corroborate.errors import InputError
from corroborate.model import RELATIONS as LABELS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"



@pytest.fixture(scope="module")
def article():
    return (SEEDS / "000_8481a1811b930b3f.txt").read_text(encoding="utf-8")


def test_compare_csv_round_trip_keeps_columns_and_handles_an_article(tmp_path, article, encoder, scorer):
    src = tmp_path / "pairs.csv"
    pd.DataFrame({
        "id": ["a", "b", "c"],
        "s1": ["زيارة قاآني إلى بغداد أوقفت هجمات الفصائل على القوات الأميركية",
               "ارتفاع أسعار النفط في الأسواق العالمية",
               "الرئيس الأمريكي يزور بغداد الأسبوع المقبل"],
        "s2": [article, "انخفاض أسعار النفط في الأسواق العالمية", "الرئيس الأمريكي لن يزور بغداد الأسبوع المقبل"],
        "note": ["seed article", "antonym", "negation"],
    }).to_csv(src, index=False, encoding="utf-8-sig")
    out = compare_csv(src, tmp_path / "pred.csv", encoder, scorer)
    back = pd.read_csv(tmp_path / "pred.csv", encoding="utf-8")
    assert list(back.columns) == ["id", "s1", "s2", "note", *OUTPUT_COLUMNS]
    assert back["id"].tolist() == ["a", "b", "c"] and back["s2"][0] == article
    probs = back[["p_agree", "p_disagree", "p_other"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert set(back.relation) <= set(LABELS)
    # the article is scored by its best-matching sentences, which are about the same visit
    assert back.similarity[0] > 0.85
    assert back.relation[2] == "disagree"
    assert out.shape[0] == 3


@pytest.mark.xfail(strict=True, reason="known limit (models/relations/MODEL_CARD.md): a relay naming Qaani "
                   "by his title («قائد فيلق القدس الإيراني») reads like ANS's name-swap contradictions, "
                   "and that sentence outweighs the article's other sentences, which agree")
def test_an_article_reporting_the_same_visit_does_not_disagree(article, encoder, scorer):
    claim = "زيارة قاآني إلى بغداد أوقفت هجمات الفصائل على القوات الأميركية"
    out = compare_pairs(pd.DataFrame({"s1": [claim], "s2": [article]}), encoder, scorer)
    assert out.relation[0] != "disagree"


def test_missing_column_names_the_file(tmp_path, encoder, scorer):
    bad = tmp_path / "pairs.csv"
    bad.write_text("claim,s2\nالجيش يدخل المدينة,الجيش لم يدخل المدينة\n", encoding="utf-8")
    with pytest.raises(InputError, match="s1") as e:
        compare_csv(bad, tmp_path / "out.csv", encoder, scorer)
    assert "pairs.csv" in str(e.value)


def test_article_detection_and_splitting(article):
    assert is_article(article) and not is_article("الجيش العراقي يعلن استعادة الموصل")
    sentences = split_sentences(article)
    assert len(sentences) > 5 and all(s.strip() for s in sentences)


def test_compare_pairs_on_an_empty_table(encoder, scorer):
    out = compare_pairs(pd.DataFrame({"s1": [], "s2": []}), encoder, scorer)
    assert list(out.columns) == ["s1", "s2", *OUTPUT_COLUMNS] and len(out) == 0


def test_a_row_with_an_empty_side_is_other_with_a_warning_not_agree(tmp_path, encoder, scorer, caplog):
    src = tmp_path / "pairs.csv"
    src.write_text("id,s1,s2\n1,الجيش يدخل المدينة,\n2,,\n3,الجيش يدخل المدينة,الجيش لم يدخل المدينة\n"
                   "4,   ,الجيش يدخل المدينة\n", encoding="utf-8")
    compare_csv(src, tmp_path / "pred.csv", encoder, scorer)
    back = pd.read_csv(tmp_path / "pred.csv", encoding="utf-8", dtype={"id": str})
    blank = back[back.id.isin(["1", "2", "4"])]
    assert blank.relation.tolist() == ["other"] * 3 and blank.p_other.tolist() == [1.0] * 3
    assert blank.similarity.isna().all()                    # no cosine is made up for nothing
    assert back.relation[2] == "disagree" and not np.isnan(back.similarity[2])
    assert "3 row(s) with an empty s1 or s2 (row 1, 2, 4" in caplog.text


def test_a_table_of_only_empty_rows_needs_no_model_call(encoder, scorer):
    out = compare_pairs(pd.DataFrame({"s1": ["", "نص"], "s2": ["نص", None]}), encoder, scorer)
    assert out.relation.tolist() == ["other", "other"]
