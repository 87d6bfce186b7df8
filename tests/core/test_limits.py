"""Limits on what people type (registry.core.limits) and on the Markdown renderer
(registry.core.rendering): every field refuses text over its maximum with a 400 naming it, the
renderer stays bounded on the corpus of tests/markdown_bombs.py, and no request renders
Markdown. Timings are in bench/markdown_bombs.py, never asserted here."""

import ast
import importlib
import inspect
import random
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from proposals.models import Proposal
from registry import services
from registry.core import limits, rendering
from registry.core.errors import ValidationFailed
from registry.discovery import services as discovery_services
from registry.discovery.api import InterestSerializer
from registry.discovery.forms import InterestForm
from registry.discovery.models import FunderInterest
from registry.models import Claim, Profile, Topic, Writeup, WriteupVersion
from registry.moderation import api as moderation_api
from registry.moderation import forms as moderation_forms
from registry.moderation import services as moderation_services
from registry.moderation.models import Report
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)
from tests.markdown_bombs import BOMBS, corpus, plain
from tests.xss import PAYLOADS, dangerous_markup

MARKDOWN_FIELDS = [("writeup", "body"), ("proposal", "analysis")]


def too_long(kind, field, filler="x"):
    return filler * (limits.max_length(kind, field) + 1)


def refused_fields(call) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.status == 400
    return refused.value.fields


# --- The table --------------------------------------------------------------------------


def test_limits_module_imports_nothing():
    tree = ast.parse(inspect.getsource(limits))

    assert [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)] == []


@pytest.mark.parametrize(("kind", "field", "model", "column"), [
    ("account", "username", get_user_model(), "username"),
    ("account", "email", get_user_model(), "email"),
    *[("profile", name, Profile, name) for name in limits.MAX_LENGTH["profile"]],
    ("topic_suggestion", "title", Topic, "title"),
    ("topic_suggestion", "reason", Topic, "reason"),
    ("topic_suggestion", "decision_note", Topic, "decision_note"),
    ("claim", "plan", Claim, "plan"),
    ("writeup", "title", Writeup, "title"),
    ("writeup", "body", Writeup, "body"),
    ("writeup", "external_url", Writeup, "external_url"),
    ("proposal", "title", Proposal, "title"),
    ("proposal", "ask", Proposal, "ask"),
    ("proposal", "target", Proposal, "target"),
    ("proposal", "cost_range", Proposal, "cost_range"),
    ("proposal", "time_horizon", Proposal, "time_horizon"),
    ("report", "note", Report, "note"),
    ("funder_interest", "note", FunderInterest, "note"),
    ("funder_interest", "amount_range", FunderInterest, "amount_range"),
])
def test_limits_agree_with_the_model_columns(kind, field, model, column):
    assert model._meta.get_field(column).max_length == limits.max_length(kind, field)


@pytest.mark.parametrize(("field", "expected"), [
    (moderation_forms.ReportForm.base_fields["note"], ("report", "note")),
    (moderation_forms.ModerationReasonForm.base_fields["reason"], ("moderation", "reason")),
    (moderation_forms.ReportDecisionForm.base_fields["note"], ("moderation", "note")),
    (InterestForm.base_fields["note"], ("funder_interest", "note")),
    (InterestForm.base_fields["amount_range"], ("funder_interest", "amount_range")),
    (InterestSerializer().fields["note"], ("funder_interest", "note")),
    (InterestSerializer().fields["amount_range"], ("funder_interest", "amount_range")),
    (moderation_api.ReportCreateSerializer().fields["note"], ("report", "note")),
    (moderation_api.ReportDecisionSerializer().fields["note"], ("moderation", "note")),
    (moderation_api.ModerationActionCreateSerializer().fields["reason"],
     ("moderation", "reason")),
])
def test_limits_agree_with_the_forms_and_serializers_that_hold_their_own(field, expected):
    assert field.max_length == limits.max_length(*expected)


# --- Services: one refusal per field, naming it -------------------------------------------


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips")


def _writeup(topic, author, **fields):
    values = {"title": "Plan", "kind": "plan", "body": "Hello", **fields}
    return services.writeup_create(topic=topic, author=author, **values)


@pytest.mark.parametrize("field", ["title", "body", "external_url"])
def test_writeup_create_over_a_maximum_names_the_field_and_writes_nothing(alice, topic, field):
    value = too_long("writeup", field)
    if field == "external_url":
        value = "https://example.org/" + value

    fields = refused_fields(lambda: _writeup(topic, alice, **{field: value}))

    assert list(fields) == [field]
    assert fields[field][0].startswith(
        f"Keep this to {limits.max_length('writeup', field):,} characters or fewer")
    assert (Writeup.objects.count(), WriteupVersion.objects.count()) == (0, 0)


