"""Releasing a claim asks the same way everywhere (an optional note, then a confirmed
submit), and the claim limit speaks plain words on pages, with a link to My work, in place of
the claim form (issue 16, items 5 and 6)."""

import re

from registry.models import Claim
from tests.factories import ClaimFactory, TopicFactory

RELEASE_STEP = re.compile(
    r'<details class="confirm">\s*<summary class="button secondary">Release my claim…</summary>'
    r'.*?name="note".*?<input type="hidden" name="confirm" value="yes">\s*'
    r'<button type="submit" class="danger">Yes, release my claim</button>.*?</details>', re.S)


def html(response) -> str:
    return response.content.decode()


def state(claim) -> str:
    return Claim.objects.get(pk=claim.pk).state


def test_topic_page_release_asks_for_the_note_behind_a_confirmation(client, alice):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)
    page = html(client.get("/topics/chips/"))
    assert len(RELEASE_STEP.findall(page)) == 1
    assert f'action="/claims/{claim.pk}/release/"' in page


def test_my_work_release_asks_the_same_way(client, alice):
    first, second = ClaimFactory(person=alice), ClaimFactory(person=alice)
    client.force_login(alice)
    page = html(client.get("/me/"))
    assert len(RELEASE_STEP.findall(page)) == 2
    # Each note field has its own id, so each label names its own field.
    assert re.findall(r'<label for="(id_release_\d+_note)"', page) == [
        f"id_release_{second.pk}_note", f"id_release_{first.pk}_note"]
    main = page[page.index("<main"):page.index("</main>")]
    assert main.count('<input type="hidden" name="next" value="/me/">') == 2


def test_release_page_has_the_same_note_and_submit(client, alice):
    claim = ClaimFactory(person=alice)
    client.force_login(alice)
    page = html(client.get(f"/claims/{claim.pk}/release/"))
    assert re.findall(r'<button type="submit"[^>]*>([^<]+)</button>',
                      page[page.index("<main"):page.index("</main>")]) == [
        "Yes, release my claim"]
    assert '<label for="id_note">Note (optional)</label>' in page


def test_release_without_confirm_only_shows_the_step_keeping_the_note(client, alice):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)
    response = client.post(f"/claims/{claim.pk}/release/",
                           {"note": "Moving on to chips export.", "next": "/me/"})
    assert (response.status_code, state(claim)) == (200, "active")
    assert "Moving on to chips export." in html(response)
    assert '<input type="hidden" name="next" value="/me/">' in html(response)


def test_release_confirmed_releases_with_the_note(client, alice):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)
    response = client.post(f"/claims/{claim.pk}/release/",
                           {"note": "Moving on.", "next": "/me/", "confirm": "yes"})
    assert (response.status_code, response["Location"], state(claim)) == (302, "/me/",
                                                                          "released")
    assert claim.topic.events.get(kind="released").note == "Moving on."


def test_claim_limit_page_hides_the_form_and_links_to_my_work(client, alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 2
    ClaimFactory(person=alice)
    ClaimFactory(person=alice)
    TopicFactory(slug="chips")
    client.force_login(alice)
    page = html(client.get("/topics/chips/"))
    assert ("You already hold 2 active claims, the most anyone may hold at once. Release one "
            'on <a href="/me/">My work</a>, then claim this topic.') in page
    assert 'action="/topics/chips/claim/"' not in page
    assert "/api/" not in page[page.index("<main"):page.index("</main>")]


def test_claim_limit_refusal_on_the_page_speaks_plain_words(client, alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 1
    ClaimFactory(person=alice)
    TopicFactory(slug="chips")
    client.force_login(alice)
    response = client.post("/topics/chips/claim/", {"plan": "A report"})
    main = html(response)[html(response).index("<main"):html(response).index("</main>")]
    assert response.status_code == 409
    assert ("You already hold 1 active claim, the most anyone may hold at once. Release one "
            'on <a href="/me/">My work</a>, then claim this topic.') in main
    assert "/api/" not in main
    assert 'action="/topics/chips/claim/"' not in main


def test_claim_form_shows_below_the_limit(client, alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 2
    ClaimFactory(person=alice)
    TopicFactory(slug="chips")
    client.force_login(alice)
    page = html(client.get("/topics/chips/"))
    assert 'action="/topics/chips/claim/"' in page
    assert "the most anyone may hold at once" not in page


def test_releasing_twice_says_so_in_plain_words(client, alice):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)
    client.post(f"/claims/{claim.pk}/release/", {"confirm": "yes"})
    response = client.post(f"/claims/{claim.pk}/release/", {"confirm": "yes"})
    assert response.status_code == 409
    assert "This claim is already released. Claim the topic again to take it up." in html(
        response)
