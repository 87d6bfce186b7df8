"""The site version on PostgreSQL: a sequence that concurrent writers move without waiting for
each other, and that moves again once a write commits, so nothing rendered from before the
commit is served after it (registry.services.site_version)."""

import threading

from django.db import connections, transaction

from registry.selectors import site_version
from registry.services.site_version import site_version_bump
from tests.test_concurrency import POSTGRES_RACES

pytestmark = POSTGRES_RACES


def _in_thread(work):
    """Run work() on its own database connection; returns (thread, results list)."""
    results = []

    def run():
        try:
            results.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_site_version_bump_never_waits_for_another_open_writer():
    holding, release = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            site_version_bump()
            holding.set()
            release.wait(timeout=30)
        return "committed"

    first, _ = _in_thread(slow_writer)
    assert holding.wait(timeout=30)

    def quick_writer():
        with transaction.atomic():
            site_version_bump()
        return "committed"

    second, second_result = _in_thread(quick_writer)
    # The row UPDATE this replaced queued the second writer until the first committed.
    second.join(timeout=10)
    finished_while_first_open = second_result == ["committed"]
    release.set()
    first.join(timeout=30)
    assert finished_while_first_open


def test_site_version_after_commit_differs_from_every_number_read_during_the_write():
    before = int(site_version())
    during, commit = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            site_version_bump()
            during.set()
            commit.wait(timeout=30)
        return int(site_version())

    thread, after = _in_thread(writer)
    assert during.wait(timeout=30)
    # A reader during the write (it renders the data from before the write).
    read_during = int(site_version())
    commit.set()
    thread.join(timeout=30)
    assert (read_during > before, after[0] > read_during, int(site_version()) == after[0]) == (
        True, True, True)


def test_site_version_bumps_once_after_commit_however_often_moved_inside():
    def writer():
        with transaction.atomic():
            start = int(site_version())
            for _ in range(3):
                site_version_bump()
            inside = int(site_version())
        return start, inside, int(site_version())

    thread, result = _in_thread(writer)
    thread.join(timeout=30)
    start, inside, after = result[0]
    assert (inside - start, after - inside) == (3, 1)


def test_site_version_rolled_back_write_queues_no_bump_for_the_next():
    def writers():
        try:
            with transaction.atomic():
                site_version_bump()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        with transaction.atomic():
            start = int(site_version())
            site_version_bump()
            inside = int(site_version())
        return start, inside, int(site_version())

    thread, result = _in_thread(writers)
    thread.join(timeout=30)
    start, inside, after = result[0]
    assert (inside - start, after - inside) == (1, 1)
