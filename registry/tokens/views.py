"""Pages: one's API tokens at /me/tokens/, with plain POST forms to create and revoke."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.core.throttling import rate_limited
from registry.tokens import selectors, services
from registry.tokens.forms import ApiTokenCreateForm


@never_cache  # the response to a create holds the secret: no cache may keep it
@login_required
@rate_limited("post")
def token_list(request):
    """The list, and the create form. A new secret is shown in this response only: it is
    never put in a message, a session or a redirect."""
    form = ApiTokenCreateForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _, new_secret = services.api_token_create(user=request.user,
                                                  name=form.cleaned_data["name"])
        form = ApiTokenCreateForm()
    page = Paginator(selectors.api_tokens_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "registry/tokens/list.html", {
        "form": form, "page": page, "new_secret": new_secret,
        "lifetime_days": settings.GAPMAP_API_TOKEN_DAYS})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(selectors.api_tokens_of(request.user), pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token %(prefix)s… is revoked: it no longer works.")
                     % {"prefix": token.prefix})
    return redirect("tokens:list")


@login_required
@require_POST
def token_revoke_all(request):
    count = services.api_tokens_revoke_all(user=request.user, actor=request.user)
    messages.success(request, ngettext("%(count)s token revoked.", "%(count)s tokens revoked.",
                                       count) % {"count": count})
    return redirect("tokens:list")
