"""The moderators' page for a topic's translation: /topics/<slug>/translate/ writes its title
and description in another of the site's languages (services.topic_translation_set), with the
English beside the form. Listed topics and suggestions alike."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language_info, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from registry import permissions
from registry.core.forms import form_status, submit
from registry.core.textclean import ControlCharactersFormMixin
from registry.models import Topic
from registry.services.foundation import (
    TRANSLATION_MAX_LENGTH,
    topic_translation_set,
    translation_languages,
)

# Names that go inside a sentence ("Translate this topic into Spanish"), where Spanish writes
# them in lower case (Django's own names are capitalised, as in a menu).
LANGUAGE_NAMES = {"es": pgettext_lazy("in a sentence", "Spanish")}


class TopicTranslationForm(ControlCharactersFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"),
                            max_length=TRANSLATION_MAX_LENGTH["title"])
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False,
        max_length=TRANSLATION_MAX_LENGTH["description"],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Leave it empty to show the English description."))

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # what is typed here is in `language`
            field.widget.attrs["lang"] = language


@login_required
def topic_translate(request, slug):
    """GET: the form, prefilled with the stored translation; POST: save it (moderators only;
    ?language= picks one of the site's other languages, the first by default)."""
    if not permissions.is_moderator(request.user):
        raise PermissionDenied
    topic = get_object_or_404(Topic.objects.select_related("cluster"), slug=slug)
    language = request.GET.get("language") or translation_languages()[0]
    stored = (topic.translations or {}).get(language, {})
    form = TopicTranslationForm(request.POST or None, language=language, initial={
        "title": stored.get("title", ""), "description": stored.get("description", "")})
    if request.method == "POST" and form.is_valid() and submit(
            form, lambda: topic_translation_set(topic=topic, language=language,
                                                actor=request.user, **form.cleaned_data),
            request=request, done=_("The translation is saved."))[0]:
        return redirect(topic)
    return render(request, "registry/topic_translate.html", {
        "topic": topic, "form": form, "language": language,
        "language_name": _language_name(language)}, status=form_status(form))


def _language_name(code: str) -> str:
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:  # not a language Django knows: the service refuses it by name
        return code
