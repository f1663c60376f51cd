"""The two full-text backends behind one interface, chosen from the database vendor.

Both receive the same compiled query (:class:`Match`) and the same segmented text, and answer with document ids:

- SQLite: an FTS5 virtual table ``search_fts(title, body, pinyin, tags)``, rowid = ``SearchDocument.id``, ranked
  by ``bm25`` with the title weighted 10, pinyin 4, body 2 (tags 0).
- PostgreSQL: ``search_vector(document_id, title, body, pinyin, tags, vector)``; ``vector`` is generated from
  ``to_tsvector('simple', …)`` of each text column with weights A (title), B (body), C (pinyin) and the tags
  (weight D), under a GIN index (fastupdate off), ranked by ``ts_rank`` of the words.

**Filters and visibility are tags of the inverted index.** Every (filter, value) pair of a document (platform,
type, declared filters, audience keys; see ``services.filter_rows``) and ``visibility=private`` for a non-public
document are indexed as tags, so one index lookup intersects the words with the filters and the audience: no
per-candidate lookup of the documents table (a common word has 100,000 candidates at 1,000,000 documents; a
platform filter keeps a sixth). Public documents carry no tag: "public or one of my keys" is
``NOT (private NOT (key₁ OR key₂ …))``, so a visitor's query never walks a posting list as long as the corpus.
On SQLite a tag is one hashed token in the ``tags`` column (which the words never search, so typed words cannot
hit one); on PostgreSQL it is the lexeme ``name=value`` (``array_to_tsvector``, never produced from typed text).

**Cost bounds.** A search by relevance is one pass over the index (:meth:`Backend.candidates`): the ids and
ranks of at most :data:`RANK_CAP` matches (+1, to know there are more), the most recently indexed first on
SQLite, in the order read on PostgreSQL. Up to RANK_CAP matches the total, the order and the pages are exact;
above it the total is reported as "more than RANK_CAP" and the first pages are the best of those RANK_CAP
matches. Sorting by date or popularity joins the documents table and is exact; its count stops at RANK_CAP too.
Facets are counted over :data:`FACET_SAMPLE` matches (the best ranked ones for relevance).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

# Facet counts are made over at most this many matching documents (exact below it; see SearchResult.facets_exact).
FACET_SAMPLE = 1000
# Relevance is computed over at most this many matches (exact below it).
RANK_CAP = 10_000
SORTS = ("relevance", "newest", "popular")
PRIVATE_TAG = ("visibility", "private")


def tag(name: str, value: str) -> str:
    """The tag of one (filter, value) pair, as PostgreSQL indexes it."""
    return f"{name}={value[:100]}"


def sqlite_tag(text: str) -> str:
    """A tag as one FTS5 token: unicode61 would split ``region=110000`` into words. Changing it needs a reindex
    (migration 0002 wrote existing tags with it)."""
    return "zf" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass
class Match:
    """A compiled search: all ``terms`` (each one word), the ``phrases`` (consecutive words), no ``excluded``
    term; every ``filters`` (name, value) pair; and, unless ``audience`` is None, public documents or documents
    for one of the ``audience`` keys."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)
    audience: list[str] | None = None
    prefix: str | None = None  # suggestions: the last word typed, matched as a prefix of title words

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefix)


@dataclass
class Row:
    """The text of one document as the backend stores it (segmented, space-separated), and its tags."""

    document_id: int
    title: str
    body: str
    pinyin: str
    tags: list[str] = field(default_factory=list)  # tag(name, value) of each filter pair, PRIVATE_TAG if private


_ORDER = {
    "newest": "d.date DESC NULLS LAST, d.id DESC",
    "popular": "d.popularity DESC, d.id DESC",
}


