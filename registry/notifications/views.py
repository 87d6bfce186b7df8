"""Pages: the inbox, notification settings, and follow/unfollow buttons (plain POST forms) for
topics, proposals and writeups' discussions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.core.caching import person_stamp
from registry.core.redirects import safe_next
from registry.notifications import selectors, services
from registry.notifications.forms import NotificationSettingsForm, SetAllForm


def _back(request, fallback):
    return redirect(safe_next(request, resolve_url(fallback)))


@login_required
def inbox(request):
    # The list is a shared fragment of the person's alone, keyed on their inbox stamp (every
    # change to their notifications moves it) and on the minute ("3 minutes ago").
    def page_parts():
        return {"page": Paginator(selectors.notifications_for(request.user), 50).get_page(
            request.GET.get("page"))}
    return render(request, "registry/notifications/inbox.html", {
        "page_parts": page_parts,
        "inbox_stamp": person_stamp(services.INBOX_STAMP, request.user.pk),
        "minute": timezone.now().strftime("%Y-%m-%d %H:%M")})


@login_required
@require_POST
def mark_read(request, pk):
    services.notifications_mark_read(person=request.user, notification_id=pk)
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(person=request.user)
    return redirect("notifications:inbox")


@login_required
def settings_page(request):
    """The settings, grouped; a POST with `every_kind` (the set-all form) gives every kind
    that delivery, any other POST saves the grouped form."""
    prefs = selectors.settings_for(request.user)
    posted = request.POST if request.method == "POST" else None
    set_all = SetAllForm(posted if posted and "every_kind" in posted else None)
    form = NotificationSettingsForm(posted if posted and not set_all.is_bound else None,
                                    prefs=prefs,
                                    groups=selectors.settings_groups_for(request.user))
    if set_all.is_bound and set_all.is_valid():
        services.notification_settings_update(person=request.user, delivery=set_all.delivery())
        choice = dict(set_all.fields["every_kind"].choices)[set_all.cleaned_data["every_kind"]]
        messages.success(request, _("Every kind of notification is now set to “%(choice)s”.")
                         % {"choice": choice})
        return redirect("notifications:settings")
    if form.is_bound and form.is_valid():
        services.notification_settings_update(
            person=request.user, delivery=form.delivery(),
            digest_frequency=form.cleaned_data["digest_frequency"])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "registry/notifications/settings.html",
                  {"form": form, "set_all": set_all,
                   "follows": selectors.follows_of(request.user)},
                  status=400 if set_all.errors or form.errors else 200)


def _follow(request, **lookup):
    unfollow = request.POST.get("action") == "unfollow"
    target = selectors.follow_target(request.user, unfollow=unfollow, **lookup)
    if unfollow:
        services.follow_delete(person=request.user, **target)
        messages.success(request, _("You no longer follow this."))
    else:
        services.follow_create(person=request.user, **target)
        messages.success(request, _("You follow this now: you will hear what happens."))
    (item,) = target.values()
    return _back(request, item.get_absolute_url())


@login_required
@require_POST
def topic_follow(request, slug):
    return _follow(request, topic_slug=slug)


@login_required
@require_POST
def proposal_follow(request, pk):
    return _follow(request, proposal_id=pk)


@login_required
@require_POST
def writeup_follow(request, pk):
    """Follow a published writeup's discussion (commenting follows it too)."""
    return _follow(request, writeup_id=pk)
