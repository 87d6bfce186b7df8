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
            f"catalogue: {_count(result.created)} created, {_count(result.skipped)} already "
            "present (kept as they are)"))


def _count(names: list[str]) -> str:
    """'3 clusters and 25 topics' for names like 'cluster security' and 'topic …'."""
    clusters = sum(name.startswith("cluster ") for name in names)
    topics = len(names) - clusters
    return (f"{clusters} cluster{'s' if clusters != 1 else ''} and "
            f"{topics} topic{'s' if topics != 1 else ''}")
