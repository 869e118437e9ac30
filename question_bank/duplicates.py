"""Near-duplicate stems by character n-gram similarity.

Similarity is the Jaccard index of the stems' character bigram sets (after NFKC, without whitespace and
punctuation). To compare a stem against a whole bank quickly, it is bucketed by locality-sensitive
hashing: its bigrams' hashes are spread over BANDS × ROWS bins, each bin keeps its minimum (one-
permutation min-hashing), and each band of ROWS bins is one bucket key. Two stems share a band's key
with probability about J**ROWS, so pairs with J ≥ 0.8 meet in at least one of 6 bands about 98 % of the
time, while unrelated stems rarely do; only bucket mates are compared exactly. Keys are tuples of several grams, so a common word ("行政") that
appears in half the bank does not create a giant bucket.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict

from django.utils.translation import gettext as _

THRESHOLD = 0.8
BANDS = 6
ROWS = 3
_BINS = BANDS * ROWS
_MASK = (1 << 32) - 1
_EMPTY = 1 << 32
_ODD = 0x9E3779B1  # spreads crc32's low bits before taking the bin
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
        self._gram_hash: dict[str, int] = {}

    def _sketch(self, stem_grams: frozenset) -> list[tuple]:
        # One-permutation hashing: a stable hash per gram (crc32: the same in every process, so results
        # are reproducible) picks one of BANDS × ROWS bins; each bin keeps its smallest value. One pass
        # gives all the min-hashes, which matters in Python.
        cache = self._gram_hash
        bins = [_EMPTY] * _BINS
        for gram in stem_grams:
            value = cache.get(gram)
            if value is None:
                value = cache[gram] = (zlib.crc32(gram.encode("utf-8")) * _ODD) & _MASK
            slot = value % _BINS
            if value < bins[slot]:
                bins[slot] = value
        keys = [(band, *bins[band * ROWS : (band + 1) * ROWS]) for band in range(BANDS)]
        # A band with no gram at all would put every short stem in one bucket.
        return [key for key in keys if any(value != _EMPTY for value in key[1:])]

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


# --- exact duplicates --------------------------------------------------------------------------------
# Two questions are the same question when their type, stem and options are equal after normalising what
# a typist varies without meaning to: full/half width (NFKC), case, whitespace, HTML markup, and the order
# of the options (papers shuffle them anyway). Such a question is refused, never saved twice.

_SPACE = re.compile(r"\s+", re.UNICODE)


def _canonical(text: str) -> str:
    from .grading import plain_text

    return _SPACE.sub("", unicodedata.normalize("NFKC", plain_text(text or "")).casefold())


def exact_key(question_type: str, stem: str, options) -> tuple:
    return (question_type, _canonical(stem), tuple(sorted(_canonical(str(option)) for option in options or ())))


def bank_exact_index() -> dict[tuple, tuple[int, str]]:
    """Exact key → (pk, code) of every question in the bank, retired ones too."""
    from .models import Question

    index: dict[tuple, tuple[int, str]] = {}
    rows = Question.objects.order_by("pk").values_list("pk", "code", "type", "stem", "options")
    for pk, code, question_type, stem, options in rows.iterator(chunk_size=5000):
        index.setdefault(exact_key(question_type, stem, options), (pk, code))
    return index


def find_exact_duplicate(question_type: str, stem: str, options, *, exclude_pk=None) -> str | None:
    """The code of another question with the same type, stem and options, if any (for the edit form)."""
    from .models import Question

    key = exact_key(question_type, stem, options)
    candidates = Question.objects.filter(type=question_type).exclude(pk=exclude_pk).order_by("pk")
    for code, candidate_stem, candidate_options in candidates.values_list("code", "stem", "options").iterator(
        chunk_size=5000
    ):
        if exact_key(question_type, candidate_stem, candidate_options) == key:
            return code
    return None
