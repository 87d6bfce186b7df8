"""Page forms. They validate shape; views hand cleaned data to the services."""

from itertools import groupby

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Q, When
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from proposals.models import Stage, WithdrawReason
from proposals.selectors import BOARD_COLUMNS, co_author_names
from registry.core import limits
from registry.core.textclean import ControlCharactersFormMixin
from registry.core.widgets import (
    GroupedCheckboxes,
    LookupFormMixin,
    PickedCheckboxes,
    PickerInput,
    SimilarTitleInput,
)
from registry.forms import language_field
from registry.models import Cluster, Topic, Writeup
from registry.selectors import local_text, people_named, writeups_visible_to
from registry.services.languages import active_language

# Supporting writeups offered without a search: those on the proposal's topic and related
# topics (and the chosen ones), the newest first, at most this many.
WRITEUPS_OFFERED = 50
WRITEUP_SEARCH_CHARS = 200


# The board's columns as people read them: the open stages, and the closed ones together.
COLUMN_LABELS = {**{stage.value: stage.label for stage in Stage},
                 "closed": pgettext_lazy("board column", "closed")}


def listed_topics():
    return Topic.objects.filter(state=Topic.State.LISTED, hidden=False).select_related("cluster")


def supporting_writeup_choices(user):
    """The writeups a proposal of `user`'s may build on: published ones they may see (not
    their drafts, and no hidden one for others)."""
    return writeups_visible_to(user or AnonymousUser()).filter(published_at__isnull=False)


