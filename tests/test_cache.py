import json

import numpy as np
from click.testing import CliRunner

from corroborate.cache import CachingEncoder, CachingScorer, Store
from corroborate.cli import cli
from corroborate.encode import SentenceTransformerEncoder

TEXTS = ["قتل ثلاثة جنود أميركيين في هجوم بطائرة مسيرة قرب الحدود",
         "ارتفعت أسعار القمح في الأسواق العالمية بعد قرار وقف التصدير",
         "قتل ثلاثة جنود أميركيين في هجوم بطائرة مسيرة قرب الحدود"]


class Counting:
    """Passes texts to a real encoder and remembers how many it was given."""

    def __init__(self, encoder):
        self.encoder, self.seen = encoder, []
        self.name, self.fingerprint = encoder.name, encoder.fingerprint

    def encode(self, texts):
        self.seen.extend(texts)
        return self.encoder.encode(texts)


def test_each_text_is_embedded_once_across_runs(encoder, tmp_path):
    inner = Counting(encoder.encoder if isinstance(encoder, CachingEncoder) else encoder)
    first = CachingEncoder(inner, Store(tmp_path / "c.sqlite")).encode(TEXTS)
    assert inner.seen == TEXTS[:2]                          # the repeated text once
    again = CachingEncoder(inner, Store(tmp_path / "c.sqlite")).encode(TEXTS[::-1] + ["وصل الوفد إلى بغداد صباح اليوم"])
    assert inner.seen == TEXTS[:2] + ["وصل الوفد إلى بغداد صباح اليوم"]
    np.testing.assert_array_equal(again[:3], first[::-1])
    assert again.dtype == np.float32 and again.shape == (4, first.shape[1])


def test_vectors_are_kept_chunk_by_chunk_and_equal_one_call(encoder, tmp_path):
    shipped = encoder.encoder if isinstance(encoder, CachingEncoder) else encoder
    base = SentenceTransformerEncoder(shipped.path, build=True, batch_size=2, backend=shipped.backend)
    texts = [f"{t} رقم {n}" + " إضافي" * (n % 5) for n, t in enumerate(TEXTS * 4)]
    whole = base.encode(texts)
    store = Store(tmp_path / "c.sqlite")
    chunked = CachingEncoder(base, store, chunk=3)
    assert len(chunked._chunks(texts)) > 2
    np.testing.assert_array_equal(chunked.encode(texts), whole)
    # every chunk is in the store once it is done: a second encoder finds them all
    again = Counting(base)
    CachingEncoder(again, store).encode(texts)
    assert again.seen == []


def test_another_model_does_not_read_the_vectors_of_the_first(encoder, tmp_path):
    inner = Counting(encoder.encoder if isinstance(encoder, CachingEncoder) else encoder)
    CachingEncoder(inner, Store(tmp_path / "c.sqlite")).encode(TEXTS[:1])
    inner.fingerprint = "another-model"
    CachingEncoder(inner, Store(tmp_path / "c.sqlite")).encode(TEXTS[:1])
    assert inner.seen == TEXTS[:1] * 2


def test_pair_scores_are_kept_and_come_back_in_order(scorer, tmp_path):
    cached = CachingScorer(scorer, Store(tmp_path / "c.sqlite"), key="test")
    s1, s2 = [TEXTS[0], TEXTS[1]], [TEXTS[1], TEXTS[0]]
    first = cached.predict_proba(s1, s2)
    np.testing.assert_allclose(first.sum(axis=1), 1.0, atol=1e-5)
    assert Store(tmp_path / "c.sqlite").count("pairs", "test") == 2
    np.testing.assert_array_equal(cached.predict_proba(s1[::-1], s2[::-1]), first[::-1])


def test_an_unusable_cache_file_warns_and_the_run_goes_on(encoder, tmp_path, caplog):
    bad = tmp_path / "c.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    vectors = CachingEncoder(encoder, Store(bad)).encode(TEXTS[:1])
    assert vectors.shape[0] == 1
    assert "c.sqlite" in caplog.text and "--no-cache" in caplog.text


def test_a_cached_rerun_of_analyze_writes_the_same_report(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("قالت وزارة الدفاع إن ثلاثة جنود قتلوا في هجوم بطائرة مسيرة على القاعدة.\n"
                                "وأضافت الوزارة أن التحقيق في الهجوم ما زال جاريا حتى الآن.", encoding="utf-8")
    (docs / "b.txt").write_text("أعلنت وزارة الدفاع مقتل ثلاثة جنود في هجوم بطائرة مسيرة على القاعدة.\n"
                                "وارتفعت أسعار النفط في الأسواق العالمية بعد الهجوم على القاعدة.", encoding="utf-8")
    outs = []
    for run in ("one", "two"):
        out = tmp_path / f"{run}.json"
        result = CliRunner().invoke(cli, ["analyze", str(docs), "--json", str(out), "-q",
                                          "--cache", str(tmp_path / "c.sqlite")])
        assert result.exit_code == 0, result.output
        outs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outs[0]["clusters"] == outs[1]["clusters"] and outs[0]["claims"] == outs[1]["claims"]
    assert Store(tmp_path / "c.sqlite").count("vectors") == len(outs[0]["claims"])


# --- the cache lives in the user's cache folder, never in the package (issue 23 item 6) --------

def test_the_cache_file_is_the_users_unless_moved(tmp_path, monkeypatch):
    from corroborate import paths

    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_file() == tmp_path / "xdg" / "corroborate" / "cache.sqlite"
    assert paths.packaged_models() not in paths.cache_file().parents
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "mine.sqlite"))
    assert paths.cache_file() == tmp_path / "mine.sqlite"
    assert paths.cache_file(tmp_path / "given.sqlite") == tmp_path / "given.sqlite"   # --cache wins
    (tmp_path / "folder").mkdir()
    assert paths.cache_file(tmp_path / "folder") == tmp_path / "folder" / "cache.sqlite"


def _package_cache_state():
    from corroborate import paths

    inside = paths.packaged_models() / ".cache" / "cache.sqlite"
    return inside.stat().st_mtime_ns if inside.exists() else None


def test_analyze_keeps_its_cache_where_the_environment_says_not_in_the_package(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("قال متحدث باسم البلدية إن أعمال صيانة الجسر الرئيسي ستبدأ الأسبوع "
                                "المقبل وتستمر شهرين كاملين.\n", encoding="utf-8")
    before = _package_cache_state()
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", str(docs), "--json", str(tmp_path / "r.json"), "-q"],
                           env={"XDG_CACHE_HOME": str(tmp_path / "xdg"), "CORROBORATE_CACHE": None})
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "xdg" / "corroborate" / "cache.sqlite").count("vectors") >= 1
    result = runner.invoke(cli, ["analyze", str(docs), "--json", str(tmp_path / "r.json"), "-q"],
                           env={"CORROBORATE_CACHE": str(tmp_path / "moved.sqlite")})
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "moved.sqlite").count("vectors") >= 1
    assert _package_cache_state() == before
