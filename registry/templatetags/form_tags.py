"""A form field's widget with its length limit stated (form_field.html)."""

from django import template

register = template.Library()


def max_length(field) -> int | None:
    """The field's character limit, as the form field declares it (None when it has none)."""
    return getattr(field.field, "max_length", None)


@register.simple_tag
def field_widget(field):
    """The widget, described by its help text, its limit and its errors (aria-describedby,
    in that order, the ids form_field.html gives them). A widget that sets its own
    aria-describedby keeps it."""
    if field.field.widget.attrs.get("aria-describedby") or not field.auto_id:
        return field.as_widget()
    ids = [f"{field.auto_id}_{part}" for part, present in (
        ("helptext", field.help_text), ("limit", max_length(field)), ("errors", field.errors))
        if present]
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)


@register.filter
def limit_of(field):
    return max_length(field)
