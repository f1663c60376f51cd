"""Without Redis, limits hold across the processes of a server: two production servers on one database share
every counter, so a lockout after 5 failures means 5, and a public limit of N a minute means N."""

import pytest

from zhijiao.accounts.tests.factories import PASSWORD
from zhijiao.core.models import AuditLog

from .processes import Visitor, get, process_env, running_server, server_user

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_the_sixth_sign_in_failure_is_refused_whichever_process_and_connection_it_reaches(tmp_path) -> None:
    server_user(phone="13800003333", display_name="锁定甲")
    env = process_env(tmp_path, LOGIN_FAILURE_LIMIT="5", VERIFY_RATE_LIMIT="4/min", CODE_SCAN_RATE="3/min")
    # One process each: two servers are two processes for certain, whatever the kernel does with connections.
    with running_server(env, workers=1) as (_one, first), running_server(env, workers=1) as (_two, second):
        bases = [first, second]

        def sign_in(n: int, password: str) -> int:
            # A new browser (new connection, no cookies) each time, alternating between the two servers.
            status, _html = Visitor().post_form(
                f"{bases[n % 2]}/accounts/login/", {"login": "13800003333", "password": password}
            )
            return status

        # Failures 1–4 are told "wrong"; the 5th locks the account and says so.
        assert [sign_in(n, "wrong-password-1") for n in range(5)] == [400, 400, 400, 400, 429]
        # The 6th attempt is refused on either server, even with the right password, and signs nobody in.
        assert sign_in(5, PASSWORD) == 429
        assert sign_in(6, PASSWORD) == 429
        assert AuditLog.objects.filter(action="auth.login", result=AuditLog.Result.FAILURE).count() == 5
        assert not AuditLog.objects.filter(action="auth.login", result=AuditLog.Result.SUCCESS).exists()

        # Public verification by code and 云码 scans: N a minute per address, across both servers.
        verify = [get(f"{bases[n % 2]}/verify/ABCDEFGHJKMNPQRS2345") for n in range(6)]
        assert verify == [404] * 4 + [429] * 2
        scans = [get(f"{bases[n % 2]}/q/ZZZZZZ") for n in range(5)]
        assert scans == [404] * 3 + [429] * 2
