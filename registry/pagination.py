from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Keyset pages, newest first, for lists that grow without bound (writeups).

    Page-number pagination counts every row and skips OFFSET rows, so deep pages and the count
    get slower as the list grows; a cursor seeks from the last row seen (the index on
    -created_at, -id) and costs the same on every page. Clients follow `next`/`previous`.
    """

    ordering = ("-created_at", "-id")
    page_size = 20
