"""`manage.py compile_translations`: every LOCALE_PATHS django.po to its django.mo, in pure
Python (polib), so no machine needs GNU gettext's msgfmt to build Gapmap's catalogues.

With --extract LANG …, first runs makemessages for those languages (this needs GNU gettext's
xgettext), so new strings in the code appear in the catalogues, untranslated, for a translator.
`make messages` runs both."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from registry.management.commands.translations_check import EXTRACT_IGNORE


class Command(BaseCommand):
    help = "Compile the .po catalogues in LOCALE_PATHS to .mo files (no gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--extract", nargs="+", default=[], metavar="LANG",
                            help="Run makemessages for these languages first (needs gettext).")

    def handle(self, *args, extract, **options):
        import polib

        if extract:
            call_command("makemessages", locale=extract, ignore_patterns=EXTRACT_IGNORE,
                         no_obsolete=True, add_location="file", verbosity=1)

        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path} ({len(catalogue.translated_entries())} "
                                  "translated)")
