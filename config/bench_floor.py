"""The benchmark's floor: TechEmpower's "fortunes" test done the Django way.

One raw query for the 12 rows of `bench_fortune`, one more fortune added in memory, sorted by
message, rendered with a Django template (which escapes the messages). Served only when
GAPMAP_BENCH_FLOOR=1 (see config/urls.py), by the same gunicorn process and database as the
pages it is compared with, so every figure in bench/results can be read as a ratio to what
Django itself costs here. bench/run.py creates and fills the table.
"""

from django.db import connection
from django.shortcuts import render

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)
"""
# TechEmpower's twelve rows, with the markup and non-ASCII the test uses to check escaping.
FORTUNES = [
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. — Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, "フレームワークのベンチマーク"),
]


def fortunes(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, message FROM bench_fortune")
        rows = cursor.fetchall()
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return render(request, "bench/fortunes.html", {"fortunes": rows})
