"""
The baseline: TechEmpower's "fortunes" inside the project.

A table of twelve rows read with one query, one row added, sorted, rendered
through a template: what the stack (gunicorn, Django, psycopg, PostgreSQL)
costs for the smallest honest page.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TABLE = "bench_fortune"
MESSAGES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]


def create_table() -> None:
    """Create and fill the baseline's table (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, message text)"
        )
        cursor.execute(f"DELETE FROM {TABLE}")
        for i, message in enumerate(MESSAGES, start=1):
            cursor.execute(f"INSERT INTO {TABLE} VALUES (%s, %s)", [i, message])


def fortunes(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, message FROM {TABLE}")
        rows = cursor.fetchall()
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return render(request, "bench/fortunes.html", {"fortunes": rows})
