"""The registry's pages. Each view reads with selectors, writes with one service call, and
shows a service's refusal on the form that caused it (registry.core.forms.submit)."""

from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.celery import app as celery_app
from registry import permissions, selectors, services, track_records
from registry.core.caching import for_visitors
from registry.core.errors import AlreadyEndorsed, CannotEndorseOwnWork
from registry.core.forms import ButtonForm, confirmed, form_status, offer_overwrite, submit
from registry.core.redirects import safe_next
from registry.core.throttling import posted_email_key, rate_limited
from registry.forms import (
    ClaimForm,
    ClaimNoteForm,
    ClaimRenewForm,
    EndorsementForm,
    ProfileForm,
    SignUpForm,
    TopicDecisionForm,
    TopicSuggestForm,
    WriteupForm,
)
from registry.models import Claim, Topic, TopicStatus
from registry.services.claims import claim_limit_reached
from registry.services.history import event_note_shown
from registry.services.languages import active_language
from registry.templatetags.lockout_tags import lockout_warning


def _home_parts() -> dict:
    overview = selectors.overview()
    return {"counts": overview.counts,
            "clusters": render_to_string("registry/_overview.html",
                                         {"clusters": overview.clusters})}


@for_visitors
def home(request):
    parts = selectors.per_stats_version("home", _home_parts, request=request)
    # Autoescaped when built, by the fragment's template.
    return render(request, "registry/home.html",
                  {"counts": parts["counts"], "clusters_html": mark_safe(parts["clusters"])})


@for_visitors
def cluster_detail(request, slug):
    if (cluster := selectors.cluster_by_slug(slug, request=request)) is None:
        raise Http404("No such cluster.")
    status = request.GET.get("status")
    status = status if status in TopicStatus.values else None

    def parts():  # read only when the shared fragment is not stored yet
        return {"page": Paginator(selectors.cluster_topics(cluster, status=status), 50)
                .get_page(request.GET.get("page"))}

    return render(request, "registry/cluster_detail.html",
                  {"cluster": cluster, "parts": parts, "status": status,
                   "statuses": TopicStatus.values})


@for_visitors
def topic_detail(request, slug):
    # A hidden topic's page stays reachable: it shows others the moderation notice.
    topic = get_object_or_404(selectors.topics_visible_to(request.user, with_hidden=True),
                              slug=slug)
    return _topic_page(request, topic)


def about(request):
    return render(request, "registry/about.html", {
        "endorsements_to_recognise": settings.GAPMAP_ENDORSEMENTS_TO_RECOGNISE})


