"""Request parsers that refuse text the database cannot store, with a 400 instead of a 500.

PostgreSQL rejects NUL characters in text, and UTF-8 cannot encode lone surrogates; both
would otherwise fail deep inside a query. Absurdly deep JSON is refused too. Control
characters (registry.core.textclean) are refused as a 400 naming the field: stored, they would
break the feeds and the SVG map.
"""

from django.utils.translation import gettext
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser

from registry.core.textclean import control_character, control_character_problem

MAX_JSON_DEPTH = 32


def unstorable_text_problem(value, depth=0) -> str | None:
    """Describe the first unstorable piece of `value` (recursing into lists and dicts)."""
    if depth > MAX_JSON_DEPTH:
        return gettext("The JSON is nested more than %(depth)s levels deep.") % {
            "depth": MAX_JSON_DEPTH}
    if isinstance(value, str):
        if "\x00" in value:
            return gettext("Text may not contain NUL (\\u0000) characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return gettext("Text contains an unpaired surrogate, which is not valid Unicode.")
        return None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = value
    else:
        return None
    for item in items:
        problem = unstorable_text_problem(item, depth + 1)
        if problem:
            return problem
    return None


def control_character_fields(value, path="") -> dict[str, list[str]]:
    """{field: [message]} for each field of `value` holding a control character; a nested
    field is named by its path (`links.0`, `answer.note`). Call after unstorable_text_problem
    (which bounds the depth)."""
    if isinstance(value, str):
        problem = control_character_problem(value)
        return {path or "non_field_errors": [problem]} if problem else {}
    if isinstance(value, dict):
        pairs = value.items()
    elif isinstance(value, list | tuple):
        pairs = enumerate(value)
    else:
        return {}
    fields = {}
    for key, item in pairs:
        name = f"{path}.{key}" if path else str(key)
        character = isinstance(key, str) and control_character(key)
        if character:
            raise ParseError(gettext(
                "A field name contains the control character %(character)s, which is not "
                "allowed. Remove it and try again.") % {"character": character})
        fields.update(control_character_fields(item, name))
    return fields


def _refuse_unstorable(data):
    problem = unstorable_text_problem(data)
    if problem:
        raise ParseError(problem)
    fields = control_character_fields(data)
    if fields:
        raise ValidationError(fields)


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("The JSON is nested too deeply.")) from None
        _refuse_unstorable(data)
        return data


class StrictFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_unstorable({key: values[-1] if len(values) == 1 else values
                            for key, values in data.lists()})
        return data
