"""Signed credentials: issuing, the published keys, offline verification, downloads and revocation."""

import json
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ValidationError
from django.db import connection

from zhijiao.core.errors import NotFound
from zhijiao.core.models import AuditLog
from zhijiao.credentials import selectors, services, vc
from zhijiao.credentials.models import Credential, CredentialRevocation
from zhijiao.credentials.pdf import credential_json, credential_pdf

from .factories import issue_exam_credential, make_id_number, make_registrar

pytestmark = pytest.mark.django_db


def test_issue_is_idempotent_and_seals_the_id_number(holder_user: Any) -> None:
    number = make_id_number()
    first = issue_exam_credential(holder_user=holder_user, id_number=number, source_key="exams.score:1")
    again = issue_exam_credential(holder_user=holder_user, id_number=number, source_key="exams.score:1", title="x")
    assert again.pk == first.pk and again.title == first.title
    assert Credential.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT holder_id_number FROM credentials_credential")
        stored = cursor.fetchone()[0]
    assert number not in stored
    assert first.holder_id_masked == number[:6] + "********" + number[-4:]
    assert len(first.code) >= 16 and not set(first.code) & set("01OIL")
    assert selectors.credential_by_source(source_key="exams.score:1") == first


def test_claims_keep_their_order(holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    credential.refresh_from_db()
    assert [name for name, _ in credential.claim_items] == ["总分", "听力", "阅读", "写作和翻译", "考试时间"]


def test_bad_id_number_is_refused() -> None:
    with pytest.raises(ValidationError):
        issue_exam_credential(id_number="110108200205170011")
    assert not Credential.objects.exists()


def test_token_header_and_issuer(settings: Any, holder_user: Any) -> None:
    settings.PUBLIC_ORIGIN = "http://localhost:8000"
    credential = issue_exam_credential(holder_user=holder_user)
    header, payload = vc.decode_unverified(credential.jwt)
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": "did:web:localhost%3A8000#key-1"}
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["type"][0] == "VerifiableCredential"
    assert payload["issuer"]["id"] == "did:web:localhost%3A8000"
    assert payload["id"] == f"http://localhost:8000/verify/{credential.code}"
    assert payload["credentialSubject"]["claims"][0] == {"name": "总分", "value": "568"}
    assert "idNumberMasked" in payload["credentialSubject"]


def test_downloaded_json_verifies_with_only_the_published_jwks(client: Any, holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    client.force_login(holder_user)
    download = client.get(f"/hall/degrees/certificates/{credential.pk}/json/")
    assert download.status_code == 200
    document = json.loads(download.content)
    client.logout()
    keys = client.get("/.well-known/jwks.json").json()
    assert keys["keys"][0]["kty"] == "OKP" and keys["keys"][0]["crv"] == "Ed25519"
    verified = vc.verify_vc_jwt(document["jwt"], keys)
    assert verified == document["credential"]
    assert verified["credentialSubject"]["name"] == "陈思远"


def test_did_document_publishes_the_same_key(client: Any, settings: Any) -> None:
    settings.PUBLIC_ORIGIN = "https://edu.example.cn"
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:edu.example.cn"
    method = did["verificationMethod"][0]
    assert method["type"] == "JsonWebKey" and method["id"] == "did:web:edu.example.cn#key-1"
    assert method["publicKeyJwk"]["x"] == vc.public_jwk()["x"]
    assert did["assertionMethod"] == [method["id"]]


def test_tampered_payload_fails(holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    header, payload, signature = credential.jwt.split(".")
    claims = json.loads(vc.b64url_decode(payload))
    claims["credentialSubject"]["claims"][0]["value"] = "710"
    forged = f"{header}.{vc.b64url(json.dumps(claims, ensure_ascii=False).encode())}.{signature}"
    with pytest.raises(vc.InvalidCredential):
        vc.verify_vc_jwt(forged, vc.jwks())


def test_token_signed_by_another_key_fails(holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    _, payload = vc.decode_unverified(credential.jwt)
    impostor = vc.sign_vc(payload, key=Ed25519PrivateKey.generate())
    with pytest.raises(vc.InvalidCredential):
        vc.verify_vc_jwt(impostor, vc.jwks())
    # ...while it does verify against the impostor's own key: the check is the key, not the shape.
    assert vc.verify_vc_jwt(credential.jwt, vc.jwks())["id"] == payload["id"]


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "...."])
def test_malformed_tokens_fail(token: str) -> None:
    with pytest.raises(vc.InvalidCredential):
        vc.verify_vc_jwt(token, vc.jwks())


def test_expired_credential_fails_offline(holder_user: Any) -> None:
    credential = issue_exam_credential(
        holder_user=holder_user, issued_on=date(2020, 1, 1), valid_until=date(2020, 12, 31)
    )
    with pytest.raises(vc.InvalidCredential):
        vc.verify_vc_jwt(credential.jwt, vc.jwks())


def test_credential_json_and_pdf(holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    document = credential_json(credential)
    assert document["jwt"] == credential.jwt
    assert document["credential"]["credentialSubject"]["idNumberMasked"] == credential.holder_id_masked
    pdf = credential_pdf(credential)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_credentials_of_includes_anonymous_candidates_matched_by_identity(holder: tuple[Any, str]) -> None:
    user, number = holder
    mine = issue_exam_credential(id_number=number)  # issued without an account
    other = issue_exam_credential(holder_name="李娜")
    assert list(selectors.credentials_of(user)) == [mine]
    assert other not in selectors.credentials_of(user)


def test_holder_downloads_pdf_from_my_certificates(client: Any, holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    client.force_login(holder_user)
    page = client.get("/hall/degrees/certificates/")
    assert credential.title in page.content.decode()
    pdf = client.get(f"/hall/degrees/certificates/{credential.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_another_user_cannot_download_a_credential(client: Any, holder_user: Any, student: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    client.force_login(student)
    assert client.get(f"/hall/degrees/certificates/{credential.pk}/json/").status_code == 404
    assert client.get(f"/hall/degrees/certificates/{credential.pk}/pdf/").status_code == 404
    assert client.get(f"/api/v1/credentials/credentials/{credential.pk}/json").status_code == 404


def test_hall_officer_revokes_with_a_reason(client: Any, holder_user: Any, hall_officer: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    assert client.get(f"/verify/{credential.code}").status_code == 200
    services.credential_revoke(actor=hall_officer, credential_id=credential.pk, reason="成绩复核后更正")
    revocation = CredentialRevocation.objects.get(credential=credential)
    assert revocation.reason == "成绩复核后更正" and revocation.revoked_by == hall_officer
    assert AuditLog.objects.filter(action="credential.revoke", result="success").exists()
    assert client.get(f"/verify/{credential.code}").status_code == 404


def test_revoking_needs_a_reason(holder_user: Any, hall_officer: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    with pytest.raises(ValidationError):
        services.credential_revoke(actor=hall_officer, credential_id=credential.pk, reason="  ")
    assert not CredentialRevocation.objects.exists()


def test_only_the_issuer_revokes(holder_user: Any, university: Any, orgs: Any, student: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user, issuer_organization=university)
    from zhijiao.orgs.tests.factories import make_organization

    other = make_registrar(make_organization("university", "另一所大学"))
    for actor in (holder_user, student, other):
        with pytest.raises(NotFound):
            services.credential_revoke(actor=actor, credential_id=credential.pk, reason="无权撤销")
    assert not CredentialRevocation.objects.exists()
    own = make_registrar(university)
    services.credential_revoke(actor=own, credential_id=credential.pk, reason="学籍注销")
    assert CredentialRevocation.objects.filter(credential=credential).exists()


def test_api_revoke_refused_for_the_holder(client: Any, holder_user: Any) -> None:
    credential = issue_exam_credential(holder_user=holder_user)
    client.force_login(holder_user)
    response = client.post(
        f"/api/v1/credentials/credentials/{credential.pk}/revoke",
        {"reason": "我想撤销"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not CredentialRevocation.objects.exists()
