from django.db import connection
from django.test import RequestFactory

from config import bench_floor


def test_bench_floor_is_not_mounted_without_its_variable(client, db):
    assert client.get("/bench/fortunes/").status_code == 404


def test_bench_floor_renders_the_twelve_rows_and_one_more_sorted_and_escaped(db):
    with connection.cursor() as cursor:
        cursor.execute(bench_floor.CREATE_TABLE)
        cursor.executemany("INSERT INTO bench_fortune (id, message) VALUES (%s, %s)",
                           bench_floor.FORTUNES)
    html = bench_floor.fortunes(RequestFactory().get("/bench/fortunes/")).content.decode()
    assert html.count("<tr><td>") == 13
    assert html.index("<td>11</td>") < html.index("<td>4</td>")  # "<script>" sorts first
    assert "&lt;script&gt;alert(" in html
    assert "<script>" not in html