def test_writeup_at_its_maxima_is_accepted(alice, topic):
    writeup = _writeup(topic, alice, title="t" * limits.max_length("writeup", "title"),
                       body="b" * limits.max_length("writeup", "body"))

    assert len(writeup.body) == limits.max_length("writeup", "body")


def test_writeup_update_over_a_maximum_names_the_field_and_keeps_the_writeup(alice, topic):
    writeup = _writeup(topic, alice)

    fields = refused_fields(lambda: services.writeup_update(
        writeup=writeup, editor=alice, body=too_long("writeup", "body", "[")))

    assert list(fields) == ["body"]
    writeup.refresh_from_db()
    assert (writeup.body, writeup.version, writeup.versions.count()) == ("Hello", 1, 1)


@pytest.mark.parametrize(("call", "field"), [
    (lambda p, t: services.claim_create(topic=t, person=p, plan=too_long("claim", "plan")),
     "plan"),
    (lambda p, t: services.claim_release(claim=ClaimFactory(person=p, topic=t), actor=p,
                                         note=too_long("claim", "note")), "note"),
    (lambda p, t: services.claim_renew(claim=ClaimFactory(person=p, topic=t), actor=p,
                                       note=too_long("claim", "note")), "note"),
    (lambda p, t: services.topic_suggest(person=p, cluster=ClusterFactory(), reason="Why",
                                         title=too_long("topic_suggestion", "title")), "title"),
    (lambda p, t: services.topic_suggest(person=p, cluster=ClusterFactory(), title="Chips",
                                         reason=too_long("topic_suggestion", "reason")),
     "reason"),
    (lambda p, t: services.account_create(username=too_long("account", "username"),
                                          email="a@example.org", password="x"), "username"),
    (lambda p, t: services.account_create(username="newcomer", password="x",
                                          email=too_long("account", "email")), "email"),
    (lambda p, t: moderation_services.report_create(
        reporter=p, target_type="writeup", target_id=WriteupFactory(published=True).pk,
        reason="spam", note=too_long("report", "note")), "note"),
    (lambda p, t: moderation_services.content_hide(
        moderator=UserFactory(is_staff=True), target_type="writeup",
        obj=WriteupFactory(published=True), reason=too_long("moderation", "reason")),
     "reason"),
])
def test_service_over_a_maximum_names_the_field(alice, topic, call, field):
    assert list(refused_fields(lambda: call(alice, topic))) == [field]


def test_topic_decide_note_over_its_maximum_names_it(alice, moderator):
    suggestion = services.topic_suggest(person=alice, cluster=ClusterFactory(), title="Chips",
                                        reason="Why")

    fields = refused_fields(lambda: services.topic_decide(
        topic=suggestion, moderator=moderator, state="declined",
        note=too_long("topic_suggestion", "decision_note")))

    assert list(fields) == ["note"]


@pytest.mark.parametrize("field", ["note", "amount_range"])
def test_funder_interest_over_a_maximum_names_the_field(topic, field):
    funder = FunderFactory()

    fields = refused_fields(lambda: discovery_services.interest_register(
        funder=funder, topic=topic, **{field: too_long("funder_interest", field)}))

    assert list(fields) == [field]
    assert FunderInterest.objects.count() == 0


@pytest.mark.parametrize("field", list(limits.MAX_LENGTH["profile"]))
def test_profile_update_over_a_maximum_names_the_field_and_saves_nothing(alice, field):
    profile = services.profile_for(alice)
    before = Profile.objects.filter(pk=profile.pk).values().get()

    fields = refused_fields(lambda: services.profile_update(
        profile=profile, **{"affiliation": "Uni", field: too_long("profile", field)}))

    assert list(fields) == [field]
    assert Profile.objects.filter(pk=profile.pk).values().get() == before


def test_profile_update_saves_each_field_stripped(alice):
    profile = services.profile_update(profile=services.profile_for(alice),
                                      display_name=" Alice ", bio="b" * 2000)

    profile.refresh_from_db()
    assert (profile.display_name, len(profile.bio)) == ("Alice", 2000)


# --- Pages and API --------------------------------------------------------------------------


def test_writeup_form_shows_each_limit_as_maxlength(client, alice, topic):
    client.force_login(alice)

    page = client.get("/topics/chips/writeups/new/").content.decode()

    for field in ("title", "body", "external_url"):
        assert re.search(rf'name="{field}"[^>]*maxlength="{limits.max_length("writeup", field)}"',
                         page), field


