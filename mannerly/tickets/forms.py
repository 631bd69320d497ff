"""Forms of the agent desk and the customer portal: they validate input, actions change state."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mannerly.accounts.models import Team, User
from mannerly.tickets.models import LANGUAGES, Ticket
from mannerly.tickets.queries import DEFAULT_SORT, DEFAULT_VIEW, INBOX_VIEWS, SORTS

MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked against the upload size limit."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}
            )
        limit = getattr(settings, "MANNERLY_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(mb)d MB.")
                    % {"name": upload.name, "mb": limit // (1024 * 1024)}
                )
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def read_uploads(files) -> list[tuple[str, str, bytes]]:
    """Uploaded files as the actions take them: (name, content type, bytes)."""
    return [(f.name, f.content_type or "application/octet-stream", f.read()) for f in files or []]


def _agent_choices() -> list[tuple[str, str]]:
    from mannerly.tickets.queries import assignable_agents

    return [(str(u.pk), u.name) for u in assignable_agents()]


class InboxFilterForm(forms.Form):
    """The inbox's query string; anything invalid falls back to the default instead of failing."""

    view = forms.ChoiceField(choices=[(k, v[0]) for k, v in INBOX_VIEWS.items()], required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Ticket.Status.choices], required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Ticket.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=64)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Any channel")), *Ticket.Channel.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *LANGUAGES], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"), choices=[(k, v[0]) for k, v in SORTS.items()], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    FILTERS = ("status", "priority", "assignee", "team", "tag", "channel", "language")

    def __init__(self, *args, agents=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        agents = agents if agents is not None else _agent_choices()
        teams = teams if teams is not None else [(str(t.pk), t.name) for t in Team.objects.all()]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("none", _("Nobody (unassigned)")),
            *agents,
        ]
        self.fields["team"].choices = [("", _("Any team")), *teams]

    def value(self, name: str, default=None):
        if self.is_valid():
            return self.cleaned_data.get(name) or default
        # Keep whatever parts of the query are valid.
        field = self.fields[name]
        try:
            return field.clean(self.data.get(name)) or default
        except forms.ValidationError:
            return default

    def inbox_query(self, per_page: int = 25):
        from mannerly.tickets.queries import InboxQuery

        return InboxQuery(
            view=self.value("view", DEFAULT_VIEW),
            sort=self.value("sort", DEFAULT_SORT),
            q=self.value("q", ""),
            filters={name: self.value(name) for name in self.FILTERS if self.value(name)},
            page=self.value("page", 1),
            per_page=per_page,
        )


class ReplyForm(forms.Form):
    REPLY_STATUSES = [
        (Ticket.Status.PENDING, _("Pending (waiting on the customer)")),
        (Ticket.Status.OPEN, _("Open")),
        (Ticket.Status.SOLVED, _("Solved")),
    ]
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 8}))
    status = forms.ChoiceField(
        label=_("Submit as"), choices=REPLY_STATUSES, initial=Ticket.Status.PENDING
    )
    attachments = MultipleFileField(label=_("Attach files"))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    handover_note = forms.CharField(
        label=_("Handover note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the ticket passes from one agent to another."),
    )

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        agents = agents if agents is not None else _agent_choices()
        self.fields["assignee"].choices = [("", _("Nobody")), *agents]

    def clean_assignee(self) -> User | None:
        from mannerly.tickets.queries import assignable_agents

        value = self.cleaned_data["assignee"]
        if not value:
            return None
        agent = assignable_agents().filter(pk=value).first()
        if agent is None:
            raise forms.ValidationError(_("Choose an agent from the list."))
        return agent


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)


class PropertiesForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, coerce=int
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams if teams is not None else [(str(t.pk), t.name) for t in Team.objects.all()]
        self.fields["team"].choices = [("", _("No team")), *teams]

    def clean_team(self) -> Team | None:
        value = self.cleaned_data["team"]
        return Team.objects.filter(pk=value).first() if value else None

    def clean_tags(self) -> list[str]:
        names = [n.strip().lower() for n in self.cleaned_data["tags"].split(",")]
        names = sorted({n for n in names if n})
        if any(len(n) > 64 for n in names):
            raise forms.ValidationError(_("A tag can be at most 64 characters long."))
        return names


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into ticket number"),
        min_value=1,
        help_text=_("This ticket's messages move there and this ticket is closed."),
    )


class SplitForm(forms.Form):
    subject = forms.CharField(label=_("Subject of the new ticket"), max_length=500, required=False)


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign")),
        ("solve", _("Solve")),
        ("close", _("Close")),
    ]
    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=[], label=_("Tickets"))
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    handover_note = forms.CharField(
        label=_("Handover note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        agents = agents if agents is not None else _agent_choices()
        self.fields["assignee"].choices = [("", _("Nobody")), *agents]
        # Ticket ids are checked against what the user may see in the view, not here.
        self.fields["tickets"].valid_value = lambda value: str(value).isdigit()

    def clean_assignee(self) -> User | None:
        return AssignForm.clean_assignee(self)


class NewRequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=500)
    body = forms.CharField(
        label=_("How can we help?"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )
    attachments = MultipleFileField(label=_("Attach files"))


class PortalReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50_000
    )
    attachments = MultipleFileField(label=_("Attach files"))
