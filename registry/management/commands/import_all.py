"""`manage.py import_all FILE`: load a backup written by export_all (registry.backup)."""

from django.core.management.base import BaseCommand, CommandError

from registry import backup


class Command(BaseCommand):
    help = "Load a file written by export_all into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file written by export_all.")
        parser.add_argument("--force", action="store_true",
                            help="Load even though the database already holds data; rows "
                                 "with the same id are overwritten.")

    def handle(self, *args, file, force, **options):
        try:
            counts = backup.import_all(file, force=force)
        except backup.TargetNotEmpty as error:
            raise CommandError(
                f"This database already holds registry data ({error}). Import into an empty, "
                "migrated database, or pass --force to load over it.") from None
        self.stdout.write(f"Loaded {sum(counts.values())} rows from {file}; search rebuilt.")