def test_writeup_form_over_a_maximum_shows_the_error_by_the_field_and_keeps_the_text(
        client, alice, topic):
    client.force_login(alice)
    body = too_long("writeup", "body", "[")

    response = client.post("/topics/chips/writeups/new/", {
        "title": "Checkpoints", "kind": "insight", "body": body, "external_url": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["body"]
    assert 'id="id_body_errors"' in page
    assert response.context["form"]["body"].value() == body
    assert 'value="Checkpoints"' in page
    assert Writeup.objects.count() == 0


def test_profile_form_over_a_maximum_shows_the_error_by_the_field(client, alice):
    client.force_login(alice)
    before = Profile.objects.filter(user=alice).values().get()

    response = client.post("/me/profile/", {"display_name": "Ally", "affiliation": "",
                                            "bio": too_long("profile", "bio"), "links": "",
                                            "conflict_of_interest": "Funded by a lab"})

    page = response.content.decode()
    assert 'id="id_bio_errors"' in page
    assert 'maxlength="2000"' in page
    assert "Funded by a lab" in page and 'value="Ally"' in page
    assert Profile.objects.filter(user=alice).values().get() == before


def test_profile_form_saves_through_the_service(client, alice):
    client.force_login(alice)

    response = client.post("/me/profile/", {"display_name": " Alice ", "affiliation": "Uni",
                                            "bio": "", "links": "https://example.org",
                                            "conflict_of_interest": ""})

    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert (profile.display_name, profile.affiliation, profile.links) == (
        "Alice", "Uni", "https://example.org")


@pytest.mark.parametrize("field", ["title", "body", "external_url"])
def test_writeup_api_over_a_maximum_is_400_naming_the_field(api_as, alice, topic, field):
    value = too_long("writeup", field)
    if field == "external_url":
        value = "https://example.org/" + value

    response = api_as(alice).post("/api/v1/writeups/", {
        "topic": "chips", "title": "Plan", "kind": "plan", "body": "Hello", field: value},
        format="json")

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid", [field])
    assert Writeup.objects.count() == 0


def test_writeup_api_patch_over_a_maximum_is_400_naming_the_field(api_as, alice, topic):
    writeup = _writeup(topic, alice)

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/",
                                   {"body": too_long("writeup", "body", "[")}, format="json")

    assert (response.status_code, list(response.json()["fields"])) == (400, ["body"])


# --- Stored HTML: rendered on write, for every version -----------------------------------


def refuse_rendering(monkeypatch):
    """Any Markdown rendering from here on fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr("markdown_it.MarkdownIt.render", refuse)
    monkeypatch.setattr(rendering, "render_markdown", refuse)


def test_every_version_stores_the_html_rendered_when_it_was_saved(alice, topic):
    writeup = _writeup(topic, alice, body="*one*")
    services.writeup_update(writeup=writeup, editor=alice, body="**two**")

    assert list(writeup.versions.order_by("number").values_list(
        "number", "body_html", "renderer_version")) == [
        (1, "<p><em>one</em></p>\n", rendering.RENDERER_VERSION),
        (2, "<p><strong>two</strong></p>\n", rendering.RENDERER_VERSION)]


def test_version_page_shows_stored_html_and_renders_no_markdown(client, alice, topic,
                                                                 monkeypatch):
    writeup = WriteupFactory(author=alice, topic=topic, body="[" * 99_000, published=True)
    WriteupVersion.objects.filter(writeup=writeup).update(body_html="<p>stored</p>")
    refuse_rendering(monkeypatch)

    response = client.get(f"/writeups/{writeup.pk}/versions/1/")
    detail = client.get(f"/writeups/{writeup.pk}/")

    assert response.status_code == 200
    assert "<p>stored</p>" in response.content.decode()
    assert detail.status_code == 200


def test_migration_fills_every_existing_versions_html(alice, topic):
    writeup = _writeup(topic, alice, body="*one*")
    services.writeup_update(writeup=writeup, editor=alice, body="**two**")
    WriteupVersion.objects.update(body_html="", renderer_version=0)
    migration = importlib.import_module("registry.migrations.0010_writeup_version_html")

    migration.fill_version_html(apps, None)

    assert list(writeup.versions.order_by("number").values_list(
        "number", "body_html", "renderer_version")) == [
        (1, "<p><em>one</em></p>\n", rendering.RENDERER_VERSION),
        (2, "<p><strong>two</strong></p>\n", rendering.RENDERER_VERSION)]


def test_no_view_or_template_tag_renders_markdown():
    """Request code may only show stored HTML; only services (on write), the demo generator
    and the renderer itself call render_markdown."""
    allowed = {"registry/core/rendering.py", "registry/services/writeups.py",
               "proposals/services.py", "registry/demo.py",
               "registry/migrations/0010_writeup_version_html.py",
               # Comments and review comments, rendered when written.
               "registry/feedback/services/comments.py", "registry/feedback/services/reviews.py"}
    root = Path(__file__).resolve().parents[2]
    callers = {str(path.relative_to(root)) for app in ("registry", "proposals", "config")
               for path in (root / app).rglob("*.py")
               if re.search(r"\brender_markdown\b", path.read_text(encoding="utf-8"))}
    templates = [path for app in ("registry", "proposals", "config")
                 for path in (root / app).rglob("*.html")
                 if re.search(r"markdown", path.read_text(encoding="utf-8"), re.I)]

    assert callers <= allowed
    assert templates == []


# --- The renderer's bounds ---------------------------------------------------------------


def _is_plain(html: str) -> bool:
    return html.startswith(rendering.PLAIN_NOTE)


@pytest.mark.parametrize(("kind", "field"), MARKDOWN_FIELDS)
@pytest.mark.parametrize("name", list(BOMBS))
def test_every_bomb_at_the_maximum_length_renders_sanitised(kind, field, name):
    payload = "\n\n" + "\n\n".join(PAYLOADS)
    length = limits.max_length(kind, field)
    text = BOMBS[name](length - len(payload)) + payload

    html = rendering.render_markdown(text)

    assert len(text) == length
    assert isinstance(html, str) and html
    assert dangerous_markup(html) == []
    assert rendering.render_markdown(text) == html  # the budget is counted, not timed


@pytest.mark.parametrize("name", ["open_brackets", "nested_images", "emphasis_runs",
                                  "table_rows", "list_items", "blank_lines", "quotes"])
def test_bombs_over_the_budget_are_shown_as_escaped_plain_text(name):
    text = BOMBS[name](limits.max_length("writeup", "body") - 9) + "<b>x</b>"

    html = rendering.render_markdown(text)

    assert _is_plain(html)
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>" not in html


def test_plain_text_keeps_paragraphs_and_lines():
    html = rendering._plain("one\r\ntwo & <three>\n\n\n four")

    assert html == (rendering.PLAIN_NOTE + "<p>one<br>\ntwo &amp; &lt;three&gt;</p>\n"
                    "<p> four</p>\n")


def _essay(length: int) -> str:
    """A long writeup of the kind people post: headings, paragraphs with links, emphasis and
    code, a list now and then."""
    rng = random.Random(7)
    words = ("compute governance export controls chips datacenter monitoring verification "
             "treaty lab policy weights security audit").split()

    def sentence():
        text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18))).capitalize()
        if rng.random() < 0.3:
            text += f" ([source](https://example.org/{rng.randint(1, 999)}))"
        if rng.random() < 0.2:
            text += " *in practice*"
        return text + "."

    parts, size, i = [], 0, 0
    while size < length:
        i += 1
        part = (f"## Part {i}\n\n" if i % 6 == 1 else "") + " ".join(
            sentence() for _ in range(rng.randint(3, 7))) + "\n\n"
        if i % 10 == 5:
            part += "".join(f"- {sentence()}\n" for _ in range(5)) + "\n"
        parts.append(part)
        size += len(part)
    return "".join(parts)[:length]


@pytest.mark.parametrize("length", [20_000, 60_000])
def test_a_long_ordinary_writeup_renders_as_markdown(length):
    html = rendering.render_markdown(_essay(length))

    assert not _is_plain(html)
    assert html.count("<h2>") >= 5 and html.count('<a href="https://example.org/') >= 40


def test_a_plain_paragraph_at_the_maximum_renders_as_markdown():
    html = rendering.render_markdown(plain(limits.max_length("writeup", "body")))

    assert html.startswith("<p>Compute governance") and not _is_plain(html)


@pytest.mark.parametrize(("unit", "tag"), [("> ", "<blockquote>"), ("- ", "<ul>"),
                                            ("1. ", "<ol>")])
def test_the_nesting_cap_holds(unit, tag):
    html = rendering.render_markdown(unit * 500 + "deep")

    assert 0 < html.count(tag) <= rendering.MAX_NESTING


def test_lists_nested_five_deep_in_a_quote_render_whole():
    text = "> - a\n>   - b\n>     - c\n>       - d\n>         - e **f**\n"

    html = rendering.render_markdown(text)

    assert (html.count("<ul>"), "<strong>f</strong>" in html) == (5, True)


def test_renderer_meters_every_block_and_inline_rule():
    for ruler in (rendering._markdown.block.ruler, rendering._markdown.inline.ruler):
        for rule in ruler.__rules__:
            assert rule.fn.__name__ in ("metered_rule", "counted_rule"), rule.name


def test_corpus_builders_give_exactly_the_length_asked():
    assert {name: len(text) for name, text in corpus(1_000).items()} == dict.fromkeys(
        BOMBS, 1_000)
