"""/verify/ answers for the kernel's credentials first and, only for codes no credential has, for the documents
products register (credentials.verification)."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from zhijiao.credentials import selectors, services
from zhijiao.credentials.codes import new_code
from zhijiao.credentials.verification import Verification, register_verifier, unregister_verifier, verifier_of

from .factories import issue_exam_credential

pytestmark = pytest.mark.django_db

KIND = "test_agreement"


@pytest.fixture
def agreements() -> Iterator[dict[str, Any]]:
    """A product with codes of its own: one valid document, and a log of the codes it was asked about."""
    product: dict[str, Any] = {"code": new_code(), "asked": []}

    def resolve(code: str) -> Verification | None:
        product["asked"].append(code)
        if code != product["code"]:
            return None
        return Verification(
            code=code,
            kind=KIND,
            title="就业协议书",
            holder_name="陈思远",
            holder_id_masked="110108********0013",
            claims=[["用人单位", "北京示例科技有限公司"]],
            issuer_name="北京师范大学",
            issued_on=date(2026, 6, 1),
            valid_until=None,
        )

    register_verifier(KIND, resolve, valid_text="验证通过：协议有效", issued_label="签订日期")
    yield product
    unregister_verifier(KIND)


def test_a_registered_product_answers_for_its_own_codes(client: Any, agreements: dict[str, Any]) -> None:
    page = client.get(f"/verify/{agreements['code']}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "验证通过：协议有效" in html and "签订日期" in html and "陈*远" in html and "北京示例科技有限公司" in html
    api = client.get(f"/api/v1/credentials/verify/{agreements['code'].lower()}").json()
    assert api["kind"] == KIND and api["holder_name"] == "陈*远"


def test_the_kernel_answers_its_credentials_alone_in_one_query(
    client: Any, agreements: dict[str, Any], hall_officer: Any, django_assert_num_queries: Any
) -> None:
    credential = issue_exam_credential()
    with django_assert_num_queries(2) as queries:  # the credential, and the address's verification limit
        assert client.get(f"/verify/{credential.code}").status_code == 200
    assert "core_ratecounter" in queries.captured_queries[0]["sql"]
    # A revoked credential's code is the kernel's to answer too: "not found", and no product is asked.
    services.credential_revoke(actor=hall_officer, credential_id=credential.pk, reason="成绩更正")
    assert client.get(f"/verify/{credential.code}").status_code == 404
    assert agreements["asked"] == []


def test_unknown_codes_ask_the_products_and_anything_else_asks_nobody(
    client: Any, agreements: dict[str, Any], django_assert_num_queries: Any
) -> None:
    unknown = new_code()
    assert client.get(f"/verify/{unknown}").status_code == 404
    assert agreements["asked"] == [unknown]
    with django_assert_num_queries(0):
        assert selectors.verification_of(code="NOT-A-CODE") is None
    assert agreements["asked"] == [unknown]


def test_kinds_nobody_registered_read_as_certificates() -> None:
    assert str(verifier_of("exam_score").valid_text) == "验证通过：证书有效"
    assert str(verifier_of("exam_score").issued_label) == "颁发日期"
