"""The news encoder's training pairs, its batches, and its artefact: packed, rebuilt, the same vectors and bytes."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from corroborate.build_tuned import (
    CHECK_TEXTS,
    build_tuned,
    check_folder,
    folder_vectors,
)
from corroborate.cli import cli
from corroborate.errors import ModelError
from corroborate.training.e2e import fold_ids
from corroborate.training.pairs import (
    NewsArticle,
    baly_eval_pairs,
    baly_pairs,
    day_pairs,
    is_copy,
    labelled_pairs,
    url_section,
)

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# one building collapse told by two outlets in their own words, and by the wire word for word
COLLAPSE = ("ارتفعت حصيلة ضحايا انهيار مبنى سكني من أربعة طوابق في حي الشرفية بمدينة جدة إلى سبعة قتلى و14 مصابا، "
            "بحسب ما أعلنه الدفاع المدني مساء أمس")
COLLAPSE_OTHER_WORDS = "أعلن الدفاع المدني في جدة أن سقوط عمارة سكنية بحي الشرفية أسفر عن وفاة 7 أشخاص وإصابة 14 آخرين"
DAY = [
    NewsArticle("d/okaz/1", "d", "okaz", None, "http://okaz/1",
                "ارتفاع حصيلة ضحايا انهيار مبنى سكني في حي الشرفية بجدة إلى 7 قتلى",
                COLLAPSE + ".\nوقال المتحدث إن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض حتى ساعة متأخرة من الليل."),
    NewsArticle("d/alyaum/2", "d", "alyaum", None, "http://alyaum/2",
                "الدفاع المدني: 7 وفيات و14 إصابة في سقوط عمارة بالشرفية",
                COLLAPSE_OTHER_WORDS + ".\nوأوضح البيان أن أسباب سقوط العمارة قيد التحقيق وأن البلدية أخلت المباني المجاورة احترازيا."),
    NewsArticle("d/was/3", "d", "was", "عام", "http://was/3", "عام / انهيار مبنى في حي الشرفية بجدة",
                COLLAPSE.replace("مصابا", "مصاباً") + "."),
    NewsArticle("d/okaz/4", "d", "okaz", None, "http://okaz/4", "وزير التعليم يفتتح معرض الكتاب في الرياض",
                "افتتح وزير التعليم معرض الرياض الدولي للكتاب بمشاركة أكثر من 500 دار نشر من 30 دولة.\n"
                "ويستمر المعرض عشرة أيام ويتضمن ندوات وأمسيات شعرية."),
    NewsArticle("d/alyaum/5", "d", "alyaum", None, "http://alyaum/5", "تراجع مؤشر سوق الأسهم السعودية في ختام تعاملات الأسبوع",
                "أغلق مؤشر سوق الأسهم السعودية منخفضا بنسبة 1.2 في المائة عند مستوى 8900 نقطة في ختام تعاملات الأسبوع.\n"
                "وبلغت قيمة التداولات نحو خمسة مليارات ريال."),
]


@pytest.fixture(scope="module")
def e5():
    from corroborate.pipeline import default_encoder

    return default_encoder()


@pytest.fixture(scope="module")
def base_dir():
    from corroborate import paths
    from corroborate.encode import ensure_model

    return ensure_model(paths.encoder_dir(paths.models_dir()))


def test_a_relay_is_a_copy_and_other_words_are_not():
    relay = "ارتفعت حصيلة ضحايا إنهيار مبنى سكنى من أربعة طوابق فى حي الشرفية بمدينة جدة الى سبعة قتلى و14 مصابا"
    assert is_copy(COLLAPSE, relay)
    assert is_copy(COLLAPSE, COLLAPSE.split("،")[0])          # a relay that cut the dispatch short
    assert not is_copy(COLLAPSE, COLLAPSE_OTHER_WORDS)


def test_the_desk_comes_from_the_url_where_the_outlet_puts_it_there():
    assert url_section("alwatan", "http://www.alwatan.com.sa/Politics/News_Detail.aspx?ArticleID=1") == "Politics"
    assert url_section("aljazirah", "http://www.al-jazirah.com/2015/20150810/ln54.htm") == "ln"
    assert url_section("was", "http://www.spa.gov.sa/details.php?id=1", "اقتصادي / ارتفاع الصادرات") == "اقتصادي"
    assert url_section("alriyadh", "http://www.alriyadh.com/1072046") is None


def test_one_story_told_in_other_words_is_a_pair_and_the_wire_copy_is_not(e5):
    got = day_pairs(DAY, e5)
    stories = {frozenset((p.anchor, p.positive)) for p in got.pairs["snn-story"]}
    assert frozenset((COLLAPSE, COLLAPSE_OTHER_WORDS)) in stories
    assert not any(COLLAPSE in s and COLLAPSE.replace("مصابا", "مصاباً") in s for s in stories)
    assert got.stats["verbatim"] == 1
    leads = {COLLAPSE, COLLAPSE_OTHER_WORDS, COLLAPSE.replace("مصابا", "مصاباً")}
    for p in got.pairs["snn-story"]:
        assert p.negatives and not set(p.negatives) & leads      # other stories, the story's other facts
    titles = {p.anchor: p.positive for p in got.pairs["snn-title"]}
    assert titles[DAY[1].title] == COLLAPSE_OTHER_WORDS


def test_contradictions_of_the_same_headline_are_the_hard_negatives():
    df = pd.DataFrame({"s1": ["أ", "أ", "ب", "ج"], "s2": ["أ1", "أ2", "ب1", "ج1"],
                       "label": ["agree", "disagree", "agree", "other"]})
    pairs = labelled_pairs(df, "ans")
    assert [(p.anchor, p.positive, p.negatives) for p in pairs] == [("أ", "أ1", ("أ2",)), ("ب", "ب1", ())]
    assert labelled_pairs(df, "ans", negatives=False)[0].negatives == ()


def test_baly_pairs_come_from_folds_1_and_2_only():
    pairs = baly_pairs(DATA)
    used = {p.group.removeprefix("baly:") for p in pairs}
    assert used and used <= set(fold_ids(DATA, (1, 2)))
    assert all(p.anchor != p.positive and not is_copy(p.anchor, p.positive) for p in pairs)
    held = baly_eval_pairs(DATA)
    assert not {t for p in pairs for t in (p.anchor, p.positive)} & set(held[0] + held[1])
    with pytest.raises(ValueError, match=r"\[3\]"):
        baly_pairs(DATA, folds=(1, 3))


def test_a_batch_holds_one_pair_of_each_story_and_no_text_twice():
    import torch
    from datasets import Dataset

    from corroborate.training.encoder import group_batches

    groups = [0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7]
    positives = [f"p{i}" for i in range(12)]
    positives[11] = positives[10]                             # two stories quoting one sentence
    ds = Dataset.from_dict({"anchor": [f"a{i}" for i in range(12)], "positive": positives, "label": groups})
    sampler = group_batches(min_batch=2)(ds, batch_size=4, drop_last=False, generator=torch.Generator(), seed=1)
    batches = list(sampler)
    assert len(batches) == len(sampler) >= 3                  # story 0's pairs spread over batches
    assert sum(len(b) for b in batches) >= 10
    for batch in batches:
        assert len({groups[i] for i in batch}) == len(batch) >= 2
        assert not {10, 11} <= set(batch)
    strict = group_batches(min_batch=3)(ds, batch_size=4, drop_last=False, generator=torch.Generator(), seed=1)
    assert all(len(b) >= 3 for b in strict)                   # too few in-batch negatives: left out


def _nudged(base, method):
    import torch

    from corroborate.training.encoder import SETTINGS, load_base

    model = load_base(base, {**SETTINGS, "method": method})
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in model[0].auto_model.named_parameters():
            if "lora_B" in name or (method == "full" and "layer.11." in name):
                p.add_(torch.randn_like(p) * 0.02)
    return model.eval()


@pytest.mark.parametrize("method", ["full", "lora"])
def test_the_artefact_rebuilds_the_trained_vectors_bit_for_bit(tmp_path, base_dir, method):
    from corroborate.training.encoder import PACK_TOLERANCE, PREFIX, SETTINGS, pack

    model = _nudged(base_dir, method)
    trained = model.encode([PREFIX + t for t in CHECK_TEXTS], normalize_embeddings=True)
    info = pack(model, base_dir, tmp_path / "artefact", {**SETTINGS, "method": method}, trained)["artefact"]
    assert info["weights_bytes"] < (2.5e6 if method == "full" else 6e6)   # one layer as int8; the adapter
    built = build_tuned(tmp_path / "model", base=base_dir, artefact=tmp_path / "artefact")
    vectors = folder_vectors(built)
    moved = np.abs(vectors - trained).max()
    assert moved < PACK_TOLERANCE
    assert np.abs(folder_vectors(base_dir) - trained).max() > 20 * moved     # the nudge is there, and kept
    meta = json.loads((tmp_path / "artefact" / "meta.json").read_text(encoding="utf-8"))
    assert json.loads((built / ".built").read_text(encoding="utf-8"))["model_sha256"] == meta["built_sha256"]
    if method == "full":
        meta["check"]["vectors"] = (np.asarray(meta["check"]["vectors"]) + 0.01).tolist()
        with pytest.raises(ModelError, match="retrain"):
            check_folder(built, meta, tmp_path / "artefact")


def test_train_encoder_has_help_with_examples():
    result = CliRunner().invoke(cli, ["train", "encoder", "--help"])
    assert result.exit_code == 0
    assert "--method" in result.output and "--kinds" in result.output and "Examples" in result.output
