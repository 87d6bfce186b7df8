"""The language a comment is written in (issue 18): stored as given, taken from the request's
language when the page's or the API's author does not say, refused when Gapmap does not speak
it (nothing written, what was typed kept), and marked with `lang` wherever a page shows the
comment's text, only when it is known."""

import pytest

from registry.core.errors import ValidationFailed
from registry.feedback.models import Comment
from registry.feedback.services import comments as services
from tests.feedback.factories import CommentFactory

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def _thread(html: str) -> str:
    return html[html.index('id="comments"'):html.index("</section>", html.index('id="comments"'))]


def test_comment_created_with_a_language_is_stored_and_marked_in_the_thread(client, writeup,
                                                                            bob):
    comment = CommentFactory(target=writeup, author=bob, body="Muy **bien**.", language="es")

    thread = _thread(client.get(f"/writeups/{writeup.pk}/").content.decode())

    assert Comment.objects.get(pk=comment.pk).language == "es"
    assert ('<div class="prose comment-body" lang="es"><p>Muy <strong>bien</strong>.</p>'
            in thread)


def test_comment_of_unknown_language_has_no_lang_attribute(client, writeup, bob):
    CommentFactory(target=writeup, author=bob, body="Old words.")

    thread = _thread(client.get(f"/writeups/{writeup.pk}/").content.decode())

    assert Comment.objects.get().language == ""
    assert '<div class="prose comment-body"><p>Old words.</p>' in thread
    assert "lang=" not in thread


def test_comment_reply_is_marked_in_the_thread_too(client, proposal, bob, charlie):
    top = CommentFactory(target=proposal, author=bob, body="Is step two enough?")
    CommentFactory(target=proposal, author=charlie, parent=top, body="No basta.", language="es")

    thread = _thread(client.get(f"/proposals/{proposal.pk}/").content.decode())

    assert '<div class="prose comment-body"><p>Is step two enough?</p>' in thread
    assert '<div class="prose comment-body" lang="es"><p>No basta.</p>' in thread


def test_comment_page_post_stores_the_chosen_language(client, writeup, bob):
    client.force_login(bob)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "Escrito en español.", "language": "es"})

    assert (response.status_code, Comment.objects.get().language) == (302, "es")
    thread = _thread(client.get(response["Location"]).content.decode())
    assert '<div class="prose comment-body" lang="es"><p>Escrito en español.</p>' in thread


def test_comment_page_post_without_a_language_from_a_spanish_request_is_spanish(client,
                                                                              writeup, bob):
    client.force_login(bob)

    response = client.post(f"/writeups/{writeup.pk}/comments/", {"body": "Hola."}, **SPANISH)

    assert (response.status_code, Comment.objects.get().language) == (302, "es")


def test_comment_page_post_without_a_language_from_an_english_request_is_english(client,
                                                                               writeup, bob):
    client.force_login(bob)

    client.post(f"/writeups/{writeup.pk}/comments/", {"body": "Hello."})

    assert Comment.objects.get().language == "en"


def test_comment_reply_posted_from_the_thread_keeps_its_language(client, writeup, bob,
                                                                 charlie):
    top = CommentFactory(target=writeup, author=bob, body="In English.", language="en")
    client.force_login(charlie)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "En español.", "parent": top.pk, "language": "es"})

    reply = Comment.objects.get(parent=top)
    assert (response.status_code, reply.language) == (302, "es")


def test_comment_page_post_of_an_unknown_language_is_refused_keeping_the_text(client, writeup,
                                                                             bob):
    client.force_login(bob)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "Typed with care.", "language": "fr"})

    html = response.content.decode()
    assert (response.status_code, Comment.objects.count()) == (400, 0)
    assert ('<ul class="errors" id="id_comment_language_errors"><li>Select a valid choice. fr '
            'is not one of the available choices.</li></ul>') in html
    assert ">\nTyped with care.</textarea>" in html


def test_comment_forms_start_in_the_page_language(client, writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob, body="A question.")
    client.force_login(charlie)

    english = _thread(client.get(f"/writeups/{writeup.pk}/").content.decode())
    spanish = _thread(client.get(f"/writeups/{writeup.pk}/", **SPANISH).content.decode())

    assert '<option value="en" selected>English</option>' in english
    assert '<option value="es" selected>Español</option>' in spanish
    # The reply form under the comment asks it as well, with the same start.
    assert (f'<select id="reply-{comment.pk}-language" name="language">'
            '<option value="en">English</option><option value="es" selected>Español</option>'
            '</select>') in spanish


def test_comment_edit_form_starts_from_the_stored_language(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="es")
    client.force_login(bob)

    html = client.get(f"/comments/{comment.pk}/edit/").content.decode()

    assert '<option value="es" selected>Español</option>' in html


