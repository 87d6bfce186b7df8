"""The shipped catalogues (issue 18): complete, no fuzzy entry, placeholders kept, and the
committed .mo compiled from the committed .po. CI also runs `translations_check --extract`,
which finds strings in the code that the catalogue lacks (it needs GNU gettext)."""

import shutil

import polib
import pytest
from django.core.management import call_command

from registry.management.commands.translations_check import (
    PLACEHOLDER,
    catalogue_paths,
    catalogue_problems,
    translated_languages,
)


def test_catalogue_languages_are_the_settings_ones():
    assert translated_languages() == ["es"]


@pytest.mark.parametrize("language", translated_languages())
def test_catalogue_complete_and_compiled(language):
    po_path, _mo = catalogue_paths(language)

    assert catalogue_problems(language) == []
    assert len(polib.pofile(str(po_path)).translated_entries()) > 500


@pytest.fixture
def spanish_copy(tmp_path, settings):
    """The Spanish catalogue in a throwaway LOCALE_PATHS, to break on purpose."""
    po_path, mo_path = catalogue_paths("es")
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(po_path, target / "django.po")
    shutil.copy(mo_path, target / "django.mo")
    settings.LOCALE_PATHS = [tmp_path]
    return target / "django.po"


def test_catalogue_po_edited_without_compiling_refused(spanish_copy):
    catalogue = polib.pofile(str(spanish_copy))
    entry = catalogue.find("Topics")
    entry.msgstr = "Asuntos"
    catalogue.save()

    problems = catalogue_problems("es")

    assert len(problems) == 1
    assert problems[0].endswith("differs on 1 msgids, e.g. ['Topics']")

    call_command("compile_translations", verbosity=0)
    assert catalogue_problems("es") == []


def test_catalogue_empty_fuzzy_and_lost_placeholder_named(spanish_copy):
    catalogue = polib.pofile(str(spanish_copy))
    catalogue.find("Topics").msgstr = ""
    catalogue.find("Proposals").flags.append("fuzzy")
    with_placeholder = next(entry for entry in catalogue
                            if PLACEHOLDER.search(entry.msgid) and not entry.msgid_plural)
    with_placeholder.msgstr = "sin marcador"
    catalogue.save()
    call_command("compile_translations", verbosity=0)
    names = sorted(set(PLACEHOLDER.findall(with_placeholder.msgid)))

    problems = catalogue_problems("es")

    assert sorted(problems) == sorted([
        "django.po [es] msgid 'Topics': not translated",
        "django.po [es] msgid 'Proposals': fuzzy",
        f"django.po [es] msgid {with_placeholder.msgid!r}: placeholders [] but msgid has {names}",
    ])
