"""Form widgets that search as you type (issue 16, items 2 and 3).

Each is a plain form field first: typed and submitted, it works without JavaScript, and the
form's own clean() decides what the text means. With JavaScript, htmx asks a small fragment
endpoint (registry.discovery.pickers) as the person types, and registry/picker.js makes its
answer a keyboard-friendly listbox. Nothing here queries the database: the endpoints do.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext

# htmx (vendored, see registry/static/vendor/htmx/README.txt) and the small script that
# turns its answers into listboxes. `defer` keeps them in order, after the page is parsed.
PICKER_MEDIA = forms.Media(
    js=[forms.Script("vendor/htmx/htmx.min.js", defer=True),
        forms.Script("registry/picker.js", defer=True)],
)


def _live(url: str, target: str) -> dict:
    """htmx attributes that GET `url` with ?q=<this field's text> (picker.js names it q)
    400 ms after typing stops, and put the answer into #`target`."""
    return {"hx-get": url, "hx-trigger": "input changed delay:400ms, search",
            "hx-target": f"#{target}", "hx-swap": "innerHTML", "hx-params": "none",
            "hx-sync": "this:replace", "data-pick-query": ""}


def _combobox(url: str, options: str, mode: str) -> dict:
    """_live, plus what makes the field a combobox over the listbox in #`options`."""
    return {**_live(url, options), "autocomplete": "off", "role": "combobox",
            "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": options,
            "data-picker": mode}


class LiveMedia:
    """A widget of this module: the page loads htmx and picker.js for it ({{ form.media }})."""

    @property
    def media(self):
        return PICKER_MEDIA


class PickerInput(LiveMedia, forms.TextInput):
    """A text field with suggestions: choosing one (arrow keys and Enter, or a click) fills
    the field with the suggestion's value; typing the whole value works as well. With
    mode="append" the field is a comma-separated list: the suggestions are for the part after
    the last comma, and choosing one replaces that part."""

    template_name = "registry/pickers/input.html"

    def __init__(self, url_name: str, *, mode: str = "fill", attrs=None):
        self.url_name, self.mode = url_name, mode
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = f"{context['widget']['attrs']['id']}-options"
        context["widget"]["options_id"] = options
        context["widget"]["attrs"].update(_combobox(reverse(self.url_name), options, self.mode))
        return context


class SimilarTitleInput(LiveMedia, forms.TextInput):
    """A title field that shows the similar existing topics or proposals (`kind`) in a live
    region beside it while the person types (registry/discovery/_similar.html)."""

    def __init__(self, *, kind: str, attrs=None):
        self.kind = kind
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = f"{reverse('discovery:pick-similar')}?kind={self.kind}"
        context["widget"]["attrs"].update(_live(url, f"similar-{self.kind}"))
        return context


class GroupedCheckboxes(LiveMedia, forms.CheckboxSelectMultiple):
    """Checkboxes in groups (choices given as (group, [(value, label), …])), each group a
    fieldset, inside a scrolling box; with JavaScript a filter box above narrows them."""

    template_name = "registry/pickers/grouped_checkboxes.html"


class PickedCheckboxes(LiveMedia, forms.CheckboxSelectMultiple):
    """The chosen items as checkboxes, and a search box below (named `search_name`) whose
    suggestions (from `url_name`) add a ticked checkbox to the list. Without JavaScript the
    box is sent with the form and its "Find" button (name="lookup") shows the form again,
    with what was typed, and the matches as more checkboxes (`search`: what was typed)."""

    template_name = "registry/pickers/picked_checkboxes.html"
    search = ""

    def __init__(self, url_name: str, *, search_name: str, search_label: str, attrs=None):
        self.url_name, self.search_name, self.search_label = url_name, search_name, search_label
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = context["widget"]["attrs"]["id"]
        options = f"{list_id}-q-options"
        search_attrs = _combobox(reverse(self.url_name), options, "add")
        search_attrs.update({"data-pick-into": list_id, "data-pick-name": name,
                             # picker.js says it when a writeup is ticked (%(label)s: its title).
                             "data-pick-added": gettext("Added “%(label)s” to the list above.")})
        context["widget"].update({
            "search_id": f"{list_id}-q", "search_name": self.search_name,
            "options_id": options, "search_label": self.search_label, "search": self.search,
            "search_attrs": search_attrs})
        return context


class LookupFormMixin:
    """For a form with a "Check for similar" or "Find" button (name="lookup", formnovalidate):
    pressed, the form is shown again with what was typed and the widgets' answers (similar
    items, found writeups), with no verdict: no errors, and is_valid() is False, so no view
    saves it. Without JavaScript this is how a lookup keeps everything typed."""

    @property
    def looking_up(self) -> bool:
        return self.is_bound and bool(self.data.get("lookup"))

    def full_clean(self):
        if self.looking_up:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.looking_up and super().is_valid()
