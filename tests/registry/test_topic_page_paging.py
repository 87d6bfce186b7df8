"""The topic page lists its writeups a page at a time (?writeups_page=, 20 a page), grouped by
kind within the page, with links to the pages beside it; what each viewer may see decides the
pages (a moderator's include the hidden writeups, a person's do not)."""

import re

from registry.moderation import services as moderation
from tests.factories import TopicFactory, WriteupFactory


def _writeups_section(response) -> str:
    page = response.content.decode()
    start = page.index('<section class="writeups" id="writeups"')
    return page[start:page.index("</section>", start)]


def _listed(response) -> list[tuple[str, list[str]]]:
    """[(kind heading, [titles])] as the writeups section lists them."""
    section = _writeups_section(response)
    groups = []
    for heading, items in re.findall(r"<h3>(\w+)</h3>\s*<ul>(.*?)</ul>", section, re.S):
        groups.append((heading, re.findall(r'<li><a href="/writeups/\d+/">([^<]+)</a>', items)))
    return groups


def _pager(response) -> tuple[str, list[str], list[str]]:
    """("Page N of M", previous links, next links) of the writeups section."""
    section = _writeups_section(response)
    return (re.search(r"Page \d+ of \d+", section).group(),
            re.findall(r'<a href="([^"]+)" rel="prev">', section),
            re.findall(r'<a href="([^"]+)" rel="next">', section))


def _topic_with_writeups(alice):
    """21 plans and 2 insights: the plans come first, newest first, then the insights."""
    topic = TopicFactory(slug="chips")
    for n in range(1, 22):
        WriteupFactory(topic=topic, author=alice, kind="plan", title=f"Plan {n:02}",
                       published=True)
    for n in (1, 2):
        WriteupFactory(topic=topic, author=alice, kind="insight", title=f"Insight {n}",
                       published=True)
    return topic


def test_topic_page_writeups_first_page_holds_twenty_and_links_the_next(client, alice, bob):
    _topic_with_writeups(alice)
    client.force_login(bob)

    response = client.get("/topics/chips/")

    assert _listed(response) == [("Plans", [f"Plan {n:02}" for n in range(21, 1, -1)])]
    assert _pager(response) == ("Page 1 of 2", [], ["?writeups_page=2#writeups"])


def test_topic_page_writeups_second_page_keeps_the_kind_grouping(client, alice, bob):
    _topic_with_writeups(alice)
    client.force_login(bob)

    response = client.get("/topics/chips/?writeups_page=2")

    assert _listed(response) == [("Plan", ["Plan 01"]), ("Insights", ["Insight 2", "Insight 1"])]
    assert _pager(response) == ("Page 2 of 2", ["?writeups_page=1#writeups"], [])


def test_topic_page_writeups_page_that_is_not_a_number_is_the_first(client, alice, bob):
    _topic_with_writeups(alice)

    response = client.get("/topics/chips/?writeups_page=two")

    assert (response.status_code, _listed(response)[0][1][0]) == (200, "Plan 21")


def test_topic_page_writeups_page_past_what_integers_hold_is_an_empty_page(client, alice):
    _topic_with_writeups(alice)

    response = client.get("/topics/chips/?writeups_page=99999999999999999999")

    # Page 10,000 (MAX_PAGE): past the end, so nothing listed, and no OFFSET overflow (a 500).
    assert (response.status_code, _listed(response)) == (200, [])


def test_topic_page_writeups_hidden_one_paged_for_the_moderator_only(client, alice, charlie,
                                                                      moderator):
    topic = TopicFactory(slug="chips")
    for n in range(1, 21):
        WriteupFactory(topic=topic, author=alice, kind="plan", title=f"Plan {n:02}",
                       published=True)
    spam = WriteupFactory(topic=topic, author=alice, kind="plan", title="Buy pills",
                          published=True)
    moderation.content_hide(moderator=moderator, target_type="writeup", obj=spam,
                            reason="Spam links.")

    client.force_login(charlie)
    theirs = client.get("/topics/chips/")
    client.force_login(moderator)
    mine = client.get("/topics/chips/")
    second = client.get("/topics/chips/?writeups_page=2")

    assert _listed(theirs) == [("Plans", [f"Plan {n:02}" for n in range(20, 0, -1)])]
    assert "Page 1 of" not in _writeups_section(theirs)
    assert _listed(mine) == [("Plans", ["Buy pills", *[f"Plan {n:02}" for n in range(20, 1, -1)]])]
    assert _listed(second) == [("Plan", ["Plan 01"])]


def test_topic_page_writeups_author_sees_her_draft_others_do_not(client, alice, bob):
    topic = TopicFactory(slug="chips")
    WriteupFactory(topic=topic, author=alice, kind="plan", title="Plan 01", published=True)
    WriteupFactory(topic=topic, author=alice, kind="model", title="My draft")

    client.force_login(alice)
    hers = client.get("/topics/chips/")
    client.force_login(bob)
    his = client.get("/topics/chips/")

    assert _listed(hers) == [("Plan", ["Plan 01"]), ("Model", ["My draft"])]
    assert _listed(his) == [("Plan", ["Plan 01"])]
