"""`manage.py export_all FILE`: the whole-site backup (registry.backup)."""

from django.core.management.base import BaseCommand

from registry import backup


class Command(BaseCommand):
    help = "Write the whole registry (people, topics, claims, writeups, proposals, ...) to a "
    help += "JSON file that import_all can load into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the JSON.")

    def handle(self, *args, file, **options):
        counts = backup.export_all(file)
        self.stdout.write(f"Wrote {sum(counts.values())} rows to {file}.")
