import re

from django.contrib.auth import get_user_model
from django.core import mail

from registry.models import Profile
from tests.factories import PASSWORD


def test_sign_up_creates_user_and_profile_and_logs_in(client, db):
    response = client.post("/accounts/sign-up/", {
        "username": "dana", "email": "dana@example.org",
        "password1": "a long unusual pass 42", "password2": "a long unusual pass 42",
    })

    assert response.status_code == 302
    assert response["Location"] == "/me/profile/"
    user = get_user_model().objects.get(username="dana")
    assert user.email == "dana@example.org"
    assert Profile.objects.filter(user=user).count() == 1
    assert client.get("/").context["user"] == user


def test_sign_up_with_weak_password_keeps_typed_fields_and_names_the_problem(client, db):
    response = client.post("/accounts/sign-up/", {
        "username": "dana", "email": "dana@example.org", "password1": "123", "password2": "123",
    })

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["password1"]
    assert "This password is too short." in form.errors["password1"][0]
    assert 'value="dana"' in response.content.decode()
    assert 'value="dana@example.org"' in response.content.decode()
    assert not get_user_model().objects.filter(username="dana").exists()


def test_sign_up_with_taken_username_is_refused(client, alice):
    response = client.post("/accounts/sign-up/", {
        "username": "Alice", "email": "a2@example.org",
        "password1": "a long unusual pass 42", "password2": "a long unusual pass 42",
    })

    assert response.context["form"].errors == {
        "username": ["That username is taken. Please choose another."]
    }


def test_log_in_and_out(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == alice

    client.post("/accounts/logout/")

    assert client.get("/").context["user"].is_authenticated is False


def test_log_in_with_wrong_password_says_so(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_reset_by_email_end_to_end(client, alice):
    client.post("/accounts/password_reset/", {"email": "alice@example.org"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Gapmap password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "brand new secret 77",
                                 "new_password2": "brand new secret 77"})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new secret 77")


def test_password_change(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": "another good one 91",
        "new_password2": "another good one 91",
    })

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another good one 91")


def test_profile_edit_saves_and_shows_disclosure(client, alice):
    client.force_login(alice)

    response = client.post("/me/profile/", {
        "display_name": "Alice A.", "affiliation": "Uni of X", "bio": "Works on chips.",
        "links": "https://alice.example.org\n", "conflict_of_interest": "Funded by Lab Y.",
    })

    assert response.status_code == 302
    page = client.get("/people/alice/").content.decode()
    assert "Alice A." in page
    assert "Conflict-of-interest disclosure:</strong> Funded by Lab Y." in page
    assert '<a href="https://alice.example.org" rel="nofollow noopener">' in page


def test_profile_edit_rejects_non_http_links_and_keeps_input(client, alice):
    client.force_login(alice)

    response = client.post("/me/profile/", {
        "display_name": "Alice A.", "links": "javascript:alert(1)",
    })

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "links": ["These are not http(s) addresses: javascript:alert(1)"]
    }
    assert "Alice A." in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice"


def test_profile_edit_requires_login(client, db):
    response = client.get("/me/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/profile/"
