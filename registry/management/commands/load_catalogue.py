"""`manage.py load_catalogue`: the essay's clusters and topics from fixtures/, and their
translations from the catalogue.<lang>.json files beside it (idempotent)."""

from django.core.management.base import BaseCommand

from registry import services


class Command(BaseCommand):
    help = ("Create the catalogue's clusters and topics that are missing, and load their "
            "translations. Never overwrites edits.")

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(services.CATALOGUE_PATH))

    def handle(self, *args, path, **options):
        result = services.catalogue_load(path=path)
        for name in result.created:
            self.stdout.write(f"created {name}")
        for name in result.translations_updated:
            self.stdout.write(f"updated translation {name}")
        # Before the catalogue's line, which stays the last; said only when a load changed a
        # translation or kept a site edit over the file (a load with nothing to do prints
        # the catalogue's line alone, as before translations).
        if result.translations_added or result.translations_updated or \
                result.translations_edited:
            self.stdout.write(self.style.SUCCESS(
                f"translations: {len(result.translations_added)} added, "
                f"{len(result.translations_updated)} updated, "
                f"{len(result.translations_kept)} kept ({len(result.translations_edited)} of "
                "them edited on the site)"))
        self.stdout.write(self.style.SUCCESS(
            f"catalogue: {_count(result.created)} created, {_count(result.skipped)} already "
            "present (kept as they are)"))


def _count(names: list[str]) -> str:
    """'3 clusters and 25 topics' for names like 'cluster security' and 'topic …'."""
    clusters = sum(name.startswith("cluster ") for name in names)
    topics = len(names) - clusters
    return (f"{clusters} cluster{'s' if clusters != 1 else ''} and "
            f"{topics} topic{'s' if topics != 1 else ''}")
