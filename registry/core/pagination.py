"""Pagination: the API's classes (cursor for long lists, numbered pages elsewhere), and a
page that knows only whether another follows (peek_page)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Keyset pages, newest first, for lists that grow without bound (writeups).

    Page-number pagination counts every row and skips OFFSET rows, so deep pages and the count
    get slower as the list grows; a cursor seeks from the last row seen (the index on
    -created_at, -id) and costs the same on every page. Clients follow `next`/`previous`.

    A cursor comes from the client, so its position is checked before it reaches a query: DRF
    only checks the base64 and the offset, and a position that is not a date (or a date
    outside what the database stores) would be a 500. A bad cursor is a 404 like DRF's own.
    """

    ordering = ("-created_at", "-id")
    page_size = 20

    def paginate_queryset(self, queryset, request, view=None):
        self.position_field = queryset.model._meta.get_field(self.ordering[0].lstrip("-"))
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        # The position stays the string it was: DRF compares it with rows' str() positions.
        try:
            value = self.position_field.to_python(position)
            if isinstance(self.position_field, models.DateTimeField):
                if value is None or timezone.is_naive(value):
                    raise ValueError("a cursor position carries its time zone")
                value = value.astimezone(datetime.UTC)  # OverflowError past year 1 or 9999
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None


@dataclass
class PeekPage:
    """One page of a list without its total: only whether another page follows."""

    entries: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def peek_page(rows, *, number: int, per_page: int) -> PeekPage:
    """Page `number` (from 1) of `rows` (a queryset or anything sliceable) in one read of
    per_page + 1 rows: the row past the page says whether another follows. For lists where
    a COUNT over every match costs more than the page (search, the experts' claimants)."""
    start = (number - 1) * per_page
    taken = list(rows[start:start + per_page + 1])
    return PeekPage(entries=taken[:per_page], number=number, has_next=len(taken) > per_page)
