"""The buffer is written by a background thread in one batch; the request path never writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhijiao.analytics import services
from zhijiao.analytics.models import PageView

from .conftest import BROWSER


@pytest.mark.django_db(transaction=True)
def test_n_requests_are_written_as_one_batch_off_the_request_path(client, settings) -> None:
    settings.ANALYTICS_FLUSH_IN_THREAD = True
    settings.ANALYTICS_BATCH_SIZE = 10
    services.daily_salt(services.timezone.localdate())  # the day's salt exists already, as after the first view
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            assert client.get("/hall/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    services.flush_wait()
    assert PageView.objects.count() == 10
    assert set(PageView.objects.values_list("platform", flat=True)) == {"hall"}
