import pytest
from django.test import Client

from registry.tokens.models import ApiToken
from registry.tokens.services import api_token_create
from tests.factories import UserFactory


@pytest.fixture
def admin_client(db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    client.root = root
    return client


def test_admin_revoke_action_revokes_through_the_service(alice, admin_client):
    token, _ = api_token_create(user=alice, name="CLI")
    client = admin_client

    response = client.post("/admin/tokens/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk]}, follow=True)

    token.refresh_from_db()
    assert token.revoked_by == client.root
    assert "1 token revoked." in response.content.decode()


def test_admin_token_page_shows_no_hash_and_no_secret(alice, admin_client):
    token, secret = api_token_create(user=alice, name="CLI")
    client = admin_client

    html = client.get(f"/admin/tokens/apitoken/{token.pk}/change/").content.decode()

    assert (token.prefix in html, token.key_hash in html, secret in html) == (True, False, False)


def test_admin_cannot_add_or_delete_tokens(alice, admin_client):
    token, _ = api_token_create(user=alice, name="CLI")
    client = admin_client

    assert client.get("/admin/tokens/apitoken/add/").status_code == 403
    assert client.post(f"/admin/tokens/apitoken/{token.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert ApiToken.objects.count() == 1
