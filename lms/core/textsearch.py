"""Chinese-aware search text: overlapping character bigrams.

Full-text engines (SQLite FTS5's unicode61, PostgreSQL's parsers, Wagtail's database backend on either)
treat a run of Chinese characters as one token, so a two-character word inside a sentence is never found.
Indexing every overlapping pair of CJK characters as its own token, and turning the query into the same
pairs, makes any word of two or more characters findable on every database, with no dictionary to keep.
Latin words and numbers are kept whole (lower-cased).
"""

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")


def normalise(text: str) -> str:
    """NFKC (full-width letters, digits and spaces become ordinary ones), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _tokens(text: str) -> list[str]:
    tokens = []
    for run in _TOKEN.findall(normalise(text)):
        if _CJK_RUN.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def bigram_text(text: str) -> str:
    """The text as space-separated search tokens, for an index field."""
    return " ".join(_tokens(text))


def bigram_query(query: str) -> str:
    """The query in the same tokens; every token must match (AND), so word order inside stays loose."""
    return " ".join(dict.fromkeys(_tokens(query)))
