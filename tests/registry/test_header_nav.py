"""The header shows each role what it can do: moderators get "Moderation (N)" with the open
reports, funders get "Alerts", everyone signed in sees their display name (not their
username) with their initials; on a phone it folds into a Menu that works without JavaScript.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.moderation.models import Report
from registry.permissions import MODERATORS_GROUP
from tests.factories import FunderFactory, ReportFactory, UserFactory


def _header(client, url="/about/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<header class="site-header">'):html.index("</header>")]


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_staff=True)


def _reports(n):
    for i in range(n):
        person = UserFactory(username=f"target{i}")
        ReportFactory(target_type="profile", target_id=person.profile.pk)


def test_header_staff_sees_moderation_link_with_open_report_count(client, staff):
    _reports(3)
    client.force_login(staff)
    assert '<a href="/moderation/">Moderation (3)</a>' in _header(client)


def test_header_moderation_count_leaves_out_decided_reports(client, staff):
    _reports(2)
    Report.objects.filter(pk=Report.objects.first().pk).update(state=Report.State.DISMISSED)
    client.force_login(staff)
    assert '<a href="/moderation/">Moderation (1)</a>' in _header(client)


def test_header_moderators_group_member_sees_moderation_link(client, alice):
    alice.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client.force_login(alice)
    assert '<a href="/moderation/">Moderation (0)</a>' in _header(client)


def test_header_non_staff_sees_no_moderation_link_and_no_count_query(client, alice):
    _reports(1)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        header = _header(client)
    assert ("Moderation" in header, "/moderation/" in header) == (False, False)
    assert [q["sql"] for q in queries if Report._meta.db_table in q["sql"]] == []


def test_header_funder_sees_alerts_link(client, db):
    funder = FunderFactory(username="fay")
    client.force_login(funder)
    assert '<li><a href="/me/alerts/">Alerts</a></li>' in _header(client)


def test_header_non_funder_sees_no_alerts_link(client, alice):
    client.force_login(alice)
    assert "/me/alerts/" not in _header(client)


def test_header_shows_display_name_and_initials_not_username(client, db):
    nia = UserFactory(username="demo-00003")
    nia.profile.display_name = "Nia Silva"
    nia.profile.save()
    client.force_login(nia)
    header = _header(client)
    link = re.search(r'<a class="nav-person" href="/people/demo-00003/">(.*?)</a>', header)
    assert link.group(1) == ('<span class="avatar avatar-{} avatar-small" aria-hidden="true">NS'
                             '</span><span class="nav-name">Nia Silva</span>').format(
        re.search(r"avatar-(\d)", link.group(1)).group(1))
    assert "demo-00003</" not in header


def test_header_without_display_name_falls_back_to_username(client, db):
    person = UserFactory(username="quiet")
    person.profile.display_name = ""
    person.profile.save()
    client.force_login(person)
    assert '<span class="nav-name">quiet</span>' in _header(client)


def test_header_menu_is_a_labelled_checkbox_without_script(client, alice):
    """The phone menu opens with a real control (keyboard: Tab, Space) and no JavaScript."""
    client.force_login(alice)
    header = _header(client)
    assert ('<input type="checkbox" id="site-menu-toggle" class="menu-toggle" '
            'aria-controls="site-menu">') in header
    assert '<label for="site-menu-toggle" class="menu-button">Menu</label>' in header
    assert '<div class="site-menu" id="site-menu">' in header
    assert "<script" not in header


def test_header_visitor_sees_log_in_and_sign_up_only(client, db):
    header = _header(client)
    assert ("Log in" in header, "Sign up" in header, "My work" in header,
            "Moderation" in header, "Alerts" in header) == (True, True, False, False, False)


def test_header_costs_no_query_of_its_own(client, alice, staff):
    """Signed in: the session, and the person with their header (profile, moderators' group:
    registry.moderation.backends.PersonBackend) and the site version the unread count is
    cached under, in one query; staff count the open reports in one more."""
    counted = {}
    for person in (alice, staff):
        client.force_login(person)
        client.get("/about/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/about/")
        # Read now: the next request empties the connection's query log.
        counted[person.username] = [Report._meta.db_table in q["sql"] for q in queries]
    assert counted == {"alice": [False, False], "staffer": [False, False, True]}


def test_header_marks_the_page_you_are_on(client, db):
    header = _header(client, "/gaps/")
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', header) == ["/gaps/"]
