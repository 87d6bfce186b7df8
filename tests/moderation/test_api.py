import pytest

from registry.moderation import services
from registry.moderation.models import ModerationAction, Report
from tests.factories import ProposalFactory, ReportFactory, WriteupFactory


@pytest.fixture
def writeup(alice):
    return WriteupFactory(author=alice, published=True, title="Buy pills")


def _report_body(writeup, **extra):
    return {"target_type": "writeup", "target_id": writeup.pk, "reason": "spam", **extra}


def test_report_create_api(api_as, writeup, bob):
    response = api_as(bob).post("/api/v1/reports/", _report_body(writeup, note="<b>ads</b>"),
                                format="json")
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {
        "id": report.pk, "reporter": "bob", "target_type": "writeup", "target_id": writeup.pk,
        "reason": "spam", "note": "<b>ads</b>", "state": "open",
        "created_at": response.json()["created_at"], "decided_by": None, "decided_at": None,
        "decision_note": ""}


def test_report_create_api_twice_conflict(api_as, writeup, bob):
    client = api_as(bob)
    client.post("/api/v1/reports/", _report_body(writeup), format="json")
    response = client.post("/api/v1/reports/", _report_body(writeup), format="json")
    assert (response.status_code, response.json()["code"]) == (409, "already_reported")


def test_report_create_api_anonymous_unauthorized(api, writeup):
    response = api.post("/api/v1/reports/", _report_body(writeup), format="json")
    assert response.status_code == 401
    assert Report.objects.count() == 0


def test_report_create_api_missing_target_not_found(api_as, bob):
    response = api_as(bob).post("/api/v1/reports/", {"target_type": "proposal",
                                                     "target_id": 999, "reason": "spam"},
                                format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_report_list_moderator_sees_all_open_others_their_own(api_as, writeup, bob, charlie,
                                                              moderator):
    mine = ReportFactory(reporter=bob, target_type="writeup", target_id=writeup.pk)
    theirs = ReportFactory(reporter=charlie, target_type="writeup", target_id=writeup.pk)
    ids = lambda user: [row["id"] for row in api_as(user).get("/api/v1/reports/").json()["results"]]  # noqa: E731
    assert ids(bob) == [mine.pk]
    assert ids(moderator) == [theirs.pk, mine.pk]
    assert api_as(bob).get(f"/api/v1/reports/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("person", ["alice", "bob"])
def test_report_resolve_api_it_checks_moderator(api_as, writeup, bob, person, request):
    report = ReportFactory(reporter=bob, target_type="writeup", target_id=writeup.pk)
    client = api_as(request.getfixturevalue(person))
    response = client.post(f"/api/v1/reports/{report.pk}/resolve/",
                           {"outcome": "dismissed", "note": "mine"}, format="json")
    assert response.status_code == (403 if person == "bob" else 404)
    report.refresh_from_db()
    assert report.state == "open"


def test_report_resolve_api_moderator(api_as, writeup, bob, moderator):
    report = ReportFactory(reporter=bob, target_type="writeup", target_id=writeup.pk)
    response = api_as(moderator).post(f"/api/v1/reports/{report.pk}/resolve/",
                                      {"outcome": "resolved", "note": "Hid it."}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["decided_by"]) == ("resolved", "mod")


@pytest.mark.parametrize("person", ["alice", "charlie"])
def test_moderation_actions_api_it_checks_moderator(api_as, writeup, person, request):
    client = api_as(request.getfixturevalue(person))
    response = client.post("/api/v1/moderation-actions/", {
        "kind": "hide", "target_type": "writeup", "target_id": writeup.pk, "reason": "x"},
        format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert client.get("/api/v1/moderation-actions/").status_code == 403
    assert ModerationAction.objects.count() == 0


def test_moderation_actions_api_hide_then_unhide(api_as, writeup, moderator):
    client = api_as(moderator)
    hidden = client.post("/api/v1/moderation-actions/", {
        "kind": "hide", "target_type": "writeup", "target_id": writeup.pk,
        "reason": "Spam."}, format="json")
    assert hidden.status_code == 201
    assert (hidden.json()["actor"], hidden.json()["kind"]) == ("mod", "hide")
    again = client.post("/api/v1/moderation-actions/", {
        "kind": "unhide", "target_type": "writeup", "target_id": writeup.pk,
        "reason": "Fine."}, format="json")
    assert (again.status_code, again.json()["kind"]) == (201, "unhide")
    log = client.get("/api/v1/moderation-actions/").json()["results"]
    assert [(row["kind"], row["reason"]) for row in log] == [("unhide", "Fine."),
                                                             ("hide", "Spam.")]


def test_writeup_api_hidden_not_found_for_others_intact_for_author(api_as, api, writeup,
                                                                   moderator, alice, charlie):
    services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                          reason="Spam.")
    assert api.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 404
    assert api_as(charlie).get("/api/v1/writeups/").json()["results"] == []
    response = api_as(alice).get(f"/api/v1/writeups/{writeup.pk}/")
    assert (response.status_code, response.json()["title"]) == (200, "Buy pills")


def test_proposal_api_list_leaves_hidden_out_for_others(api_as, api, alice, bob, moderator):
    proposal = ProposalFactory(author=alice, co_authors=[bob])
    services.content_hide(moderator=moderator, target_type="proposal", obj=proposal,
                          reason="Spam.")
    assert api.get("/api/v1/proposals/").json()["count"] == 0
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    for person in (alice, bob, moderator):
        assert [row["id"] for row in api_as(person).get("/api/v1/proposals/").json()["results"]] \
            == [proposal.pk]
