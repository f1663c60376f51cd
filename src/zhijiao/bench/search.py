"""``zhijiao bench search [--docs N]``: search latency over a large GENERATED corpus, on SQLite and PostgreSQL.

For each backend a child process (its own settings: the corpus lives in ``$TMPDIR/zhijiao-bench-search/`` for
SQLite, in the ``zhijiao_bench`` database for PostgreSQL) builds the corpus once (``demo/corpus.py``), then prints:

- p50/p95 of 1-, 2- and 3-word queries, each with one platform filter, counting the total and the facets, as an
  anonymous visitor (so the audience condition is applied too) — the page's own selector, not a bare SQL query;
- the same matches done by ``LIKE '%…%'`` scans of the documents table, and the ratio of the medians;
- reindex throughput: 20,000 documents re-tokenised and rewritten in batches of 2,000 (delete + bulk insert).

Facets are counted over the first 1,000 matches (FACET_SAMPLE): below that they are exact, above it the page
says the counts cover the first 1,000. Totals are exact up to RANK_CAP (10,000) matches, "more than 10,000"
above, and relevance is then ranked among 10,000 of them (``search/backends.py``): the "hits" column is that
capped total. A corpus built by an older schema is upgraded by the search migrations (no re-segmenting).
Nothing here asserts; it prints figures, with the machine's load average (the figures move with it).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from zhijiao.bench.harness import DEFAULT_PG_URL, database_env, percentiles_ms, pg_url

VAR_DIR = Path(tempfile.gettempdir()) / "zhijiao-bench-search"
QUERIES_PER_CLASS = 40
LIKE_QUERIES_PER_CLASS = 3
REINDEX_SAMPLE = 20_000


def run(*, docs: int) -> None:
    click.echo(f"搜索基准：{docs:,} 条【生成的】文档（demo/corpus.py 由词表合成，非真实内容）")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    targets = [("SQLite FTS5", f"sqlite:///{VAR_DIR / f'corpus-{docs}.sqlite3'}")]
    pg = pg_url()
    if pg:
        targets.append(("PostgreSQL tsvector", pg))
    else:
        click.echo(f"PostgreSQL 不可达（DATABASE_URL 或 {DEFAULT_PG_URL}），只测 SQLite。")
    for label, url in targets:
        click.echo(f"\n== {label} ==")
        env = database_env(VAR_DIR, url)
        subprocess.run([sys.executable, "-m", "zhijiao.bench.search", str(docs)], env=env, check=True)


def _queries(rng: random.Random, words: int, docs: int) -> list[tuple[str, str]]:
    """Queries people would type: ``words`` words taken from the title of a random corpus document."""
    from zhijiao.core.tokenizer import query_tokens
    from zhijiao.demo import corpus

    sample = list(corpus.documents(min(docs, 5000)))
    result: list[tuple[str, str]] = []
    while len(result) < QUERIES_PER_CLASS:
        document = rng.choice(sample)
        candidates = [word for word in dict.fromkeys(query_tokens(document.title)) if len(word) >= 2]
        if len(candidates) < words:
            continue
        parts = rng.sample(candidates, words)
        # The filter is the document's own platform half of the time, another one otherwise.
        platform = document.platform if rng.random() < 0.5 else rng.choice(corpus.PLATFORMS)
        result.append((" ".join(parts), platform))
    return result


def _like_scan(query: str, platform: str) -> int:
    from django.db import connection

    words = query.split()
    where = " AND ".join(["(title LIKE %s OR body LIKE %s)"] * len(words))
    params: list[str] = [platform]
    for word in words:
        params += [f"%{word}%", f"%{word}%"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM search_searchdocument WHERE platform = %s AND is_public AND {where}",  # noqa: S608
            params,
        )
        total = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT id FROM search_searchdocument WHERE platform = %s AND is_public AND {where} "  # noqa: S608
            "ORDER BY id LIMIT 20",
            params,
        )
        cursor.fetchall()
    return total


def child(docs: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from zhijiao.demo import corpus
    from zhijiao.search.backends import backend
    from zhijiao.search.models import SearchDocument
    from zhijiao.search.selectors import search
    from zhijiao.search.services import documents_write

    call_command("migrate", interactive=False, verbosity=0)
    have = SearchDocument.objects.filter(kind__startswith="corpus.").count()
    if have != docs:
        with connection.cursor() as cursor:  # start clean: straight to the tables, no per-row deletes
            cursor.execute("DELETE FROM search_searchfiltervalue")
            backend().delete_kind(None)
            cursor.execute("DELETE FROM search_searchdocument")
        started = time.monotonic()
        with click.progressbar(length=docs, label="生成并写入语料", file=sys.stderr) as bar:
            corpus.load(docs, progress=bar.update)
        seconds = time.monotonic() - started
        click.echo(f"语料写入：{docs:,} 条，{seconds:.0f} 秒（{docs / seconds:,.0f} 条/秒，含分词与拼音）")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
    else:
        click.echo(f"复用已有语料：{docs:,} 条")
    if connection.vendor == "postgresql":
        # After a bulk load or a migration that rebuilt the index table: statistics, and the visibility map that
        # lets counts skip the table's pages. Quick when nothing changed since the last run.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_vector")
            cursor.execute("VACUUM (ANALYZE) search_searchdocument")
            cursor.execute("VACUUM (ANALYZE) search_searchfiltervalue")
    click.echo(f"负载（1/5/15 分钟平均）：{' '.join(f'{load:.2f}' for load in os.getloadavg())}")

    anonymous = AnonymousUser()
    rng = random.Random(7)
    for words in (1, 2, 3):
        queries = _queries(rng, words, docs)
        for q, platform in queries[:3]:  # warm the caches
            search(actor=anonymous, q=q, filters={"platform": platform})
        timings, totals = [], []
        for q, platform in queries:
            started = time.perf_counter()
            result = search(actor=anonymous, q=q, filters={"platform": platform})
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
        scans = []
        for q, platform in queries[:LIKE_QUERIES_PER_CLASS]:
            started = time.perf_counter()
            _like_scan(q, platform)
            scans.append((time.perf_counter() - started) * 1000)
        ratio = statistics.median(scans) / statistics.median(timings)
        click.echo(
            f"{words} 词 + 平台筛选 + 分面：{percentiles_ms(timings)}   命中中位数 {statistics.median(totals):,.0f}   "
            f"LIKE 扫描中位数 {statistics.median(scans):,.0f} ms   快 {ratio:,.0f} 倍"
        )

    sample = list(corpus.documents(min(REINDEX_SAMPLE, docs)))
    started = time.monotonic()
    for start in range(0, len(sample), 2000):
        documents_write(documents=sample[start : start + 2000], replace=True)
    seconds = time.monotonic() - started
    click.echo(
        f"重建索引吞吐：{len(sample):,} 条 {seconds:.1f} 秒，{len(sample) / seconds:,.0f} 条/秒（分词+删除+批量写入）"
    )


if __name__ == "__main__":
    child(int(sys.argv[1]))