class Backend:
    """What a search backend does; one instance per vendor."""

    vendor = ""
    TABLE = ""
    ID = ""  # the document id column of TABLE

    def source(self, match: Match, *, joined: bool = False) -> tuple[str, list[str]]:
        """``FROM … WHERE …`` selecting the matches in the index alone, with its parameters; ``joined`` adds the
        document row ``d`` (for sorting by its date or popularity)."""
        raise NotImplementedError

    def write(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def delete(self, document_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def delete_kind(self, kind: str | None) -> None:
        """Drop the text of every document of ``kind`` (all documents when None)."""
        with connection.cursor() as cursor:
            if kind is None:
                cursor.execute(f"DELETE FROM {self.TABLE}")  # noqa: S608
            else:
                cursor.execute(
                    f"DELETE FROM {self.TABLE} WHERE {self.ID} IN "  # noqa: S608
                    "(SELECT id FROM search_searchdocument WHERE kind = %s)",
                    [kind],
                )

    def prune(self) -> None:
        """Drop text rows whose document is gone (after a flush that emptied the documents table)."""
        raise NotImplementedError

    def candidates(self, match: Match, *, cap: int, keep: int) -> tuple[int, list[int]]:
        """One pass over the index: how many documents match (counting at most ``cap + 1``), and the ids of the
        best ranked ``keep`` of them, best first. Ranking, counting and cutting happen in SQL: a common word's
        10,000 candidates never become Python objects."""
        raise NotImplementedError

    def _candidates(self, sql: str, params: Sequence[str | int]) -> tuple[int, list[int]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return (int(rows[0][1]) if rows else 0), [row[0] for row in rows]

    def _fetch_ids(self, sql: str, params: Sequence[str | int]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def ids(self, match: Match, *, sort: str, limit: int, offset: int) -> list[int]:
        """One page of ids sorted by date or popularity (relevance: see ``candidates``)."""
        source, params = self.source(match, joined=True)
        sql = f"SELECT d.id FROM {source} ORDER BY {_ORDER[sort]} LIMIT %s OFFSET %s"  # noqa: S608
        return self._fetch_ids(sql, [*params, limit, offset])

    def count(self, match: Match, *, cap: int) -> int:
        """How many documents match, counting at most ``cap + 1``."""
        source, params = self.source(match)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} LIMIT %s) hits", [*params, cap + 1])  # noqa: S608
            return int(cursor.fetchone()[0])

    def facet_counts(self, match: Match, *, sample: int = FACET_SAMPLE) -> list[tuple[str, str, int]]:
        """(filter name, value, documents) over the first ``sample`` matching documents."""
        source, params = self.source(match)
        sql = (
            "SELECT name, value, count(*) FROM search_searchfiltervalue WHERE document_id IN "  # noqa: S608
            f"(SELECT {self.ID} FROM {source} LIMIT %s) AND name <> 'audience' GROUP BY name, value"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, sample])
            return [(name, value, int(count)) for name, value, count in cursor.fetchall()]

    def facet_counts_of(self, document_ids: Sequence[int]) -> list[tuple[str, str, int]]:
        """(filter name, value, documents) over the given documents."""
        if not document_ids:
            return []
        marks = ", ".join(["%s"] * len(document_ids))
        sql = (
            f"SELECT name, value, count(*) FROM search_searchfiltervalue WHERE document_id IN ({marks}) "  # noqa: S608
            "AND name <> 'audience' GROUP BY name, value"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(document_ids))
            return [(name, value, int(count)) for name, value, count in cursor.fetchall()]

    def suggest_ids(self, match: Match, *, limit: int) -> list[int]:
        source, params = self.source(match, joined=True)
        sql = f"SELECT d.id FROM {source} ORDER BY d.popularity DESC, d.id LIMIT %s"  # noqa: S608
        return self._fetch_ids(sql, [*params, limit])


def _fts_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_tag(name: str, value: str) -> str:
    return f"tags : {sqlite_tag(tag(name, value))}"


class SQLiteBackend(Backend):
    vendor = "sqlite"
    TABLE = "search_fts"
    ID = "rowid"
    RANK = "bm25(search_fts, 10.0, 2.0, 4.0, 0.0)"

    def source(self, match: Match, *, joined: bool = False) -> tuple[str, list[str]]:
        if joined:
            # CROSS JOIN keeps SQLite's planner from starting at the documents table: the index selects the rows.
            sql = "search_fts f CROSS JOIN search_searchdocument d ON d.id = f.rowid WHERE search_fts MATCH %s"
            return sql, [self.expression(match)]
        return "search_fts WHERE search_fts MATCH %s", [self.expression(match)]

    def expression(self, match: Match) -> str:
        parts: list[str] = []
        parts += [f"{{title body pinyin}} : {_fts_quote(word)}" for word in match.terms]
        parts += ["{title body} : " + " + ".join(_fts_quote(word) for word in phrase) for phrase in match.phrases]
        if match.prefix:
            parts.append(f"{{title pinyin}} : {_fts_quote(match.prefix)} *")
        parts += [_fts_tag(name, value) for name, value in match.filters]
        expression = "(" + " AND ".join(parts) + ")"
        for words in match.excluded:
            expression = f"({expression} NOT {{title body}} : ({' + '.join(_fts_quote(word) for word in words)}))"
        if match.audience is not None:
            hidden = _fts_tag(*PRIVATE_TAG)
            if match.audience:
                keys = " OR ".join(_fts_tag("audience", key) for key in match.audience)
                hidden = f"({hidden} NOT ({keys}))"
            expression = f"({expression} NOT {hidden})"
        return expression

    def candidates(self, match: Match, *, cap: int, keep: int) -> tuple[int, list[int]]:
        # The most recently indexed first: FTS5 walks its doclists backwards at no extra cost.
        source, params = self.source(match)
        sql = (
            "SELECT id, n FROM (SELECT id, r, count(*) OVER () AS n, row_number() OVER (ORDER BY id DESC) AS seq "  # noqa: S608
            f"FROM (SELECT rowid AS id, {self.RANK} AS r FROM {source} ORDER BY rowid DESC LIMIT %s)) "
            "WHERE seq <= %s ORDER BY r, id LIMIT %s"
        )
        return self._candidates(sql, [*params, cap + 1, cap, keep])

    def write(self, rows: Sequence[Row]) -> None:
        self.delete([row.document_id for row in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.TABLE} (rowid, title, body, pinyin, tags) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                [
                    (row.document_id, row.title, row.body, row.pinyin, " ".join(sqlite_tag(t) for t in row.tags))
                    for row in rows
                ],
            )

    def delete(self, document_ids: Iterable[int]) -> None:
        ids = list(document_ids)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {self.TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def prune(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.TABLE} WHERE rowid NOT IN (SELECT id FROM search_searchdocument)"  # noqa: S608
            )


def _ts_quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend(Backend):
    vendor = "postgresql"
    TABLE = "search_vector"
    ID = "document_id"

    def source(self, match: Match, *, joined: bool = False) -> tuple[str, list[str]]:
        # The words go through to_tsquery (as the text went through to_tsvector); tags are lexemes as they are.
        words, tags = self.expression(match)
        query = "(to_tsquery('simple', %s) && %s::tsquery)" if tags else "to_tsquery('simple', %s)"
        params = [words, tags] if tags else [words]
        if joined:
            joins = "search_vector v JOIN search_searchdocument d ON d.id = v.document_id"
            return f"{joins} WHERE v.vector @@ {query}", params
        return f"search_vector WHERE vector @@ {query}", params

    def words(self, match: Match) -> str:
        # Words are not weight-restricted: the vector holds the text as A, B and C, so ":ABC" would only force
        # the index to recheck every candidate's row; tags (D) never equal a word (they contain "=").
        parts: list[str] = [_ts_quote(word) for word in match.terms]
        parts += ["(" + " <-> ".join(f"{_ts_quote(word)}:AB" for word in phrase) + ")" for phrase in match.phrases]
        if match.prefix:
            parts.append(f"{_ts_quote(match.prefix)}:*AC")
        return " & ".join(parts)

    def expression(self, match: Match) -> tuple[str, str]:
        """The words (for to_tsquery) and the tags (a tsquery, "" for none) of a match."""
        parts = [self.words(match)]
        parts += ["!(" + " <-> ".join(f"{_ts_quote(word)}:AB" for word in words) + ")" for words in match.excluded]
        tags = [_ts_quote(tag(name, value)) for name, value in match.filters]
        if match.audience is not None:
            visible = [f"!{_ts_quote(tag(*PRIVATE_TAG))}"]
            visible += [_ts_quote(tag("audience", key)) for key in match.audience]
            tags.append("(" + " | ".join(visible) + ")")
        return " & ".join(parts), " & ".join(tags)

    def candidates(self, match: Match, *, cap: int, keep: int) -> tuple[int, list[int]]:
        # Ranked by the words alone (no exclusions, no tags).
        words = self.words(Match(terms=match.terms, phrases=match.phrases, prefix=match.prefix))
        source, params = self.source(match)
        sql = (
            "SELECT document_id, n FROM (SELECT document_id, r, count(*) OVER () AS n, row_number() OVER () AS seq "  # noqa: S608
            f"FROM (SELECT document_id, ts_rank(vector, to_tsquery('simple', %s)) AS r FROM {source} LIMIT %s) c) w "
            "WHERE seq <= %s ORDER BY r DESC, document_id LIMIT %s"
        )
        return self._candidates(sql, [words, *params, cap + 1, cap, keep])

    def write(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.TABLE} (document_id, title, body, pinyin, tags) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
                "ON CONFLICT (document_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
                "pinyin = EXCLUDED.pinyin, tags = EXCLUDED.tags",
                [(row.document_id, row.title, row.body, row.pinyin, sorted(set(row.tags))) for row in rows],
            )

    def delete(self, document_ids: Iterable[int]) -> None:
        ids = list(document_ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.TABLE} WHERE document_id = ANY(%s)", [ids])  # noqa: S608

    def prune(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.TABLE} v WHERE NOT EXISTS "  # noqa: S608
                "(SELECT 1 FROM search_searchdocument d WHERE d.id = v.document_id)"
            )


_BACKENDS: dict[str, Backend] = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def backend() -> Backend:
    """The backend for the default database's vendor."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(f"search supports SQLite and PostgreSQL, not {connection.vendor}") from None


SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, pinyin, tags, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_DDL = [
    "CREATE TABLE IF NOT EXISTS search_vector ("
    " document_id bigint PRIMARY KEY,"
    " title text NOT NULL, body text NOT NULL, pinyin text NOT NULL, tags text[] NOT NULL DEFAULT '{}',"
    " vector tsvector GENERATED ALWAYS AS ("
    "  setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B') ||"
    "  setweight(to_tsvector('simple', pinyin), 'C') || setweight(array_to_tsvector(tags), 'D')"
    " ) STORED)",
    "CREATE INDEX IF NOT EXISTS search_vector_gin ON search_vector USING gin (vector) WITH (fastupdate = off)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_vector"]
