"""Parts of a signed-in page that every viewer of a class sees alike, rendered once per site
version and reused (issue 17: the gaps table, a cluster's topics, the board's columns).

    {% load shared_cache %}
    {% shared_fragment "gaps" parts=gaps_parts is_funder %} … {% endshared_fragment %}
    {% shared_fragment "topic-writeups" parts=writeup_parts personal=writeups_personal %}
      … {% endshared_fragment %}

The fragment is stored under its name, the site version (registry.selectors.site_version, which
every visible write moves inside its own transaction, so a person sees their own change on the
next request), the viewer's class (viewer_class), the language, the request's path and query
string (pager links carry the query string) and the values after the name (is_funder above).
`parts`, a callable returning a dict, is called only when the fragment must be rendered: the
view passes its reads that way, so a stored fragment costs them nothing. With `personal`
true, this viewer's fragment holds something of theirs alone (their drafts in a list): it is
rendered for them and neither read from nor written to the cache. With `versioned=False` the
site version is left out of the key: for a fragment that reads nothing from the database, whose
every input is in the key (the page's header: the reader's name, roles and counts are its
values), so writes elsewhere on the site do not make it render again.

With `own`, a fragment holds parts that differ for the people who wrote them (the buttons on
one's own comments): each is a `{% shared_part "template.html" key %}`, stored marked with its
template and key. `own`, a callable given the keys of a stored fragment's parts, returns the
viewer's own among them as {key: values}; those parts are rendered again for the viewer with
those values (one query for a reader who wrote none of them), and everyone shares the rest.

What goes inside must be the same for everyone of the class: nothing about the viewer but
what its class and the values say. Forms that post may go inside: a shared fragment is
rendered with a stand-in for the CSRF token ({% csrf_token %} and the `csrf_token` an
inclusion tag passes on), which each request's own token replaces on the way out. A rendering
that holds any other token (one read from the request itself) is shown but never stored.
Visitors get the fragment rendered: the visitors' page cache (registry.core.caching) keeps
their whole page.
"""

import hashlib
import re
import secrets

from django import template
from django.template.base import token_kwargs
from django.utils import translation

from registry import permissions, selectors
from registry.core.caching import request_site_version, versioned_get, versioned_set

register = template.Library()


def viewer_class(user) -> str:
    """Which signed-in people see a shared fragment alike: moderators (they see hidden profiles'
    names); a person whose own profile is hidden, alone (they still see their own name); and
    every other person."""
    if permissions.is_moderator(user):
        return "moderator"
    # The header has read the profile already (registry.moderation.context_processors).
    profile = getattr(user, "profile", None)
    if profile is not None and profile.hidden:
        return f"self-hidden:{user.pk}"
    return "person"


def fragment_key(request, name: str, vary_on=(), *, versioned: bool = True) -> str:
    parts = "|".join([viewer_class(request.user), translation.get_language(),
                      request.get_full_path(),
                      *(str(value) for value in vary_on)])
    digest = hashlib.sha256(parts.encode()).hexdigest()
    version = request_site_version(request) if versioned else "any"
    # "2": a fragment is stored with its parts' nonce since 196ac6c; a string stored before
    # under the old name would not unpack.
    return f"shared-fragment-2:{name}:{version}:{digest}"


# What a fragment is rendered and stored with in place of a CSRF token; each request's own
# token replaces it on the way out (_with_own_token), so no token is ever stored.
CSRF_STAND_IN = "shared-fragment-csrf-stand-in"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _holds_csrf_token(request, html: str) -> bool:
    """Whether `html` holds a CSRF token other than the stand-in (or the request's secret)."""
    secret = request.META.get("CSRF_COOKIE")
    return any(token != CSRF_STAND_IN for token in _CSRF_FIELD.findall(html)) or bool(
        secret and secret in html)


def _with_own_token(context, html: str) -> str:
    return html.replace(CSRF_STAND_IN, str(context.get("csrf_token") or "")) if (
        CSRF_STAND_IN in html) else html


# A shared part in a stored fragment: start and the fragment's nonce, template name, key, its
# HTML, end and the nonce. The nonce is drawn for each rendering and stored with it, so no text
# shown in the fragment (a comment's body) can make a mark that is taken for one.
_PART_START, _PART_KEY, _PART_STOP = "\ue010", "\ue011", "\ue012"
_PART_MARKS = str.maketrans("", "", _PART_START + _PART_KEY + _PART_STOP)
# Set in the context to the nonce while a fragment is rendered for storing: parts are marked.
_MARKING = "_shared_fragment_parts_nonce"


