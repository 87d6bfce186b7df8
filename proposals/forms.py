"""Page forms. They validate shape; views hand cleaned data to the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from proposals.models import WithdrawReason
from proposals.selectors import BOARD_COLUMNS, co_author_names
from registry.core import limits
from registry.core.textclean import ControlCharactersFormMixin
from registry.models import Cluster, Topic, Writeup
from registry.selectors import writeups_visible_to


def listed_topics():
    return Topic.objects.filter(state=Topic.State.LISTED, hidden=False).select_related("cluster")


def _limit(field: str) -> int:
    return limits.max_length("proposal", field)


class ProposalForm(ControlCharactersFormMixin, forms.Form):
    """Lengths from registry.core.limits; the services check them, and the number of steps,
    co-authors, related topics and supporting writeups, again."""

    title = forms.CharField(max_length=_limit("title"))
    topic = forms.ModelChoiceField(queryset=listed_topics(), to_field_name="slug",
                                   help_text="The topic this proposal mainly addresses.")
    related_topics = forms.ModelMultipleChoiceField(
        queryset=listed_topics(), to_field_name="slug", required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Optional. Hold Ctrl (⌘ on a Mac) to choose several.")
    co_authors = forms.CharField(
        label="Co-authors", required=False, max_length=limits.max_items("proposal", "co_authors")
        * (limits.max_length("account", "username") + 2),
        help_text="Usernames, separated by commas. Each person named gets an invitation and "
                  "becomes a co-author only when they accept it; removing a name withdraws "
                  "their invitation or removes them. Only the author can change these.")
    analysis = forms.CharField(required=False, max_length=_limit("analysis"),
                               widget=forms.Textarea(attrs={"rows": 10}),
                               help_text="Markdown. What the problem is and why it matters.")
    ask = forms.CharField(label="Concrete ask", required=False, max_length=_limit("ask"),
                          widget=forms.Textarea(attrs={"rows": 2}),
                          help_text="One or two sentences: what exactly should happen.")
    target = forms.CharField(required=False, max_length=_limit("target"),
                             help_text="Who is being asked: a lab, an agency, a standards body…")
    # Each line a step; a browser sends two characters for each line break.
    steps = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.max_items("proposal", "steps") * (_limit("step") + 2),
        help_text=f"One step per line, in order, at most {limits.max_items('proposal', 'steps')}"
                  f" of up to {_limit('step')} characters. Reorder by moving lines.")
    cost_range = forms.CharField(label="Expected cost range", required=False,
                                 max_length=_limit("cost_range"))
    time_horizon = forms.CharField(required=False, max_length=_limit("time_horizon"))
    supporting_writeups = forms.ModelMultipleChoiceField(
        queryset=Writeup.objects.none(),  # the viewer's choices: set in __init__
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Optional: published writeups this proposal builds on.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, can_change_co_authors=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only writeups this person may see: hidden ones are no choice for others.
        self.fields["supporting_writeups"].queryset = writeups_visible_to(
            user or AnonymousUser()).filter(published_at__isnull=False)
        if not can_change_co_authors:
            del self.fields["co_authors"]

    def clean_steps(self):
        """One step a line, blank lines dropped; the service checks their number and length."""
        steps = [line.strip() for line in self.cleaned_data["steps"].splitlines()]
        return [step for step in steps if step]

    def clean_co_authors(self):
        names = [n.strip().lstrip("@") for n in self.cleaned_data["co_authors"].split(",")]
        names = [n for n in names if n]
        people = list(get_user_model().objects.filter(username__in=names, is_active=True))
        unknown = sorted(set(names) - {p.username for p in people})
        if unknown:
            raise forms.ValidationError("No such people: %(names)s.",
                                        params={"names": ", ".join(unknown)})
        return people

    @staticmethod
    def initial_for(proposal, *, with_co_authors: bool = True) -> dict:
        """The form's starting values. Its co_authors (for those who may change them) are the
        co-authors and the pending invitees: saving the form unchanged keeps both."""
        return {
            "title": proposal.title, "topic": proposal.topic.slug,
            "related_topics": [t.slug for t in proposal.related_topics.all()],
            "co_authors": ", ".join(co_author_names(proposal)) if with_co_authors else "",
            "analysis": proposal.analysis, "ask": proposal.ask, "target": proposal.target,
            "steps": "\n".join(proposal.steps), "cost_range": proposal.cost_range,
            "time_horizon": proposal.time_horizon, "version": proposal.version,
            "supporting_writeups": list(proposal.supporting_writeups.all()),
        }


class BoardFilterForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.all(), to_field_name="slug",
                                     required=False, empty_label="All clusters")
    # A slug typed or carried by a link ("Proposals on this topic"), not a select: a list of
    # every topic would be thousands of options on every board page.
    topic = forms.ModelChoiceField(
        queryset=listed_topics(), to_field_name="slug", required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. chip-export-controls"}),
        help_text="The topic's short name, as in its address /topics/<name>/.",
        error_messages={"invalid_choice": "No listed topic is called “%(value)s”."})
    target = forms.CharField(required=False, max_length=_limit("target"),
                             help_text="Part of the target's name.")
    closed = forms.BooleanField(required=False, label="Show adopted and withdrawn proposals")
    # Empty: the board's columns, each with its most recently moved cards. A stage (or
    # "closed"): every proposal of that column, a page at a time.
    stage = forms.ChoiceField(required=False, label="Stage", choices=[
        ("", "All, in columns"), *((stage, stage.capitalize()) for stage in BOARD_COLUMNS)])


class MoveForm(ControlCharactersFormMixin, forms.Form):
    """The target stage comes from the URL; each button's form has the stage as prefix."""

    note = forms.CharField(required=False, max_length=_limit("note"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.ChoiceField(choices=[("", "Choose a reason")] + WithdrawReason.choices,
                               required=False)


class InviteOwnerForm(ControlCharactersFormMixin, forms.Form):
    username = forms.CharField(max_length=limits.max_length("account", "username"),
                               label="Username of the person to invite")

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lstrip("@")
        person = get_user_model().objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError("There is no one with that username.")
        return person


class AnswerForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(required=False, max_length=_limit("note"))
