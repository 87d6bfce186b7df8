"""The visual system and the pages built on it: initials avatars, the one stylesheet's class
names, form fields that state their limit, the home page that says what Gapmap is for, the
About page's essay, and lists that say what to do when they are empty."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from registry.models import Profile
from registry.templatetags.person_tags import AVATAR_COLOURS, avatar_colour, initials
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

CSS = Path(__file__).resolve().parents[2] / "registry" / "static" / "registry" / "gapmap.css"


# --- Avatars --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("Nia Silva", "NS"),
    ("Ana de Souza", "AS"),
    ("nia", "N"),
    ("demo-00003", "D"),
    ("  Élodie   Ñúñez ", "ÉÑ"),
    ("", "?"),
])
def test_avatar_initials(name, expected):
    assert initials(name) == expected


def test_avatar_colour_is_stable_and_in_range():
    colours = {avatar_colour(f"Person {i}") for i in range(200)}
    assert (avatar_colour("Nia Silva") == avatar_colour("Nia Silva"),
            colours == set(range(AVATAR_COLOURS))) == (True, True)


def _render(source, **context):
    request = RequestFactory().get("/")
    request.user = context.pop("viewer")
    return Template("{% load person_tags %}" + source).render(
        Context({"request": request, **context}))


def test_avatar_tag_renders_initials_hidden_from_screen_readers(db):
    nia = UserFactory(username="nia")
    Profile.objects.filter(user=nia).update(display_name="Nia Silva")
    nia.refresh_from_db()
    html = _render("{% avatar person %}", person=nia, viewer=nia)
    assert html == (f'<span class="avatar avatar-{avatar_colour("Nia Silva")}" '
                    'aria-hidden="true">NS</span>')


def test_avatar_of_a_hidden_profile_shows_the_username_initial_to_others(db):
    nia = UserFactory(username="quietnia")
    Profile.objects.filter(user=nia).update(display_name="Nia Silva", hidden=True)
    nia.refresh_from_db()
    html = _render('{% avatar person "large" %}', person=nia, viewer=UserFactory(username="o"))
    assert html == (f'<span class="avatar avatar-{avatar_colour("quietnia")} avatar-large" '
                    'aria-hidden="true">Q</span>')


def test_avatar_beside_names_on_profile_and_experts(client, db):
    nia = UserFactory(username="nia")
    Profile.objects.filter(user=nia).update(display_name="Nia Silva")
    topic = TopicFactory()
    ClaimFactory(topic=topic, person=nia)
    WriteupFactory(topic=topic, author=nia, published=True)
    profile = client.get("/people/nia/").content.decode()
    experts = client.get("/experts/").content.decode()
    colour = avatar_colour("Nia Silva")
    assert re.search(rf'<div class="profile-head"><span class="avatar avatar-{colour} '
                     r'avatar-large" aria-hidden="true">NS</span>\s*<h1>Nia Silva '
                     r'<small>@nia</small></h1>', profile)
    assert (f'<span class="person"><span class="avatar avatar-{colour}" aria-hidden="true">NS'
            '</span><a href="/people/nia/">Nia Silva</a></span>') in experts


# --- The stylesheet -------------------------------------------------------------------------

def test_stylesheet_defines_the_shared_class_names_and_tokens():
    css = CSS.read_text()
    selectors = [".secondary", ".danger", ".link", ".card", ".badge", ".empty", ".avatar",
                 ".button"]
    assert [s for s in selectors if not re.search(re.escape(s) + r"\b[^{]*\{", css)] == []
    assert [t for t in ("--step-0:", "--space-4:", "--ink:", "--accent:", "--danger:")
            if t not in css] == []


def test_stylesheet_is_small_and_loads_nothing_from_elsewhere():
    css = CSS.read_text()
    assert (len(css.encode()) < 24_000, "@import" in css, "url(" in css,
            "@font-face" in css) == (True, False, False, False)


def test_stylesheet_folds_the_header_and_stacks_tables_on_a_phone():
    css = CSS.read_text()
    phone = "".join(re.findall(r"@media \(max-width: 40rem\) \{(.*?)\n\}", css, re.S))
    assert [rule for rule in (".menu-toggle:checked ~ .site-menu { display: flex; }",
                              ".site-menu { display: none;",
                              "table.stack-table tr { display: flex;",
                              "table.stack-table td.score {")
            if rule not in phone] == []


# --- Form fields ----------------------------------------------------------------------------

class _Form(forms.Form):
    title = forms.CharField(max_length=120, help_text="A short title.")
    body = forms.CharField(widget=forms.Textarea)


def _field_html(form, name):
    return Template('{% include "form_field.html" %}').render(Context({"field": form[name]}))


def test_form_field_states_its_limit_and_points_at_it():
    html = _field_html(_Form(), "title")
    assert ('<small class="limit" id="id_title_limit" data-limit="120" '
            'data-counting="{used} of {limit} characters" '
            'data-over="{used} of {limit} characters: {over} too many">'
            'Up to 120 characters</small>') in html
    assert re.search(r'<input type="text" name="title" maxlength="120" '
                     r'aria-describedby="id_title_helptext id_title_limit" required '
                     r'id="id_title">', html)
    assert '<p class="help" id="id_title_helptext">A short title.</p>' in html


def test_form_field_without_limit_states_none():
    html = _field_html(_Form(), "body")
    assert ("limit" in html, "aria-describedby" in html) == (False, False)


def test_form_field_errors_stay_beside_it_and_are_described():
    form = _Form({"title": "x" * 121, "body": "b"})
    form.is_valid()
    html = _field_html(form, "title")
    assert 'aria-describedby="id_title_helptext id_title_limit id_title_errors"' in html
    assert ('<ul class="errors" id="id_title_errors"><li>Ensure this value has at most 120 '
            'characters (it has 121).</li></ul>') in html
    assert 'value="' + "x" * 121 + '"' in html  # what they typed stays


def test_form_counter_script_is_our_own_and_deferred(client, db):
    page = client.get("/about/").content.decode()
    assert '<script src="/static/registry/counter.js" defer></script>' in page


# --- Home and About -------------------------------------------------------------------------

def test_home_says_what_gapmap_is_for_and_where_each_visitor_starts(client, db):
    TopicFactory(title="Detecting datacenters")
    page = client.get("/").content.decode()
    assert "where nobody is yet the world expert" in page
    assert "within about six months" in page
    assert "a named person who has agreed to lead it" in page
    starts = page[page.index('<ul class="starts">'):page.index("</ul>", page.index("starts"))]
    assert re.findall(r'<a class="button[^"]*" href="([^"]+)">', starts) == [
        "/gaps/", "/accounts/sign-up/", "/proposals/new/", "/proposals/", "/map/",
        "/me/alerts/", "/moderation/", "/topics/suggestions/"]
    assert "Detecting datacenters" in page  # the catalogue stays below


def test_home_is_still_served_from_the_visitors_cache(client, db, django_assert_num_queries):
    TopicFactory()
    first = client.get("/")
    with django_assert_num_queries(1):  # the stats version only
        second = client.get("/")
    assert second.content == first.content


def test_about_names_and_links_the_essay_and_its_author(client, db):
    page = client.get("/about/").content.decode()
    assert ('Richard Ngo, <a href="https://www.lesswrong.com/posts/ho63vCb2vGjLyhDmH/'
            'agi-safety-career-advice" rel="noopener"><cite>AGI safety career advice</cite>'
            '</a> (2023)') in page


# --- Empty states ---------------------------------------------------------------------------

def _empties(page: str) -> list[str]:
    """The text of each empty-state box, tags stripped, with the links it offers."""
    boxes = re.findall(r'<(?:div|li) class="empty">(.*?)</(?:div|li)>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", box.replace("</p>", " "))).strip()
            for box in boxes]


def _links(page: str) -> list[str]:
    boxes = re.findall(r'<(?:div|li) class="empty">(.*?)</(?:div|li)>', page, re.S)
    return [re.findall(r'href="([^"]+)"', box) for box in boxes]


def test_empty_gaps_say_why_and_where_to_go(client, db):
    page = client.get("/gaps/").content.decode()
    assert _links(page) == [["/experts/"], ["/about/#recognition", "/experts/"],
                            ["/about/"]]
    assert _empties(page)[0] == (
        "No gaps: every listed topic has an active claim or a recognised expert. "
        "see who works on what.")


def test_empty_experts_say_how_recognition_works(client, db):
    page = client.get("/experts/").content.decode()
    assert _links(page) == [["/about/#recognition"], ["/gaps/"]]


def test_empty_search_suggests_other_words_and_browsing(client, db):
    page = client.get("/search/?q=zzzqqq").content.decode()
    assert _empties(page) == [
        "No results for “zzzqqq”. Try fewer or other words, or browse all topics, the gaps "
        "and the proposals."]


def test_empty_cluster_offers_to_suggest_a_topic(client, db):
    ClusterFactory(slug="compute", name="Compute")
    page = client.get("/clusters/compute/?status=covered").content.decode()
    assert _links(page) == [["/clusters/compute/"]]
    page = client.get("/clusters/compute/").content.decode()
    assert _links(page) == [["/topics/suggest/"]]


def test_empty_catalogue_on_home_says_how_to_load_it(client, db):
    page = client.get("/").content.decode()
    assert _empties(page) == [
        "The catalogue is empty: no clusters or topics are loaded yet. If you run this site, "
        "load them with python manage.py load_catalogue (or make demo for sample people and "
        "work too)."]


def test_empty_profile_lists_say_what_to_do_to_the_owner_and_to_others(client, db):
    newbie = UserFactory(username="newbie")
    to_others = client.get("/people/newbie/").content.decode()
    client.force_login(newbie)
    to_owner = client.get("/people/newbie/").content.decode()
    assert _links(to_others) == [["/gaps/"], ["/search/"], ["/proposals/"]]
    assert _links(to_owner) == [["/gaps/"], ["/me/"], ["/proposals/"]]
    assert _empties(to_owner)[0] == (
        "No claims. Claim a topic to say in public what you will work on: find a gap to claim.")


def test_form_errors_outside_fields_stay_a_list_to_screen_readers():
    """role=alert on the <ul> itself takes away its list role (axe: listitem, serious); the
    alert goes on a wrapper instead, in every template that shows a form's own errors."""
    class Refused(forms.Form):
        title = forms.CharField(required=False)

        def clean(self):
            raise forms.ValidationError("Someone else changed it first.")

    form = Refused({"title": "x"})
    form.is_valid()
    html = Template('{% include "form_body.html" %}').render(Context({"form": form}))
    assert ('<div role="alert"><ul class="errors"><li>Someone else changed it first.</li>'
            '</ul></div>') in html
    templates = [p for root in ("config", "registry", "proposals")
                 for p in Path(root).rglob("*.html")]
    assert [str(p) for p in templates if '<ul class="errors" role="alert">' in p.read_text()] == []


def test_empty_my_work_says_what_to_do_next_in_each_list(client, alice):
    client.force_login(alice)
    page = client.get("/me/").content.decode()
    assert _links(page) == [["/gaps/"], ["/"], ["/proposals/new/"], ["/topics/suggest/"]]
    assert _empties(page)[2] == (
        "You have no proposals yet. A proposal is a concrete ask, the steps to take, and a "
        "person who agrees to lead it. Start a proposal")
