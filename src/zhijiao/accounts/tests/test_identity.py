"""Real-name identity: sealed at rest, masked on screen, revealed only to the owner and officers, logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from zhijiao.accounts import selectors, services
from zhijiao.accounts.models import Identity
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import NotFound
from zhijiao.core.models import AuditLog

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def identity(student):
    return services.identity_verify(user=student, real_name="王小明", id_number=ID_NUMBER)


def test_identity_derives_birth_date_gender_and_masks(identity):
    assert str(identity.birth_date) == "1949-12-31"
    assert identity.gender == Identity.Gender.FEMALE  # 17th digit 2 is even
    assert identity.id_number_masked == "110105********002X"
    assert identity.id_number_index == blind_index(ID_NUMBER, context="id_number")
    assert Identity.objects.get(pk=identity.pk).id_number == ID_NUMBER


def test_id_number_column_is_not_plaintext(identity):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_index FROM accounts_identity WHERE id = %s", [identity.pk])
        stored, index = cursor.fetchone()
    assert ID_NUMBER not in stored and "19491231" not in stored
    assert ID_NUMBER not in index


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "id_number_checksum"),
        ("110105194913310028", "id_number_format"),
        ("1101051949123100", "id_number_length"),
        ("", "id_number_length"),
    ],
)
def test_bad_id_numbers_are_field_errors(student, number, code):
    with pytest.raises(ValidationError) as caught:
        services.identity_verify(user=student, real_name="王小明", id_number=number)
    assert "id_number" in caught.value.message_dict
    assert not Identity.objects.exists()


def test_page_binds_identity_and_shows_it_masked(client, student):
    client.force_login(student)
    page = client.get("/accounts/me/identity/")
    assert 'for="id_id_number"' in page.content.decode()
    bad = client.post("/accounts/me/identity/", {"real_name": "王小明", "id_number": "110105194912310021"})
    assert bad.status_code == 422
    assert 'id="id_id_number_error"' in bad.content.decode()
    assert not Identity.objects.exists()
    done = client.post("/accounts/me/identity/", {"real_name": "王小明", "id_number": ID_NUMBER})
    assert done.status_code == 302
    html = client.get("/accounts/me/identity/").content.decode()
    assert "110105********002X" in html and ID_NUMBER not in html
    assert "王**" in html and "王小明" not in html
    profile = client.get("/accounts/me/").content.decode()
    assert "110105********002X" in profile and ID_NUMBER not in profile


def test_owner_reveals_on_the_page_once_and_it_is_audited(client, student, identity, password):
    client.force_login(student)
    response = client.post("/accounts/me/identity/", {"action": "reveal", "password": password})
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert ID_NUMBER not in client.get("/accounts/me/identity/").content.decode()
    entry = AuditLog.objects.get(action="pii.reveal")
    assert (entry.actor_id, entry.result, entry.object_id) == (student.pk, "success", str(identity.pk))


def test_second_account_with_same_number_is_refused_clearly(client, teacher, identity):
    client.force_login(teacher)
    response = client.post("/accounts/me/identity/", {"real_name": "王小明", "id_number": ID_NUMBER})
    assert response.status_code == 422
    assert "已绑定其他账号" in response.content.decode()


@pytest.mark.parametrize("role", ["hall_officer", "platform_admin"])
def test_officers_may_reveal_and_it_is_audited(users, identity, role):
    officer = users[role]
    assert selectors.identity_reveal(actor=officer, identity=identity) == ID_NUMBER
    assert AuditLog.objects.filter(action="pii.reveal", actor=officer, result="success").exists()


@pytest.mark.parametrize("role", ["teacher", "school_admin", "parent", "district_staff", "recruiter", "expert"])
def test_others_are_refused_and_the_refusal_is_audited(users, identity, role):
    with pytest.raises(PermissionDenied):
        selectors.identity_reveal(actor=users[role], identity=identity)
    assert AuditLog.objects.filter(action="pii.reveal", actor=users[role], result="denied").exists()


def test_officer_finds_identity_by_number_through_the_blind_index(hall_officer, identity):
    found = selectors.identity_by_id_number(actor=hall_officer, id_number="110105 19491231 002x")
    assert found == identity
    with pytest.raises(NotFound):
        selectors.identity_by_id_number(actor=hall_officer, id_number="110108199003070016")
    assert AuditLog.objects.filter(action="pii.lookup", actor=hall_officer).count() == 2


def test_lookup_by_number_is_refused_to_a_teacher(teacher, identity):
    with pytest.raises(PermissionDenied):
        selectors.identity_by_id_number(actor=teacher, id_number=ID_NUMBER)
    assert AuditLog.objects.filter(action="pii.lookup", actor=teacher, result="denied").exists()


def test_real_name_of_is_the_verified_name_and_masked_number_or_nothing(db: None) -> None:
    from zhijiao.accounts.selectors import IdentityRequired, real_name_of, require_real_name
    from zhijiao.accounts.services import identity_verify
    from zhijiao.accounts.tests.factories import make_user

    person = make_user(display_name="小远")
    assert real_name_of(None) is None and real_name_of(person) is None
    with pytest.raises(IdentityRequired) as caught:
        require_real_name(person)
    assert caught.value.code == "identity_required" and caught.value.status == 403
    identity_verify(user=person, real_name="陈思远", id_number="11010519491231002X")
    person.refresh_from_db()
    holder = require_real_name(person)
    assert holder.name == "陈思远" and holder.id_number == "11010519491231002X"
    assert holder.id_number_masked == "110105********002X"
    person.is_active = False
    assert real_name_of(person) is None


# --- Revealing asks for the password again ------------------------------------------------------------------------


def test_the_page_asks_for_the_password_before_revealing(client, student, identity):
    client.force_login(student)
    page = client.get("/accounts/me/identity/").content.decode()
    assert 'name="password"' in page and ID_NUMBER not in page
    refused = client.post("/accounts/me/identity/", {"action": "reveal"})
    assert refused.status_code == 403 and ID_NUMBER not in refused.content.decode()
    assert "请输入登录密码" in refused.content.decode()


def test_a_wrong_password_reveals_nothing_and_is_audited(client, student, identity):
    client.force_login(student)
    response = client.post("/accounts/me/identity/", {"action": "reveal", "password": "not-my-password"})
    assert response.status_code == 403
    assert ID_NUMBER not in response.content.decode() and "请输入正确的登录密码" in response.content.decode()
    entry = AuditLog.objects.get(action="pii.reveal")
    assert (entry.actor_id, entry.result, entry.detail["reason"]) == (student.pk, "denied", "password")


def test_wrong_passwords_are_limited(client, student, identity, password):
    client.force_login(student)
    for _ in range(services.REAUTH_FAILURES_PER_WINDOW):
        assert client.post("/accounts/me/identity/", {"action": "reveal", "password": "guess"}).status_code == 403
    locked = client.post("/accounts/me/identity/", {"action": "reveal", "password": password})
    assert locked.status_code == 429 and ID_NUMBER not in locked.content.decode()


def test_a_confirmed_password_holds_for_a_short_while_in_the_session(client, student, identity, password, settings):
    client.force_login(student)
    assert client.post("/accounts/me/identity/", {"action": "reveal", "password": password}).status_code == 200
    page = client.get("/accounts/me/identity/").content.decode()
    assert 'name="password"' not in page
    again = client.post("/accounts/me/identity/", {"action": "reveal"})
    assert again.status_code == 200 and ID_NUMBER in again.content.decode()
    assert AuditLog.objects.filter(action="pii.reveal", result="success").count() == 2
    settings.REAUTH_SECONDS = 0
    assert client.post("/accounts/me/identity/", {"action": "reveal"}).status_code == 403


def test_the_api_asks_for_the_password_with_a_token_every_time(client, student, identity, password):
    _token, raw = services.token_create(user=student, name="对接", scopes=["read", "write"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = "/api/v1/accounts/me/identity/reveal"
    missing = client.post(url, {}, content_type="application/json", **auth)
    assert missing.status_code == 403 and missing.json()["code"] == "password_required"
    wrong = client.post(url, {"password": "nope"}, content_type="application/json", **auth)
    assert wrong.status_code == 403 and wrong.json()["fields"] == {"password": ["请输入正确的登录密码"]}
    right = client.post(url, {"password": password}, content_type="application/json", **auth)
    assert right.status_code == 200 and right.json() == {"id_number": ID_NUMBER}
    assert client.post(url, {}, content_type="application/json", **auth).status_code == 403
    results = list(AuditLog.objects.filter(action="pii.reveal").order_by("pk").values_list("result", flat=True))
    assert results == ["denied", "denied", "success", "denied"]


def test_the_api_refuses_a_read_only_token_and_visitors(client, student, identity, password):
    _token, raw = services.token_create(user=student, name="只读", scopes=["read"])
    url = "/api/v1/accounts/me/identity/reveal"
    read_only = client.post(
        url, {"password": password}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert read_only.status_code == 403 and "id_number" not in read_only.json()
    assert client.post(url, {"password": password}, content_type="application/json").status_code == 401
