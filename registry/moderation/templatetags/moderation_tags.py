"""The moderation notice on hidden content, and the report button on content pages."""

import re

from django import template
from django.utils.translation import ngettext

from registry.moderation.forms import ReportForm
from registry.moderation.models import ModerationAction, TargetType
from registry.moderation.permissions import can_see_hidden_content
from registry.moderation.services import AUTO_HIDE_REASON

register = template.Library()


@register.simple_tag(takes_context=True)
def conceal(context, obj, target_type) -> bool:
    """True when the page must show the notice instead of `obj`'s content to this viewer."""
    return obj.hidden and not can_see_hidden_content(context["request"].user, target_type, obj)


@register.filter
def target_label(target_type: str) -> str:
    """What a report or a log row is on ("writeup", "topic suggestion"), in the reader's
    language."""
    return TargetType(target_type).label if target_type in TargetType.values else target_type


AUTO_HIDDEN = re.compile("^" + re.escape(AUTO_HIDE_REASON).replace(r"\{n\}", r"(\d+)") + "$")


@register.filter
def log_reason(action) -> str:
    """A log row's reason as the queue shows it: a moderator's words as written; the reason
    the system writes on an automatic hide (services.AUTO_HIDE_REASON, kept in English) in
    the reader's language."""
    match = AUTO_HIDDEN.match(action.reason)
    if action.actor_id is None and action.kind == ModerationAction.Kind.HIDE and match:
        count = int(match[1])
        return ngettext(
            "%(count)s open report from different people with standing; hidden until a "
            "moderator decides.",
            "%(count)s open reports from different people with standing; hidden until a "
            "moderator decides.", count) % {"count": count}
    return action.reason


@register.inclusion_tag("registry/moderation/_notice.html")
def hidden_notice(obj):
    return {"obj": obj}


@register.inclusion_tag("registry/moderation/_report_button.html", takes_context=True)
def report_button(context, target_type, obj):
    return {"user": context["request"].user, "target_type": target_type, "obj": obj,
            "form": ReportForm(auto_id=f"id_report_{target_type}_%s"),
            "request": context["request"], "csrf_token": context.get("csrf_token")}
