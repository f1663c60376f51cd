"""Filters and visibility become tags of the full-text index (see ``backends``): the table is rebuilt with a
``tags`` column filled from the documents' filter values, the text copied as it is (no re-segmenting)."""

from django.db import migrations

SQLITE_COPY = [
    "CREATE VIRTUAL TABLE search_fts_rebuilt USING fts5("
    "title, body, pinyin, tags, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO search_fts_rebuilt (rowid, title, body, pinyin, tags) "
    "SELECT f.rowid, f.title, f.body, f.pinyin, coalesce(t.tags, '') FROM search_fts f LEFT JOIN ("
    " SELECT document_id, group_concat(zhijiao_search_tag(name, value), ' ') AS tags FROM ("
    "  SELECT document_id, name, value FROM search_searchfiltervalue"
    "  UNION ALL SELECT id, 'visibility', 'private' FROM search_searchdocument WHERE NOT is_public"
    " ) GROUP BY document_id"
    ") t ON t.document_id = f.rowid",
    "DROP TABLE search_fts",
    "ALTER TABLE search_fts_rebuilt RENAME TO search_fts",
    "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
]
POSTGRES_COPY = [
    "CREATE TABLE search_vector_rebuilt ("
    " document_id bigint PRIMARY KEY,"
    " title text NOT NULL, body text NOT NULL, pinyin text NOT NULL, tags text[] NOT NULL DEFAULT '{}',"
    " vector tsvector GENERATED ALWAYS AS ("
    "  setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B') ||"
    "  setweight(to_tsvector('simple', pinyin), 'C') || setweight(array_to_tsvector(tags), 'D')"
    " ) STORED)",
    "INSERT INTO search_vector_rebuilt (document_id, title, body, pinyin, tags) "
    "SELECT v.document_id, v.title, v.body, v.pinyin, coalesce(t.tags, '{}') FROM search_vector v LEFT JOIN ("
    " SELECT document_id, array_agg(DISTINCT tag) AS tags FROM ("
    "  SELECT document_id, name || '=' || left(value, 100) AS tag FROM search_searchfiltervalue"
    "  UNION ALL SELECT id, 'visibility=private' FROM search_searchdocument WHERE NOT is_public"
    " ) pairs GROUP BY document_id"
    ") t ON t.document_id = v.document_id",
    "DROP TABLE search_vector",
    "ALTER TABLE search_vector_rebuilt RENAME TO search_vector",
    "ALTER INDEX search_vector_rebuilt_pkey RENAME TO search_vector_pkey",
    "CREATE INDEX search_vector_gin ON search_vector USING gin (vector) WITH (fastupdate = off)",
]


def add_tags(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from zhijiao.search.backends import sqlite_tag, tag

        schema_editor.connection.ensure_connection()
        schema_editor.connection.connection.create_function(
            "zhijiao_search_tag", 2, lambda name, value: sqlite_tag(tag(name, value)), deterministic=True
        )
        statements = SQLITE_COPY
    elif vendor == "postgresql":
        statements = POSTGRES_COPY
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_tags, migrations.RunPython.noop)]
