"""`manage.py translations_check`: the shipped catalogues are complete and compiled.

Checks every language of settings.LANGUAGES but English, in LOCALE_PATHS:
- its django.po has no empty msgstr and no fuzzy entry, and each msgstr keeps its msgid's
  %(name)s placeholders (a missing one is a KeyError on the page);
- its committed django.mo holds exactly the .po's translations (`compile_translations` makes it);
- with --extract, makemessages (GNU gettext) finds no string in the code that the .po lacks.
  The .po is put back as it was afterwards.
Exits non-zero naming each problem. CI runs it with --extract (.ci/run); the test suite runs
the same checks without extraction (tests/i18n/test_catalogue_files.py), in pure Python.
"""

import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Not Gapmap's own strings: the test suite, the benchmark, what the browser tests leave.
EXTRACT_IGNORE = ["tests/*", "bench/*", "test-artifacts/*", "staticfiles/*", "node_modules/*"]


def catalogue_paths(language: str) -> tuple[Path, Path]:
    base = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES"
    return base / "django.po", base / "django.mo"


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_problems(language: str) -> list[str]:
    """What is wrong with the committed catalogue of `language` (empty: nothing)."""
    import polib

    po_path, mo_path = catalogue_paths(language)
    if not po_path.exists():
        return [f"{po_path}: missing"]
    po = polib.pofile(str(po_path))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{po_path.name} [{language}] msgid {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not translations or any(not text for text in translations):
            problems.append(f"{where}: not translated")
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        for text in translations:
            if (found := set(PLACEHOLDER.findall(text))) - expected or (
                    not entry.msgid_plural and expected - found):
                problems.append(f"{where}: placeholders {sorted(found)} but msgid has "
                                f"{sorted(expected)}")
    if not mo_path.exists():
        return [*problems, f"{mo_path}: missing (run `make messages`)"]
    compiled = _translations(entry for entry in polib.mofile(str(mo_path)) if entry.msgid)
    source = _translations(entry for entry in po.translated_entries() if not entry.obsolete)
    if compiled != source:
        stale = sorted(str(key[1]) for key in set(source) ^ set(compiled)
                       | {key for key in source.keys() & compiled.keys()
                          if source[key] != compiled[key]})
        problems.append(f"{mo_path}: does not match {po_path.name} (run `make messages`); "
                        f"differs on {len(stale)} msgids, e.g. {stale[:3]}")
    return problems


def _translations(entries) -> dict:
    """{(msgctxt, msgid): (msgstr, {plural form: msgstr})}, alike for a .po's and a .mo's
    entries (a .mo's plural forms come back keyed by strings)."""
    return {(entry.msgctxt, entry.msgid): (
        entry.msgstr, {int(form): text for form, text in entry.msgstr_plural.items()})
        for entry in entries}


def unextracted(language: str) -> list[str]:
    """Msgids makemessages finds in the code that the committed .po does not translate."""
    import polib

    po_path, _mo = catalogue_paths(language)
    committed = polib.pofile(str(po_path))
    have = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
    with tempfile.TemporaryDirectory() as backup:
        saved = Path(backup) / "django.po"
        shutil.copyfile(po_path, saved)
        try:
            call_command("makemessages", locale=[language], ignore_patterns=EXTRACT_IGNORE,
                         no_obsolete=True, add_location="file", verbosity=0)
            extracted = polib.pofile(str(po_path))
        finally:
            shutil.copyfile(saved, po_path)
    return [f"{po_path.name} [{language}]: not in the catalogue: {e.msgid!r}"
            for e in extracted if (e.msgctxt, e.msgid) not in have]


class Command(BaseCommand):
    help = "Check that every shipped catalogue is complete, compiled, and covers the code."

    def add_arguments(self, parser):
        parser.add_argument("--extract", action="store_true",
                            help="Also run makemessages (needs GNU gettext) to find new strings.")

    def handle(self, *args, extract, **options):
        problems = []
        for language in translated_languages():
            problems += catalogue_problems(language)
            if extract:
                problems += unextracted(language)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s)")
        self.stdout.write(self.style.SUCCESS(
            f"translations: {', '.join(translated_languages())} complete and compiled"))
