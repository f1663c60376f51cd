"""Personal data sealed at rest: round trip, context binding, tamper detection, blind index."""

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from zhijiao.accounts import services
from zhijiao.accounts.models import Identity
from zhijiao.core.crypto import blind_index, seal, unseal

ID_NUMBER = "11010519491231002X"


def test_round_trip_with_fresh_nonce_each_time():
    first, second = seal(ID_NUMBER, context="id"), seal(ID_NUMBER, context="id")
    assert first != second
    assert ID_NUMBER not in first
    assert unseal(first, context="id") == unseal(second, context="id") == ID_NUMBER


def test_wrong_context_or_tampering_is_detected():
    token = seal(ID_NUMBER, context="accounts.identity.id_number")
    with pytest.raises(InvalidTag):
        unseal(token, context="other.field")
    raw = bytearray(token.encode())
    raw[-5] = ord("A") if raw[-5] != ord("A") else ord("B")
    with pytest.raises((InvalidTag, ValueError)):
        unseal(bytes(raw).decode(), context="accounts.identity.id_number")


def test_blind_index_is_stable_keyed_and_context_bound():
    assert blind_index(ID_NUMBER, context="id_number") == blind_index(ID_NUMBER, context="id_number")
    assert blind_index(ID_NUMBER, context="id_number") != blind_index(ID_NUMBER, context="phone")
    assert blind_index(ID_NUMBER, context="id_number") != blind_index("110108199003070016", context="id_number")
    assert len(blind_index(ID_NUMBER, context="id_number")) == 64


def test_other_key_gives_other_index(settings):
    from zhijiao.core import crypto

    before = blind_index(ID_NUMBER, context="id_number")
    crypto._index_key.cache_clear()
    crypto._aead_key.cache_clear()
    try:
        settings.DATA_ENCRYPTION_KEY = "A" * 43
        assert blind_index(ID_NUMBER, context="id_number") != before
    finally:
        crypto._index_key.cache_clear()
        crypto._aead_key.cache_clear()


@pytest.mark.django_db
def test_encrypted_field_column_is_not_plaintext_and_lookup_uses_index(student):
    identity = services.identity_verify(user=student, real_name="王小明", id_number=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_identity WHERE id = %s", [identity.pk])
        (stored,) = cursor.fetchone()
    assert stored and ID_NUMBER not in stored
    assert unseal(stored, context="accounts.identity.id_number") == ID_NUMBER
    found = Identity.objects.get(id_number_index=blind_index(ID_NUMBER, context="id_number"))
    assert found.pk == identity.pk and found.id_number == ID_NUMBER
