"""Keyword search over questions that finds Chinese words inside sentences, on SQLite and PostgreSQL.

Each question keeps `search_text`: overlapping character bigrams of its code, stem, options and legal
basis (lms.core.textsearch). A question matches when every bigram of the query is in it: on PostgreSQL
through a GIN-indexed 'simple' tsvector (measured in bench/question_import.py), elsewhere by substring
tests on that text, so both databases give the same answers. A one-character term has no bigram and is
matched as a substring of the code, stem and legal basis.
"""

from __future__ import annotations

import unicodedata

from django.db import connection
from django.db.models import Q, QuerySet

from lms.core.textsearch import bigram_query, bigram_text

SUBSTRING_FIELDS = ("code", "stem", "legal_basis")


def search_text_for(code: str, stem: str, options, legal_basis: str) -> str:
    parts = [code, stem, *(options or []), legal_basis]
    return bigram_text(" ".join(str(part) for part in parts if part))


def _substring(queryset: QuerySet, query: str) -> QuerySet:
    for term in query.split():
        condition = Q()
        for variant in {term, unicodedata.normalize("NFKC", term)}:
            for name in SUBSTRING_FIELDS:
                condition |= Q(**{f"{name}__icontains": variant})
        queryset = queryset.filter(condition)
    return queryset


def search_questions(queryset: QuerySet, query: str) -> QuerySet:
    """Questions containing every whitespace-separated term of `query`."""
    query = (query or "").strip()
    if not query:
        return queryset
    tokens = bigram_query(query).split()
    single_characters = any(len(term) == 1 for term in query.split())
    if not tokens or single_characters:
        return _substring(queryset, query)
    if connection.vendor != "postgresql":
        for token in tokens:
            queryset = queryset.filter(search_text__contains=token)
        return queryset
    from django.contrib.postgres.search import SearchQuery, SearchVector

    # Same expression as the GIN index of migration 0002: to_tsvector('simple', COALESCE(search_text, '')).
    return queryset.annotate(_search=SearchVector("search_text", config="simple")).filter(
        _search=SearchQuery(" ".join(tokens), config="simple", search_type="plain")
    )
