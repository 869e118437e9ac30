"""Near-duplicate stems by character n-gram similarity.

Similarity is the Jaccard index of the stems' character bigram sets (after NFKC, without whitespace and
punctuation). To compare a stem against a whole bank quickly, it is bucketed by locality-sensitive
hashing: for each of BANDS salted hash functions, the ROWS smallest hashes of its bigrams form one
bucket key. Two stems land in the same bucket with probability about J**ROWS per band, so pairs with
J ≥ 0.8 meet in at least one of 6 bands about 99 % of the time, while unrelated stems rarely do; only
bucket mates are compared exactly. Keys are tuples of several grams, so a common word ("行政") that
appears in half the bank does not create a giant bucket.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import gettext as _

THRESHOLD = 0.8
BANDS = 6
ROWS = 3
_SALTS = [random.Random(band).getrandbits(63) for band in range(BANDS)]
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def grams(text: str) -> frozenset[str]:
    text = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold())
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def similarity(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """Stems added under a label (a question code, or "row 7"); `find` names the closest one above the threshold."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._grams: dict[object, frozenset] = {}
        self._labels: dict[object, str] = {}
        self._buckets: dict[tuple, list] = defaultdict(list)
        self._last: tuple | None = None

    @staticmethod
    def _sketch(stem_grams: frozenset) -> list[tuple]:
        # XOR with a per-band salt reorders the gram hashes differently in each band (cheap in Python).
        hashes = [hash(gram) for gram in stem_grams]
        return [(band, *sorted([h ^ salt for h in hashes])[:ROWS]) for band, salt in enumerate(_SALTS)]

    def _prepare(self, stem: str) -> tuple[frozenset, list]:
        # An import finds then adds the same stem: keep the last one's grams and sketch.
        if self._last is None or self._last[0] != stem:
            stem_grams = grams(stem)
            self._last = (stem, stem_grams, self._sketch(stem_grams) if stem_grams else [])
        return self._last[1], self._last[2]

    def add(self, key, stem: str, label: str) -> None:
        stem_grams, sketch = self._prepare(stem)
        if not stem_grams:
            return
        self._grams[key] = stem_grams
        self._labels[key] = label
        for value in sketch:
            self._buckets[value].append(key)

    def find(self, stem: str, *, exclude=None) -> tuple[str, float] | None:
        stem_grams, sketch = self._prepare(stem)
        if not stem_grams:
            return None
        best = None
        seen = set()
        for value in sketch:
            for key in self._buckets.get(value, ()):
                if key == exclude or key in seen:
                    continue
                seen.add(key)
                score = similarity(stem_grams, self._grams[key])
                if score >= self.threshold and (best is None or score > best[1]):
                    best = (self._labels[key], score)
        return best


def bank_index(*, exclude_codes=()) -> NearDuplicateIndex:
    """An index over the stems of every question in the bank (retired ones too: reviving one is a duplicate)."""
    from .models import Question

    index = NearDuplicateIndex()
    for pk, code, stem in Question.objects.values_list("pk", "code", "stem").iterator(chunk_size=5000):
        if code not in exclude_codes:
            index.add(("q", pk), stem, _("question %(code)s") % {"code": code})
    return index


def find_near_duplicate(stem: str, *, exclude_pk=None) -> tuple[str, float] | None:
    """The label ("question Q000012") and similarity of the existing question closest to `stem`, if very close (for the edit form)."""
    return bank_index().find(stem, exclude=("q", exclude_pk))
