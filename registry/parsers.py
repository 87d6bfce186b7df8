"""Request parsers that refuse text the database cannot store, with a 400 instead of a 500.

PostgreSQL rejects NUL characters in text, and UTF-8 cannot encode lone surrogates; both
would otherwise fail deep inside a query. Absurdly deep JSON is refused too.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser

MAX_JSON_DEPTH = 32


def unstorable_text_problem(value, depth=0) -> str | None:
    """Describe the first unstorable piece of `value` (recursing into lists and dicts)."""
    if depth > MAX_JSON_DEPTH:
        return f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep."
    if isinstance(value, str):
        if "\x00" in value:
            return "Text may not contain NUL (\\u0000) characters."
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "Text contains an unpaired surrogate, which is not valid Unicode."
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


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON is nested too deeply.") from None
        problem = unstorable_text_problem(data)
        if problem:
            raise ParseError(problem)
        return data


class StrictFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        problem = unstorable_text_problem(dict(data.lists()))
        if problem:
            raise ParseError(problem)
        return data