class TopicsByCluster(forms.models.ModelChoiceIterator):
    """A topic field's choices grouped by cluster, (cluster name, [(slug, title), …]), in
    the catalogue's order, each cluster's topics by their title in the reader's language:
    one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield "", self.field.empty_label
        topics = self.queryset.order_by("cluster__position", "cluster__name",
                                        local_text("title").asc(), "pk")
        for cluster, group in groupby(topics, key=lambda topic: topic.cluster):
            yield cluster.local_name, [self.choice(topic) for topic in group]


class TopicsByClusterField(forms.ModelMultipleChoiceField):
    iterator = TopicsByCluster

    def label_from_instance(self, obj):
        return obj.local_title


class TopicByClusterField(forms.ModelChoiceField):
    """One topic from a list grouped by cluster (optgroups)."""

    iterator = TopicsByCluster

    def label_from_instance(self, obj):
        return obj.local_title


class ClusterField(forms.ModelChoiceField):
    """A cluster by its name in the active language."""

    def label_from_instance(self, obj):
        return obj.local_name


def _limit(field: str) -> int:
    return limits.max_length("proposal", field)


def person_called(typed: str):
    """The active person whose username is `typed` (an @ in front allowed), else the one
    person whose shown display name it is (people_named), else None. Several people of that
    name: a ValidationError that lists them, to choose by username."""
    username = typed.strip().lstrip("@")
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is not None:
        return person
    named = list(people_named(typed.strip(), exact=True)[:6])
    if len(named) > 1:
        raise forms.ValidationError(
            _("Several people are called “%(typed)s”: %(people)s. Type the username of the one "
              "you mean."), params={"typed": typed.strip(), "people": "; ".join(
                person.username + (f" ({person.profile.affiliation})"
                                   if person.profile.affiliation else "")
                for person in named)})
    return named[0] if named else None


class ProposalForm(LookupFormMixin, ControlCharactersFormMixin, forms.Form):
    """Lengths from registry.core.limits; the services check them, and the number of steps,
    co-authors, related topics and supporting writeups, again."""

    title = forms.CharField(label=_("Title"), max_length=_limit("title"))
    language = language_field()
    topic = TopicByClusterField(queryset=listed_topics(), to_field_name="slug",
                                label=_("Topic"), empty_label=_("Choose a topic"),
                                help_text=_("The topic this proposal mainly addresses."))
    related_topics = TopicsByClusterField(
        queryset=listed_topics(), to_field_name="slug", required=False,
        widget=GroupedCheckboxes, label=_("Related topics"),
        help_text=format_lazy(_("Optional: tick up to {count} other topics it bears on."),
                              count=limits.max_items("proposal", "related_topics")))
    co_authors = forms.CharField(
        label=_("Co-authors"), required=False, max_length=limits.max_items("proposal", "co_authors")
        * (max(limits.max_length("account", "username"),
               limits.max_length("profile", "display_name")) + 2),
        widget=PickerInput("discovery:pick-people", mode="append"),
        help_text=_("Names or usernames, separated by commas: type part of a name and choose "
                    "from the suggestions. Each person named gets an invitation and "
                    "becomes a co-author only when they accept it; removing a name withdraws "
                    "their invitation or removes them. Only the author can change these."))
    analysis = forms.CharField(label=_("Analysis"), required=False,
                               max_length=_limit("analysis"),
                               widget=forms.Textarea(attrs={"rows": 10}),
                               help_text=_("Markdown. What the problem is and why it matters."))
    ask = forms.CharField(label=_("Concrete ask"), required=False, max_length=_limit("ask"),
                          widget=forms.Textarea(attrs={"rows": 2}),
                          help_text=_("One or two sentences: what exactly should happen."))
    target = forms.CharField(
        label=_("Target"), required=False, max_length=_limit("target"),
        help_text=_("Who is being asked: a lab, an agency, a standards body…"))
    # Each line a step; a browser sends two characters for each line break.
    steps = forms.CharField(
        label=_("Steps"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.max_items("proposal", "steps") * (_limit("step") + 2),
        help_text=format_lazy(_("One step per line, in order, at most {count} of up to {limit} "
                                "characters. Reorder by moving lines."),
                              count=limits.max_items("proposal", "steps"),
                              limit=_limit("step")))
    cost_range = forms.CharField(label=_("Expected cost range"), required=False,
                                 max_length=_limit("cost_range"))
    time_horizon = forms.CharField(label=_("Time horizon"), required=False,
                                   max_length=_limit("time_horizon"))
    supporting_writeups = forms.ModelMultipleChoiceField(
        queryset=Writeup.objects.none(),  # the viewer's choices: set in __init__
        required=False, label=_("Supporting writeups"),
        widget=PickedCheckboxes("discovery:pick-writeups", search_name="writeup_q",
                                search_label=_("Search for another writeup")),
        help_text=_("Optional: published writeups this proposal builds on. Those on its "
                    "topic and related topics are listed; find others by title."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, can_change_co_authors=True, live_similar=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        # A proposal being edited has its stored language in `initial` (blank: unknown); the
        # form starts from it, or from the reader's language.
        self.stored_language = self.initial.get("language")
        self.initial["language"] = self.stored_language or active_language()
        # Only writeups this person may see: hidden ones are no choice for others.
        choices = supporting_writeup_choices(user)
        self.fields["supporting_writeups"].queryset = choices
        self.fields["supporting_writeups"].widget.choices = self._writeups_offered(choices)
        if live_similar:
            self.fields["title"].widget = SimilarTitleInput(
                kind="proposal", attrs=self.fields["title"].widget.attrs)
        if not can_change_co_authors:
            del self.fields["co_authors"]

    def _value(self, name, *, many=False):
        """A field's value as typed (bound) or as given (initial), before any cleaning."""
        if self.is_bound:
            value = self.fields[name].widget.value_from_datadict(self.data, self.files,
                                                                 self.add_prefix(name))
        else:
            value = self.initial.get(name)
        return value if value is not None else ([] if many else None)

    def _writeups_offered(self, choices):
        """The supporting writeups to list as checkboxes: the chosen ones, those on the
        topic and related topics, and (without JavaScript, after "Find") those whose title
        holds the search typed (writeup_q, sent or in `initial`). One query."""
        topics = [t.slug if isinstance(t, Topic) else t
                  for t in [self._value("topic"), *self._value("related_topics", many=True)] if t]
        chosen = [w.pk if isinstance(w, Writeup) else w
                  for w in self._value("supporting_writeups", many=True)]
        search = (self.data.get("writeup_q") if self.is_bound
                  else self.initial.get("writeup_q")) or ""
        search = search.strip()[:WRITEUP_SEARCH_CHARS]
        self.fields["supporting_writeups"].widget.search = search
        chosen = [pk for pk in chosen if str(pk).isdigit() and len(str(pk)) < 19]  # an id
        wanted = Q(topic__slug__in=topics) | Q(pk__in=chosen)
        if search:
            wanted |= Q(title__icontains=search)
        newest_first = ("-published_at", "-pk")
        # Only with something chosen: a CASE with no WHEN left compiles to a bare constant,
        # which PostgreSQL reads as "ORDER BY the first column" (the id, oldest first).
        ordering = ((Case(When(pk__in=chosen, then=0), default=1), *newest_first) if chosen
                    else newest_first)
        offered = choices.filter(wanted).order_by(*ordering)[:WRITEUPS_OFFERED]
        return [(writeup.pk, f"{writeup.title} ({writeup.topic.local_title})")
                for writeup in offered]

    def clean_language(self):
        """The language chosen. Not sent: the stored one, unchanged (edit), or the reader's
        (create)."""
        if self.cleaned_data["language"]:
            return self.cleaned_data["language"]
        return self.stored_language if self.stored_language is not None else active_language()

    def clean_steps(self):
        """One step a line, blank lines dropped; the service checks their number and length."""
        steps = [line.strip() for line in self.cleaned_data["steps"].splitlines()]
        return [step for step in steps if step]

    def clean_co_authors(self):
        """Each name, a username or a display name (person_called), is one person; an error
        names those that are nobody (or lists the people a name is ambiguous between)."""
        names = [n.strip() for n in self.cleaned_data["co_authors"].split(",")]
        most = limits.max_items("proposal", "co_authors")
        if len([n for n in names if n]) > most:  # before a query for each
            raise forms.ValidationError(
                ngettext("Name at most %(most)d co-author.", "Name at most %(most)d co-authors.",
                         most), params={"most": most})
        people, unknown = [], []
        for name in dict.fromkeys(n for n in names if n):
            person = person_called(name)
            if person is None:
                unknown.append(name.lstrip("@"))
            elif person not in people:
                people.append(person)
        if unknown:
            raise forms.ValidationError(_("No such people: %(names)s."),
                                        params={"names": ", ".join(sorted(unknown))})
        return people

    @staticmethod
    def initial_for(proposal, *, with_co_authors: bool = True) -> dict:
        """The form's starting values. Its co_authors (for those who may change them) are the
        co-authors and the pending invitees: saving the form unchanged keeps both."""
        return {
            "title": proposal.title, "language": proposal.language,
            "topic": proposal.topic.slug,
            "related_topics": [t.slug for t in proposal.related_topics.all()],
            "co_authors": ", ".join(co_author_names(proposal)) if with_co_authors else "",
            "analysis": proposal.analysis, "ask": proposal.ask, "target": proposal.target,
            "steps": "\n".join(proposal.steps), "cost_range": proposal.cost_range,
            "time_horizon": proposal.time_horizon, "version": proposal.version,
            "supporting_writeups": list(proposal.supporting_writeups.all()),
        }


