"""The API's rules that JSON Schema cannot state, which each field's description states in words: what the fuzz
test (``core/tests/test_openapi_fuzz.py``) and ``zhijiao bench faults`` allow a schema-valid request to be refused
for. Everything else the server refuses, the OpenAPI description must say."""

# A schema-valid request refused with a 422 that names only these fields of that operation is the server keeping
# such a rule; a refusal naming any other field is a description that does not say the truth.
UNSTATED: dict[str, frozenset[str]] = {
    # a number in service and not yet registered; an address Django's e-mail check takes and not yet registered;
    # a password not too common and not like the name, number or address
    "POST /api/v1/accounts/register": frozenset({"phone", "email", "password"}),
    # the check character, and a birth date that exists and is not in the future
    "POST /api/v1/accounts/me/identity": frozenset({"id_number"}),
    # data: another person's class code is a secret; a code that names no class is refused
    "POST /api/v1/k12/classes/join": frozenset({"join_code"}),
    # filters naming rows of data (a discipline, a region, a registered content type)
    "GET /api/v1/higher/courses": frozenset({"discipline"}),
    "GET /api/v1/employment/jobs": frozenset({"region"}),
    "GET /api/v1/search": frozenset({"type"}),
    # rows of data a request names by a key: a block of the run's published course, an uploaded video
    "POST /api/v1/courses/runs/{run_id}/progress": frozenset({"content_id"}),
    "PATCH /api/v1/courses/{course_id}": frozenset({"intro_video_id"}),
    # a post's text after its markup is cleaned away
    "POST /api/v1/discussion/runs/{run_id}/threads": frozenset({"body"}),
    "POST /api/v1/discussion/threads/{thread_id}/replies": frozenset({"body"}),
}


def refusal_is_unstated_rule(operation: str, status: int, fields: set[str]) -> bool:
    """Whether a refusal of a schema-valid request to ``operation`` ("POST /api/v1/…") is one of those rules."""
    allowed = UNSTATED.get(operation, frozenset())
    return status == 422 and bool(allowed) and bool(fields) and fields <= allowed
