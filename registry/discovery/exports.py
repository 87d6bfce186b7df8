"""Open-data exports: topics, writeups, proposals, recognitions, endorsements and comments as
CSV or JSON, streamed.

Each export names its columns in an explicit allow-list (EXPORTS). Only public rows (listed
topics, published writeups, proposals) and public fields go out: never drafts, e-mail
addresses or funders' notes. Rows are read with .values().iterator(), so memory stays flat
however many rows there are.

CSV cells that a spreadsheet would run as a formula (see spreadsheet_safe) get a leading single
quote, as OWASP's "CSV Injection" page recommends; the JSON exports keep the true text.
"""

import csv
import json

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse

from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from registry import selectors as registry_selectors
from registry.discovery.selectors import with_funder_interest
from registry.feedback.selectors.comments import comments_visible_to
from registry.models import Topic

CHUNK_SIZE = 2000
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or
# Google Sheets: OWASP's list (= + - @ tab CR), line feed, and the full-width = + - @ that
# some spreadsheets read as their ASCII forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d",
                  "\uff20")


def _topics():
    return with_funder_interest(registry_selectors.topics_with_status()).order_by("id")


def _writeups():
    return registry_selectors.writeups_visible_to(AnonymousUser()).filter(
        topic__state=Topic.State.LISTED).order_by("id")


def _comments():
    """What a visitor reads in the threads: no deleted or hidden comment, none on a draft or on
    anything hidden (comments_visible_to), none on a writeup of an unlisted topic."""
    return (comments_visible_to(AnonymousUser())
            .filter(deleted_at__isnull=True)
            .filter(Q(writeup__isnull=True) | Q(writeup__topic__state=Topic.State.LISTED))
            .order_by("id"))


def _proposals():
    return Proposal.objects.filter(proposal_selectors.shown_to(AnonymousUser())).order_by("id")


# export name → (rows, {column: field looked up with .values()}, URL of a row)
EXPORTS = {
    "topics": (_topics, {
        "slug": "slug", "title": "title", "cluster": "cluster__slug", "status": "status",
        "description": "description", "source": "source", "expert_name": "expert_name",
        "expert_work_title": "expert_work_title", "expert_work_url": "expert_work_url",
        "active_claims": "active_claims", "published_writeups": "published_writeups",
        "funder_interest": "funder_interest", "created_at": "created_at",
        "updated_at": "updated_at",
    }, lambda row: f"/topics/{row['slug']}/"),
    "writeups": (_writeups, {
        "id": "id", "topic": "topic__slug", "author": "author__username", "title": "title",
        "kind": "kind", "body": "body", "external_url": "external_url",
        "published_at": "published_at", "updated_at": "updated_at",
    }, lambda row: f"/writeups/{row['id']}/"),
    "proposals": (_proposals, {
        "id": "id", "title": "title", "topic": "topic__slug", "author": "author__username",
        "stage": "stage", "owner": "owner__username", "ask": "ask", "target": "target",
        "cost_range": "cost_range", "time_horizon": "time_horizon",
        "stage_changed_at": "stage_changed_at", "created_at": "created_at",
        "updated_at": "updated_at",
    }, lambda row: f"/proposals/{row['id']}/"),
    # Live ones on public topics and writeups (registry.selectors' public_* selectors).
    "recognitions": (registry_selectors.public_recognitions, {
        "id": "id", "topic": "topic__slug", "person": "person__username", "name": "name",
        "work_title": "work_title", "work_url": "work_url", "writeup": "writeup_id",
        "source": "source", "reason": "reason", "created_at": "created_at",
    }, lambda row: f"/topics/{row['topic']}/"),
    "endorsements": (registry_selectors.public_endorsements, {
        "id": "id", "writeup": "writeup_id", "topic": "writeup__topic__slug",
        "endorser": "endorser__username", "statement": "statement", "disclosure": "disclosure",
        "created_at": "created_at",
    }, lambda row: f"/writeups/{row['writeup']}/#endorsements"),
    "comments": (_comments, {
        "id": "id", "writeup": "writeup_id", "proposal": "proposal_id", "parent": "parent_id",
        "author": "author__username", "aspect": "aspect", "body": "body",
        "version": "version", "created_at": "created_at", "edited_at": "edited_at",
    }, lambda row: f"/comments/{row['id']}/"),
}


def columns(name: str) -> list[str]:
    """The allow-list of an export, in column order (url last)."""
    return [*EXPORTS[name][1], "url"]


def rows(name: str, *, base_url: str = ""):
    """Yield each row of an export as a dict of exactly columns(name)."""
    queryset, fields, url = EXPORTS[name]
    for values in queryset().values(*fields.values()).iterator(chunk_size=CHUNK_SIZE):
        row = {column: values[field] for column, field in fields.items()}
        row["url"] = base_url + url(row)
        yield row


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def spreadsheet_safe(value):
    """`value` as a CSV cell no spreadsheet will run: text that starts like a formula gets a
    leading single quote, which spreadsheets show as text (and hide)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(name, base_url):
    writer = csv.writer(_Echo())
    yield writer.writerow(columns(name))
    for row in rows(name, base_url=base_url):
        yield writer.writerow([spreadsheet_safe(row[column]) for column in columns(name)])


def _json(name, base_url):
    yield "["
    for i, row in enumerate(rows(name, base_url=base_url)):
        yield ("," if i else "") + "\n" + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


def export(request, name, fmt):
    if name not in EXPORTS or fmt not in ("csv", "json"):
        raise Http404
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(name, base_url), content_type="text/csv")
    else:
        response = StreamingHttpResponse(_json(name, base_url), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gapmap-{name}.{fmt}"'
    return response
