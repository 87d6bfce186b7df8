"""The moderation notice on hidden content, and the report button on content pages."""

from django import template

from registry.moderation.forms import ReportForm
from registry.moderation.permissions import can_see_hidden_content

register = template.Library()


@register.simple_tag(takes_context=True)
def conceal(context, obj, target_type) -> bool:
    """True when the page must show the notice instead of `obj`'s content to this viewer."""
    return obj.hidden and not can_see_hidden_content(context["request"].user, target_type, obj)


@register.inclusion_tag("registry/moderation/_notice.html")
def hidden_notice(obj):
    return {"obj": obj}


@register.inclusion_tag("registry/moderation/_report_button.html", takes_context=True)
def report_button(context, target_type, obj):
    return {"user": context["request"].user, "target_type": target_type, "obj": obj,
            "form": ReportForm(auto_id=f"id_report_{target_type}_%s"),
            "request": context["request"], "csrf_token": context.get("csrf_token")}
