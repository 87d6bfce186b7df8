"""Pages: the inbox, notification settings, and follow/unfollow buttons (plain POST forms) for
topics, proposals and writeups' discussions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_POST

from registry.core.redirects import safe_next
from registry.notifications import selectors, services
from registry.notifications.forms import NotificationSettingsForm


def _back(request, fallback):
    return redirect(safe_next(request, resolve_url(fallback)))


@login_required
def inbox(request):
    page = Paginator(selectors.notifications_for(request.user), 50).get_page(
        request.GET.get("page"))
    return render(request, "registry/notifications/inbox.html", {"page": page})


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
    form = NotificationSettingsForm(request.POST or None,
                                    prefs=selectors.settings_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(
            person=request.user, delivery=form.delivery(),
            digest_frequency=form.cleaned_data["digest_frequency"])
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:settings")
    return render(request, "registry/notifications/settings.html",
                  {"form": form, "follows": selectors.follows_of(request.user)})


def _follow(request, **lookup):
    unfollow = request.POST.get("action") == "unfollow"
    target = selectors.follow_target(request.user, unfollow=unfollow, **lookup)
    if unfollow:
        services.follow_delete(person=request.user, **target)
        messages.success(request, "You no longer follow this.")
    else:
        services.follow_create(person=request.user, **target)
        messages.success(request, "You follow this now: you will hear what happens.")
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