@rate_limited("signup")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("registry:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="registry.moderation.backends.PersonBackend")
        messages.success(request, _("Welcome to Gapmap. Tell people who you are on your profile."))
        return redirect("registry:profile-edit")
    return render(request, "registry/sign_up.html", {"form": form})


class _SafeNext:
    """Django's log-in and log-out pages with their `next` checked by safe_next, like every
    other form that redirects to one."""

    def get_redirect_url(self):
        return safe_next(self.request, "", field=self.redirect_field_name)


class LoginView(_SafeNext, auth_views.LoginView):
    def form_invalid(self, form):
        """A wrong password near the lockout says how many attempts are left (django-axes
        counted this one while the form checked the password)."""
        request = self.request
        credentials = {"username": form.data.get("username", "")}
        warning = lockout_warning(
            failures=getattr(request, "axes_failures_since_start", None) or 0,
            limit=axes_helpers.get_failure_limit(request, credentials),
            cool_off=axes_helpers.get_cool_off(request))
        return self.render_to_response(self.get_context_data(form=form, lockout_warning=warning))


class LogoutView(_SafeNext, auth_views.LogoutView):
    """Ends this browser's session and revokes no API token, on purpose.

    A token is a credential the person made for another client (a script, the CLI) and holds
    there; logging out of one browser says nothing about it, as it ends no other browser's
    session. Tokens end by expiry, by revocation (/me/tokens/, DELETE /api/v1/auth/token/), or
    by a password change, which ends every session and every token (registry.tokens.binding).
    """


log_in = rate_limited("login")(LoginView.as_view())
log_out = LogoutView.as_view()

# Per client address (or person), then per e-mail address asked for. Every address counts the
# same whether or not it has an account, and Django's view answers "check your e-mail" either
# way, so neither the page nor the limit tells anyone which addresses are registered.
password_reset = rate_limited("password_reset_client")(
    rate_limited("password_reset", key=posted_email_key)(
        auth_views.PasswordResetView.as_view()))


@for_visitors
def profile(request, username):
    person = track_records.person_or_404(username)
    # An account made outside sign-up (the admin) gets its profile on first use.
    profile = getattr(person, "profile", None) or services.profile_for(person)
    record = track_records.track_record(person, request.user, query=request.GET,
                                        is_funder=profile.is_funder, with_public=False)

    def public_parts():  # the same for every viewer: rendered once per site version
        return {"record": track_records.public_record(person, query=request.GET)}

    return render(request, "registry/profile.html", {
        "person": person, "profile": profile, "record": record, "public_parts": public_parts})


@login_required
def profile_edit(request):
    profile = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid() and submit(
            form, lambda: services.profile_update(profile=profile, **form.cleaned_data),
            request=request, done=_("Your profile is saved."))[0]:
        return redirect("registry:profile", username=request.user.username)
    return render(request, "registry/profile_edit.html", {"form": form},
                  status=form_status(form))


@never_cache
@require_GET
def healthz(request):
    report, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:  # any failure here means "not healthy", whatever its class
        report["database"], healthy = f"error: {error.__class__.__name__}", False
    if celery_app.conf.task_always_eager:
        report["broker"] = "eager"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            report["broker"] = "ok"
        except Exception as error:
            report["broker"], healthy = f"error: {error.__class__.__name__}", False
    return JsonResponse(report, status=200 if healthy else 503)


# --- Claims, writeups and suggestions ------------------------------------------------------


def _release_form(claim):
    """The note form of the release step (registry/_claim_release.html), with ids of its own
    so several can stand on one page."""
    return ClaimNoteForm(auto_id=f"id_release_{claim.pk}_%s")


def _by_kind(writeups) -> list[tuple[str, list]]:
    """[(kind, writeups)] in the order given (topic_writeups': by kind, then newest)."""
    groups: dict[str, list] = {}
    for writeup in writeups:
        groups.setdefault(writeup.kind, []).append(writeup)
    return list(groups.items())


def _with_shown_notes(events) -> list:
    """The events, each with `shown_note`: its note as the reader reads it
    (registry.services.history.event_note_shown)."""
    events = list(events)
    for event in events:
        event.shown_note = event_note_shown(event)
    return events


def _topic_page(request, topic, *, claim_form=None, status=200):
    """The topic page. Its lists are the same for every signed-in viewer of a class and are
    rendered once per site version ({% shared_fragment %}): each `*_parts` is read only when
    its fragment is not stored yet. The writeups are rendered for the viewer alone when they
    hold some of theirs that others do not see (drafts)."""
    user = request.user
    my_claim = selectors.active_claim_of(topic, user)
    if my_claim:
        my_claim.release_form = _release_form(my_claim)
    context = {
        "topic": topic,
        "recognition_parts": lambda: {
            "recognitions": selectors.topic_recognitions(topic)},
        "claim_parts": lambda: {"claims": selectors.claims_for_topic(topic)},
        "writeup_parts": lambda: _topic_writeups(request, topic),
        "writeups_personal": selectors.has_writeups_only_they_see(topic, user),
        "history_parts": lambda: {
            "timeline": _with_shown_notes(selectors.topic_timeline(topic))},
        "my_claim": my_claim,
        "claim_form": claim_form or ClaimForm(),
        # At the limit, the page says so (with a link to My work) in place of the form.
        "at_claim_limit": user.is_authenticated and not my_claim
        and claim_limit_reached(user),
        "claim_limit": settings.GAPMAP_MAX_ACTIVE_CLAIMS,
        "can_decide": permissions.can_decide_topic(user, topic),
    }
    return render(request, "registry/topic_detail.html", context, status=status)


def _topic_writeups(request, topic) -> dict:
    # A page of them (?writeups_page=), each row carrying the total: a topic may hold
    # hundreds, and each costs the template a line.
    writeups = track_records.paged("writeups", selectors.topic_writeups(topic, request.user),
                                   request.GET)
    return {"writeups": writeups, "writeup_groups": _by_kind(writeups.items)}


@login_required
@require_POST
@rate_limited("claim")
def claim_create(request, slug):
    topic = get_object_or_404(selectors.topics_visible_to(request.user), slug=slug)
    form = ClaimForm(request.POST)
    if form.is_valid() and submit(form, lambda: services.claim_create(
            topic=topic, person=request.user, **form.cleaned_data), request=request,
            done=_("You claimed this topic. It is on your “My work” page."))[0]:
        return redirect(topic)
    return _topic_page(request, topic, claim_form=form, status=form_status(form))


def _claim_note_page(request, pk, *, form_class, allowed, call, done, template,
                     confirm=False):
    """A claim's note page. With `confirm`, a POST acts only with confirm=yes (the real
    submit of the step, registry/_claim_release.html); without it, this page is the step,
    keeping the note typed."""
    claim = get_object_or_404(Claim.objects.select_related("topic"), pk=pk,
                              topic__state=Topic.State.LISTED)
    if not allowed(request.user, claim):
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None)
    go_on = form.is_bound and (not confirm or confirmed(request))
    back = safe_next(request, claim.topic.get_absolute_url())
    if go_on and form.is_valid() and submit(form, lambda: call(
            claim=claim, actor=request.user, note=form.cleaned_data["note"]), request=request,
            done=done)[0]:
        return redirect(back)
    return render(request, template, {"claim": claim, "form": form, "next": back},
                  status=form_status(form) if go_on else 200)


