def test_every_platform_landing_answers(client, db):
    for url in ["/", "/k12/", "/vocational/", "/higher/", "/employment/", "/hall/", "/data/"]:
        assert client.get(url).status_code == 200, url


def test_role_users_exist(users):
    assert len(users) == 12
