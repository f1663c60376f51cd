"""``zhijiao bench …``: the figures the README and the architecture notes quote, printed; nothing here asserts.

One module per area: ``home`` (home page, worker memory, startup), ``analytics`` (page-view counting, rollups),
``search``, ``k12``, ``employment``, ``courses`` (the course engine's learning page, course copies, a large seed),
``assessment`` (the exam deadline spike; grading: regrading a run, one learner's update), ``discussion`` (a thread
page of 1,000 replies), ``cases`` (the case library's catalogue, search and stamped downloads at 4,500 and 100,000
cases, then the automatic assignment of experts), ``reviews`` (that assignment alone), ``hall`` and ``verify``
(the service hall's score lookup and verification by code), ``faults`` (what survives stops, a Redis outage and
killed workers; schemathesis; backup and restore); ``harness`` holds what they
share (servers on free ports, wrk, nginx, PostgreSQL). The bench uses public code only (services, selectors, models,
the demo loader), never test factories or private helpers, and no production module imports it.
"""


def run(
    what: str,
    *,
    scale: str,
    repeat: int,
    duration: int,
    connections: int,
    docs: int,
    rounds: int = 2,
    examples: int = 2,
) -> None:
    """Print the figures of ``what`` (``all``: home, startup, analytics and courses)."""
    if what == "faults":
        from . import faults

        faults.run(duration=duration, scale=scale, rounds=rounds, examples=examples)
        return
    if what == "search":
        from . import search

        search.run(docs=docs)
        return
    if what == "k12":
        from . import k12

        k12.run(scale=scale, repeat=repeat, duration=duration, connections=connections)
        return
    if what == "employment":
        from . import employment

        employment.run(jobs=docs, indexed=min(docs, 50_000))
        return
    if what == "courses":
        from . import courses

        courses.run(repeat=repeat, duration=duration, connections=connections)
        return
    if what == "assessment":
        from . import assessment

        assessment.run(repeat=repeat, duration=duration)
        return
    if what == "discussion":
        from . import discussion

        discussion.run(repeat=repeat, duration=duration, connections=connections)
        return
    if what == "cases":
        from . import cases

        cases.run(repeat=repeat, duration=duration, connections=connections)
    if what in {"cases", "reviews"}:
        from . import reviews

        reviews.run()
        return
    if what == "hall":
        from . import hall, verify

        hall.run(duration=duration, repeat=repeat)
        verify.run(duration=duration, repeat=repeat)
        return
    from . import analytics, home

    if what in {"home", "all"}:
        home.bench_home(scale=scale, repeat=repeat, duration=duration, connections=connections)
    elif what == "memory":
        home.bench_home(scale=scale, repeat=1, duration=duration, connections=connections, with_rows=False)
    if what in {"startup", "all"}:
        home.bench_startup()
    if what in {"analytics", "all"}:
        analytics.bench_counting(scale=scale, repeat=repeat, duration=duration, connections=connections)
        analytics.bench_rollup()
    if what == "all":
        from . import courses

        courses.run(repeat=repeat, duration=duration, connections=connections)