@login_required
def claim_release(request, pk):
    return _claim_note_page(
        request, pk, form_class=ClaimNoteForm, allowed=permissions.can_release_claim,
        call=services.claim_release, template="registry/claim_release.html", confirm=True,
        done=_("Your claim is released. The topic keeps your part in its history."))


@login_required
def claim_renew(request, pk):
    return _claim_note_page(
        request, pk, form_class=ClaimRenewForm, allowed=permissions.can_renew_claim,
        call=services.claim_renew, template="registry/claim_renew.html",
        done=_("Your claim is renewed."))


@login_required
def my_work(request):
    me = request.user
    return render(request, "registry/my_work.html", {
        "proposals": track_records.paged("proposals", track_records.proposals(me, me),
                                         request.GET),
        "interests": track_records.paged(
            "interests", track_records.funder_interests(me, me, with_private=True),
            request.GET),
        "endorsements": track_records.paged("endorsements_given",
                                            selectors.endorsements_given(me), request.GET),
        "claims": [_with_release_form(claim) for claim in selectors.my_claims(me)],
        "writeups": selectors.my_writeups(request.user),
        "suggestions": selectors.my_suggestions(request.user),
        "dormant_days": settings.GAPMAP_CLAIM_DORMANT_DAYS,
        "is_moderator": permissions.is_moderator(request.user),
    })


def _with_release_form(claim):
    if claim.state != Claim.State.RELEASED:
        claim.release_form = _release_form(claim)
    return claim


def _visible_writeup(request, pk):
    # Reviewers read a draft shared with them (its versions too); editing, publishing and
    # deleting it is then a 403 (permissions.can_edit_writeup).
    return get_object_or_404(selectors.writeups_visible_to(request.user, for_review=True), pk=pk)


def _editable_writeup(request, pk):
    writeup = _visible_writeup(request, pk)
    if not permissions.can_edit_writeup(request.user, writeup):
        raise PermissionDenied
    return writeup


@login_required
@rate_limited("post")
def writeup_create(request, slug):
    topic = get_object_or_404(selectors.topics_with_status(), slug=slug)
    form = WriteupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved, writeup = submit(form, lambda: services.writeup_create(
            topic=topic, author=request.user, **data), request=request,
            done=_("Draft saved. Only you can see it."))
        if saved:
            return redirect(writeup)
    return render(request, "registry/writeup_form.html", {"form": form, "topic": topic},
                  status=form_status(form))