def _parts_pattern(nonce: str) -> re.Pattern:
    return re.compile(f"{_PART_START}{nonce}([^{_PART_KEY}]*){_PART_KEY}([^{_PART_KEY}]*)"
                      f"{_PART_KEY}([^{_PART_STOP}]*){_PART_STOP}{nonce}")


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts, personal, versioned, own, vary_on):
        self.nodelist, self.name, self.parts, self.vary_on = nodelist, name, parts, vary_on
        self.personal, self.versioned, self.own = personal, versioned, own

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        # Visitors: the visitors' page cache keeps their pages. No request or no user: an error
        # page rendered without the request (Django's 500) or before authentication ran.
        if user is None or not user.is_authenticated or (self.personal
                                                         and self.personal.resolve(context)):
            return _with_own_token(context, self._render(context))
        key = fragment_key(request, self.name.resolve(context),
                           [value.resolve(context) for value in self.vary_on],
                           versioned=self.versioned is None or self.versioned.resolve(context))
        if (stored := versioned_get(key)) is None:
            nonce = secrets.token_hex(8) if self.own is not None else ""
            stored = nonce, self._render(context, nonce=nonce)
            if not _holds_csrf_token(request, stored[1]):
                versioned_set(key, stored, selectors.STATS_CACHE_SECONDS)
        nonce, html = stored
        if nonce:
            html = self._with_own_parts(context, html, nonce)
        return _with_own_token(context, html)

    def _render(self, context, *, nonce: str = ""):
        """The fragment with the CSRF stand-in wherever a token goes (_with_own_token then
        puts the request's own in, whether it is stored or not); with a nonce, its parts
        marked."""
        with context.push(csrf_token=CSRF_STAND_IN, **{_MARKING: nonce},
                          **(self.parts.resolve(context) if self.parts else {})):
            return self.nodelist.render(context)

    def _with_own_parts(self, context, html: str, nonce: str) -> str:
        """The stored fragment with its marks taken out and the viewer's own parts rendered
        for them. re.split gives the text before each part, then its template, key, HTML."""
        pieces = _parts_pattern(nonce).split(html)
        keys = pieces[2::4]
        own = self.own.resolve(context)(keys) if keys else {}
        for at, key in enumerate(keys):
            if key in own:
                name = pieces[4 * at + 1]
                with context.push(**own[key]):
                    pieces[4 * at + 3] = context.template.engine.get_template(name).render(
                        context)
        return "".join(piece for at, piece in enumerate(pieces) if at % 4 in (0, 3))


class SharedPartNode(template.Node):
    def __init__(self, name, key):
        self.name, self.key = name, key

    def render(self, context):
        name = self.name.resolve(context)
        part = context.template.engine.get_template(name)
        if not (nonce := context.get(_MARKING)):
            return part.render(context)
        with context.push(**{_MARKING: ""}):  # a part inside a part is not marked again
            html = part.render(context)
        return (f"{_PART_START}{nonce}{name}{_PART_KEY}{self.key.resolve(context)}{_PART_KEY}"
                f"{html.translate(_PART_MARKS)}{_PART_STOP}{nonce}")


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment name [parts=callable] [personal=bool] [versioned=bool] [own=callable]
    [value …] %} … {% endshared_fragment %}"""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    name = parser.compile_filter(bits.pop(0))
    options = token_kwargs(bits, parser)  # the leading name=value pairs
    if unknown := set(options) - {"parts", "personal", "versioned", "own"}:
        raise template.TemplateSyntaxError(
            "shared_fragment takes parts=, personal=, versioned= and own=, not "
            f"{', '.join(sorted(unknown))}")
    vary_on = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, name, options.get("parts"), options.get("personal"),
                              options.get("versioned"), options.get("own"), vary_on)


@register.tag
def shared_part(parser, token):
    """{% shared_part "template.html" key %}: that template rendered here, marked as a part a
    viewer may own inside a {% shared_fragment … own=… %} (see the module docstring)."""
    bits = token.split_contents()[1:]
    if len(bits) != 2:
        raise template.TemplateSyntaxError("shared_part takes a template name and a key")
    return SharedPartNode(*(parser.compile_filter(bit) for bit in bits))
