"""A test double of a sentence encoder: hashed bags of content stems. Not a model of meaning.

`HashedStemEncoder` maps each content stem of a text (`paraphrase.content_stems`) to one of `dim`
coordinates and a sign by a stable hash (blake2b), sums them and normalises the row. Two texts get
similar vectors exactly when they share content stems, so it finds nothing the lexical search does
not; it exists to test and time the index's vector storage, search, refusal and scan wiring
deterministically and fast, without a model installed. The real encoder is `provenance.meaning`'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from provenance.comparator.paraphrase import content_stems
from provenance.text import tokenize

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray


@lru_cache(maxsize=1 << 16)
def _slot(st: str, dim: int) -> tuple[int, float]:
    h = int.from_bytes(hashlib.blake2b(st.encode("utf-8"), digest_size=8).digest(), "little")
    return h % dim, 1.0 if (h >> 40) & 1 else -1.0


class HashedStemEncoder:
    """Hashed bag of content stems, `dim` coordinates, rows L2-normalised (a zero row for no content)."""

    def __init__(self, dim: int = 64, salt: str = "") -> None:
        self.dim = dim
        self.salt = salt
        self.name = f"test-hashed-stems-{dim}{'-' + salt if salt else ''}"

    def encode(self, texts: Sequence[str]) -> NDArray[numpy.float32]:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for st in content_stems(tokenize(text).keys):
                j, sign = _slot(self.salt + st, self.dim)
                out[i, j] += sign
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


__all__ = ["HashedStemEncoder"]