@login_required
@rate_limited("post")
def writeup_edit(request, pk):
    writeup = _editable_writeup(request, pk)
    initial = {name: getattr(writeup, name) for name in services.writeups.CONTENT_FIELDS}
    form = WriteupForm(request.POST if request.method == "POST" else None,
                       initial={**initial, "version": writeup.version,
                                "language": writeup.language or active_language()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        if submit(form, lambda: services.writeup_update(
                writeup=writeup, editor=request.user, expected_version=expected, **data),
                request=request, done=_("Saved. The previous version is kept in the history."))[0]:
            return redirect(writeup)
        if form_status(form) == 412:
            writeup.refresh_from_db(fields=["version"])
            offer_overwrite(form, current_version=writeup.version)
    return render(request, "registry/writeup_form.html",
                  {"form": form, "topic": writeup.topic, "writeup": writeup},
                  status=form_status(form))


def writeup_page(request, writeup, *, publish_form=None, endorse_form=None, status=None):
    """The writeup page, with its live endorsements and, for a signed-in reader who may
    endorse it, the form (else why they may not: permissions.endorse_refusal)."""
    user = request.user
    refusal = permissions.endorse_refusal(user, writeup) if user.is_authenticated else None
    if endorse_form is None and user.is_authenticated and refusal is None:
        endorse_form = EndorsementForm(initial={
            # Read only, as endorsement_create's default does: a GET writes no profile row.
            "disclosure": getattr(getattr(user, "profile", None), "conflict_of_interest", "")})
    return render(request, "registry/writeup_detail.html", {
        "writeup": writeup,
        # The list is the same for every reader of a class but one who endorsed it (their
        # own carries a Retract button): rendered once per site version for the others.
        # Both asked only where the list is shown (a published writeup).
        "endorsement_parts": lambda: {"endorsements": selectors.writeup_endorsements(writeup)},
        "endorsed_by_reader": lambda: _endorsed_by_reader(user, writeup, refusal),
        "profile": services.profile_for(writeup.author),
        "versions": writeup.versions.select_related("editor__profile").defer("body", "body_html")
        .order_by("-number"),
        "can_edit": permissions.can_edit_writeup(user, writeup),
        "publish_form": publish_form,
        "endorse_form": endorse_form,
        "may_endorse": endorse_form is not None,
        "endorse_refusal": refusal,
        "is_moderator": permissions.is_moderator(user),
        "threshold": settings.GAPMAP_ENDORSEMENTS_TO_RECOGNISE,
    }, status=status or form_status(endorse_form if endorse_form is not None
                                    and endorse_form.is_bound else publish_form))


def _endorsed_by_reader(user, writeup, refusal) -> bool:
    """Whether the reader has a live endorsement of `writeup`: the refusal says so when they
    have standing; an author has none; anyone else refused is asked."""
    if refusal is None or isinstance(refusal, CannotEndorseOwnWork):
        return False
    return isinstance(refusal, AlreadyEndorsed) or permissions.has_live_endorsement(user,
                                                                                    writeup)


@for_visitors
def writeup_detail(request, pk):
    # A hidden writeup's page stays reachable: it shows others the moderation notice.
    writeup = get_object_or_404(selectors.writeups_visible_to(
        request.user, with_hidden=True, for_review=True), pk=pk)
    return writeup_page(request, writeup)


def writeup_version(request, pk, number):
    writeup = _visible_writeup(request, pk)
    version = get_object_or_404(writeup.versions.select_related("editor__profile"),
                                number=number)
    # The version's HTML was rendered when it was saved (WriteupVersion.body_html).
    return render(request, "registry/writeup_version.html",
                  {"writeup": writeup, "version": version})


@login_required
@require_POST
def writeup_publish(request, pk):
    writeup = _editable_writeup(request, pk)
    form = ButtonForm(request.POST)
    if submit(form, lambda: services.writeup_publish(writeup=writeup, actor=request.user),
              request=request, done=_("Published. Everyone can read it now."))[0]:
        return redirect(writeup)
    return writeup_page(request, writeup, publish_form=form)


@login_required
@require_POST
def writeup_delete(request, pk):
    writeup = _editable_writeup(request, pk)
    services.writeup_delete(writeup=writeup, actor=request.user)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": writeup.title})
    return redirect("registry:my-work")


@login_required
@rate_limited("post")
def topic_suggest(request):
    form = TopicSuggestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved, topic = submit(form, lambda: services.topic_suggest(
            person=request.user, **form.cleaned_data), request=request,
            done=_("Thank you. A moderator will list or decline your suggestion; you will "
                   "see the decision on your “My work” page."))
        if saved:
            return redirect(topic)
    return render(request, "registry/topic_suggest.html", {"form": form},
                  status=form_status(form))


@login_required
def topic_suggestions(request, slug=None):
    """The moderators' queue; POST to /topics/<slug>/decide/ lists or declines one."""
    if not permissions.is_moderator(request.user):
        raise PermissionDenied
    forms_by_topic, status = {}, 200
    if request.method == "POST":
        topic = get_object_or_404(Topic, slug=slug)
        form = TopicDecisionForm(request.POST, prefix=f"t{topic.pk}")
        if form.is_valid() and submit(form, lambda: services.topic_decide(
                topic=topic, moderator=request.user, state=request.POST.get("state", ""),
                note=form.cleaned_data["note"]), request=request,
                done=_("“%(title)s” is decided.") % {"title": topic.local_title})[0]:
            return redirect("registry:topic-suggestions")
        forms_by_topic[topic.pk], status = form, form_status(form)
    suggestions = list(selectors.topic_suggestions().select_related("suggested_by__profile"))
    for topic in suggestions:
        topic.decision_form = forms_by_topic.get(topic.pk) or TopicDecisionForm(
            prefix=f"t{topic.pk}")
    return render(request, "registry/topic_suggestions.html", {"suggestions": suggestions},
                  status=status)
