"""The WSGI application hands a whole response over as one body and streams only what streams."""

import io
from typing import Any

import pytest
from django.core.signals import request_finished

from zhijiao.config.wsgi import application

pytestmark = pytest.mark.django_db


def _environ(path: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }


@pytest.fixture
def keep_connections() -> Any:
    """As Django's test client does: requests do not close the test's database connection."""
    from django.core.signals import request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_page_is_one_body_and_the_request_is_finished_before_it_is_sent(settings: Any, keep_connections: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    finished: list[int] = []

    def heard(**kwargs: Any) -> None:
        finished.append(1)

    request_finished.connect(heard, dispatch_uid="test-wsgi-finished")
    started: list[tuple[str, list[tuple[str, str]]]] = []
    try:
        body = application(_environ("/"), lambda status, headers, exc=None: started.append((status, headers)))
    finally:
        request_finished.disconnect(dispatch_uid="test-wsgi-finished")
    assert isinstance(body, list) and len(body) == 1 and isinstance(body[0], bytes)
    status, headers = started[0]
    assert status.startswith("200")
    assert dict(headers)["Content-Length"] == str(len(body[0]))
    assert finished == [1]


def test_a_streaming_response_is_left_to_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.http import FileResponse, StreamingHttpResponse

    from zhijiao.config import wsgi

    for made in (StreamingHttpResponse(iter([b"a", b"b"])), FileResponse(io.BytesIO(b"%PDF-1.4"))):
        monkeypatch.setattr(wsgi, "django_application", lambda environ, start_response, made=made: made)
        assert application(_environ("/x"), lambda *args: None) is made
