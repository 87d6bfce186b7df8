"""Control characters: refused when text comes in, stripped when XML goes out.

C0 controls (other than tab, line feed and carriage return), DEL and the C1 controls have no
business in titles, notes or bodies, and XML 1.0 cannot carry most of them: one of them in a
title would make every Atom feed and the SVG map that shows it fail for everyone. Forms
(ControlCharactersFormMixin) and the API parsers (registry.core.parsers) refuse them; XML output
(feeds, the SVG map) strips them from whatever is already stored (xml_safe).

Tab, line feed and carriage return are allowed everywhere: they are valid XML, and a textarea
sends CRLF line ends.
"""

import re

from django import forms
from django.utils.translation import gettext

# Refused at input: C0 except \t \n \r, DEL, C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Stripped on XML output: the above, plus what XML 1.0 cannot hold at all (U+FFFE, U+FFFF,
# lone surrogates).
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def control_character(text: str) -> str | None:
    """The first control character in `text` as a code point ("U+0001"), or None."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def control_character_problem(text: str) -> str | None:
    """A sentence naming the first control character in `text`, or None when there is none."""
    character = control_character(text)
    if character is None:
        return None
    return gettext("Contains the control character %(character)s, which is not allowed. "
                   "Remove it and try again.") % {"character": character}


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    return XML_UNSAFE.sub("", text)


class ControlCharactersFormMixin:
    """Refuse control characters in every text field of a form, with the error beside the
    field (the form redisplays with what was typed). Put it before forms.Form / ModelForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # per-instance copies; safe to change
            if isinstance(field, forms.CharField):
                field.validators.append(_validator(str(field.label or name.replace("_", " "))))


def _validator(label):
    def refuse_control_characters(value):
        problem = isinstance(value, str) and control_character_problem(value)
        if problem:
            raise forms.ValidationError(
                gettext("%(label)s: %(problem)s") % {"label": label.capitalize(),
                                                      "problem": problem},
                code="control_character")

    return refuse_control_characters
