"""Near-duplicate stems by character n-gram similarity.

Similarity is the Jaccard index of the stems' character bigram sets (after NFKC, without whitespace and
punctuation). To compare a stem against a whole bank quickly, each stem is indexed under its few
smallest bigram hashes (a bottom-k sketch): two stems with high similarity share their smallest hashes
with high probability, so only those few candidates are compared exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from django.utils.translation import gettext as _

THRESHOLD = 0.8
SKETCH_SIZE = 6
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
        self._buckets: dict[int, list] = defaultdict(list)

    @staticmethod
    def _sketch(stem_grams: frozenset) -> list[int]:
        return sorted(hash(gram) for gram in stem_grams)[:SKETCH_SIZE]

    def add(self, key, stem: str, label: str) -> None:
        stem_grams = grams(stem)
        if not stem_grams:
            return
        self._grams[key] = stem_grams
        self._labels[key] = label
        for value in self._sketch(stem_grams):
            self._buckets[value].append(key)

    def find(self, stem: str, *, exclude=None) -> tuple[str, float] | None:
        stem_grams = grams(stem)
        if not stem_grams:
            return None
        best = None
        seen = set()
        for value in self._sketch(stem_grams):
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