def test_comment_edit_form_of_an_unknown_language_starts_from_the_page_language(client,
                                                                               writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.")
    client.force_login(bob)

    html = client.get(f"/comments/{comment.pk}/edit/", **SPANISH).content.decode()

    assert '<option value="es" selected>Español</option>' in html


def test_comment_edit_changes_the_language(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="en")
    client.force_login(bob)

    response = client.post(f"/comments/{comment.pk}/edit/",
                           {"body": "Hola a todas las personas.", "version": 1,
                            "language": "es"})

    comment.refresh_from_db()
    assert (response.status_code, comment.language, comment.version) == (302, "es", 2)


def test_comment_edit_without_a_language_keeps_the_stored_one(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="es")
    client.force_login(bob)

    client.post(f"/comments/{comment.pk}/edit/", {"body": "Hola otra vez.", "version": 1})

    comment.refresh_from_db()
    assert (comment.body, comment.language) == ("Hola otra vez.", "es")


def test_comment_edit_of_an_unknown_language_is_refused_keeping_the_text(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="es")
    client.force_login(bob)

    response = client.post(f"/comments/{comment.pk}/edit/",
                           {"body": "Changed my mind.", "version": 1, "language": "xx"})

    comment.refresh_from_db()
    html = response.content.decode()
    assert (response.status_code, comment.body, comment.language, comment.version) == (
        400, "Hola.", "es", 1)
    assert ('<ul class="errors" id="id_language_errors"><li>Select a valid choice. xx is not '
            'one of the available choices.</li></ul>') in html
    assert ">\nChanged my mind.</textarea>" in html


def test_comment_versions_and_reply_page_mark_the_text(client, writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob, body="Uno.", language="es")
    services.comment_update(comment=comment, editor=bob, body="Dos.")
    client.force_login(charlie)

    versions = client.get(f"/comments/{comment.pk}/versions/").content.decode()
    reply = client.get(f"/writeups/{writeup.pk}/comments/?parent={comment.pk}").content.decode()

    assert versions.count('<div class="prose comment-body" lang="es">') == 2
    assert '<div class="prose comment-body" lang="es"><p>Dos.</p>' in reply


def test_comment_service_refuses_an_unknown_language_and_writes_nothing(writeup, bob):
    with pytest.raises(ValidationFailed) as refused:
        services.comment_create(target=writeup, author=bob, body="Hi.", language="fr")

    assert (refused.value.fields, Comment.objects.count()) == (
        {"language": ["Choose one of: en, es."]}, 0)


def test_comment_service_update_refuses_an_unknown_language(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hi.", language="en")

    with pytest.raises(ValidationFailed) as refused:
        services.comment_update(comment=comment, editor=bob, body="Hello.", language="en-gb")

    comment.refresh_from_db()
    assert (refused.value.fields, comment.body, comment.version) == (
        {"language": ["Choose one of: en, es."]}, "Hi.", 1)


def test_comment_service_takes_a_language_added_to_settings(writeup, bob, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]

    comment = services.comment_create(target=writeup, author=bob, body="Salut.", language="fr")

    assert comment.language == "fr"


def test_comment_api_post_stores_the_given_language(api_as, writeup, bob):
    response = api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/",
                                {"body": "Hola.", "language": "es"}, format="json")

    assert (response.status_code, Comment.objects.get().language) == (201, "es")


def test_comment_api_post_without_a_language_from_a_spanish_request_is_spanish(api_as,
                                                                             writeup, bob):
    response = api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/", {"body": "Hola."},
                                format="json", **SPANISH)

    assert (response.status_code, Comment.objects.get().language) == (201, "es")


def test_comment_api_post_without_a_language_from_an_english_request_is_english(api_as,
                                                                              writeup, bob):
    api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/", {"body": "Hi."},
                     format="json")

    assert Comment.objects.get().language == "en"


def test_comment_api_post_of_an_unknown_language_is_refused_naming_it(api_as, writeup, bob):
    response = api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/",
                                {"body": "Hi.", "language": "fr"}, format="json")

    assert (response.status_code, response.json()["code"], response.json()["fields"],
            Comment.objects.count()) == (
        400, "invalid", {"language": ["Choose one of: en, es."]}, 0)


def test_comment_api_edit_changes_or_keeps_the_language(api_as, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="en")
    api = api_as(bob)

    changed = api.patch(f"/api/v1/comments/{comment.pk}/",
                        {"body": "Hola.", "language": "es"}, format="json")
    kept = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Hola, otra vez."},
                     format="json", **SPANISH)

    comment.refresh_from_db()
    assert (changed.status_code, kept.status_code, comment.language, comment.version) == (
        200, 200, "es", 3)


def test_comment_api_edit_of_an_unknown_language_is_refused(api_as, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Hola.", language="es")

    response = api_as(bob).patch(f"/api/v1/comments/{comment.pk}/",
                                 {"body": "Hi.", "language": "klingon"}, format="json")

    comment.refresh_from_db()
    assert (response.status_code, list(response.json()["fields"]), comment.body,
            comment.language) == (400, ["language"], "Hola.", "es")
