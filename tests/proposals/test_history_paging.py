"""A proposal's page shows its history newest first, 20 events a page (?history_page=), with
links to the pages beside it; the API's events stay the whole history, oldest first."""

import re

from proposals import services
from tests.factories import ProposalFactory


def _history(response) -> tuple[list[str], str, list[str], list[str]]:
    """(each event's words without dates, "Page N of M", previous links, next links)."""
    html = response.content.decode()
    section = html[html.index('<section id="history"'):]
    section = section[:section.index("</section>")]
    events = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).split(" — ", 1)[1].strip()
              for item in re.findall(r"<li>(.*?)</li>", section, re.S)]
    pager = re.search(r"Page \d+ of \d+", section)
    return (events, pager.group() if pager else "",
            re.findall(r'<a href="([^"]+)" rel="prev">', section),
            re.findall(r'<a href="([^"]+)" rel="next">', section))


def _moved_back_and_forth(alice, times):
    """A proposal by alice moved `times` times between analysis and proposal: its history is
    "created" and then `times` moves."""
    proposal = ProposalFactory(author=alice)
    for n in range(1, times + 1):
        services.proposal_move(proposal=proposal, actor=alice,
                               to="proposal" if n % 2 else "analysis")
    return proposal


MOVE_TO_PROPOSAL = "analysis → proposal by Alice"
MOVE_TO_ANALYSIS = "proposal → analysis by Alice"


def test_proposal_page_history_first_page_is_the_newest_twenty(client, alice, bob):
    proposal = _moved_back_and_forth(alice, 24)
    client.force_login(bob)

    events, pager, previous, following = _history(client.get(proposal.get_absolute_url()))

    assert events == [MOVE_TO_ANALYSIS, MOVE_TO_PROPOSAL] * 10
    assert (pager, previous, following) == ("Page 1 of 2", [], ["?history_page=2#history"])


def test_proposal_page_history_second_page_holds_the_oldest(client, alice, bob):
    proposal = _moved_back_and_forth(alice, 24)
    client.force_login(bob)

    events, pager, previous, following = _history(
        client.get(f"{proposal.get_absolute_url()}?history_page=2"))

    assert events == [MOVE_TO_ANALYSIS, MOVE_TO_PROPOSAL, MOVE_TO_ANALYSIS, MOVE_TO_PROPOSAL,
                      "created by Alice"]
    assert (pager, previous, following) == ("Page 2 of 2", ["?history_page=1#history"], [])


def test_proposal_page_short_history_has_no_pager(client, alice):
    proposal = _moved_back_and_forth(alice, 1)

    events, pager, previous, following = _history(client.get(proposal.get_absolute_url()))

    assert (events, pager, previous, following) == (
        [MOVE_TO_PROPOSAL, "created by Alice"], "", [], [])


def test_proposal_events_api_keeps_the_whole_history_oldest_first(api, alice):
    proposal = _moved_back_and_forth(alice, 24)
    api.force_authenticate(alice)

    response = api.get(f"/api/v1/proposals/{proposal.pk}/events/")

    assert [event["kind"] for event in response.json()] == ["created"] + ["moved"] * 24