class BoardFilterForm(forms.Form):
    cluster = ClusterField(queryset=Cluster.objects.all(), to_field_name="slug",
                           required=False, label=_("Cluster"), empty_label=_("All clusters"))
    # A title typed (with suggestions as you type), or a slug carried by a link ("Proposals
    # on this topic"), not a select: a list of every topic would be thousands of options on
    # every board page.
    topic = forms.CharField(
        label=_("Topic"), required=False,
        max_length=limits.max_length("topic_suggestion", "title"),
        widget=PickerInput("discovery:pick-topics",
                           attrs={"placeholder": _("e.g. Detecting datacenters")}),
        help_text=_("Its title: type part of it and choose from the suggestions."))
    target = forms.CharField(label=_("Target"), required=False, max_length=_limit("target"),
                             help_text=_("Part of the target's name."))
    closed = forms.BooleanField(required=False, label=_("Show adopted and withdrawn proposals"))
    # Empty: the board's columns, each with its most recently moved cards. A stage (or
    # "closed"): every proposal of that column, a page at a time.
    stage = forms.ChoiceField(required=False, label=_("Stage"), choices=[
        ("", _("All, in columns")), *((column, capfirst(COLUMN_LABELS[column]))
                                      for column in BOARD_COLUMNS)])

    def clean_topic(self):
        """The listed topic whose slug or title (case-blind; English or in the reader's
        language) is what was typed, or None."""
        typed = self.cleaned_data["topic"].strip()
        if not typed:
            return None
        found = list(listed_topics().annotate(local_title_match=local_text("title"))
                     .filter(Q(slug=typed) | Q(title__iexact=typed)
                             | Q(local_title_match__iexact=typed))
                     .order_by("slug")[:6])
        by_slug = [topic for topic in found if topic.slug == typed]
        if by_slug or len(found) == 1:
            return (by_slug or found)[0]
        if not found:
            raise forms.ValidationError(_("No listed topic is called “%(value)s”."),
                                        params={"value": typed})
        raise forms.ValidationError(
            _("Several topics are called “%(value)s”; type the short name of the one you mean: "
              "%(slugs)s."), params={"value": typed, "slugs": ", ".join(t.slug for t in found)})


class MoveForm(ControlCharactersFormMixin, forms.Form):
    """The target stage comes from the URL; each button's form has the stage as prefix."""

    note = forms.CharField(label=_("Note"), required=False, max_length=_limit("note"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.ChoiceField(label=_("Reason"),
                               choices=[("", _("Choose a reason"))] + WithdrawReason.choices,
                               required=False)


class InviteOwnerForm(ControlCharactersFormMixin, forms.Form):
    # `username` names the field for the page's view and the API alike; a person may type
    # the name others see instead (or choose it from the suggestions).
    username = forms.CharField(
        max_length=max(limits.max_length("account", "username"),
                       limits.max_length("profile", "display_name")),
        label=_("Person to invite"), widget=PickerInput("discovery:pick-people"),
        help_text=_("Their name as on their profile (e.g. Nia Silva) or their username."))

    def clean_username(self):
        """The person called what was typed (person_called), or an error naming it."""
        typed = self.cleaned_data["username"].strip()
        person = person_called(typed)
        if person is None:
            raise forms.ValidationError(
                _("Nobody is called “%(typed)s”. Type their name as it is on their profile, or "
                  "their username."), params={"typed": typed})
        return person


class AnswerForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=_limit("note"))
