"""`manage.py rebuild_search_index`: refill the search table from the content."""

from django.core.management.base import BaseCommand

from registry.discovery.search import search_index_rebuild


class Command(BaseCommand):
    help = ("Empty the search table and fill it again from every public topic, writeup and "
            "proposal (run after a bulk import, or if the table was edited by hand).")

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
