"""`manage.py load_catalogue`: the essay's clusters and topics from fixtures/ (idempotent)."""

from django.core.management.base import BaseCommand

from registry import services


class Command(BaseCommand):
    help = "Create the catalogue's clusters and topics that are missing. Never overwrites edits."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(services.CATALOGUE_PATH))

    def handle(self, *args, path, **options):
        result = services.catalogue_load(path=path)
        for name in result.created:
            self.stdout.write(f"created {name}")
        self.stdout.write(self.style.SUCCESS(
            f"catalogue: {len(result.created)} created, {len(result.skipped)} already present "
            "(kept as they are)"
        ))
