"""The team rules page: supervisors of the team and admins change rules without code."""

from django.urls import reverse

from mannerly.accounts.models import Team
from mannerly.coaching.config import build_config
from mannerly.coaching.models import TeamEtiquette
from tests.coaching.conftest import signed_in


def url(team):
    return reverse("coaching:team_settings", args=[team.pk])


def test_a_supervisor_changes_severities_turns_rules_off_and_adds_words(as_sofia, team, sofia):
    response = as_sofia.post(
        url(team),
        {
            "rule_thanks": "error",
            "rule_filler_words": "off",
            "rule_spelling": "",
            "jargon": "flux capacitor\nSSO\n\nSSO",
            "internal_names": "Gizmo Console",
            "dictionary": "Mannerly Acme",
            "allowed_phrases": "API",
            "signature_template": "{agent}\n{team} team",
        },
    )
    assert response.status_code == 303
    row = TeamEtiquette.objects.get(team=team)
    assert row.severities == {"thanks": "error"}
    assert row.disabled_rules == ["filler-words"]
    assert row.jargon == "flux capacitor\nSSO"  # blank lines and repeats dropped
    assert row.updated_by == sofia
    config = build_config(row)
    assert config.severity("thanks", "warning") == "error"
    assert not config.enabled("filler-words")
    assert ("plain-language", "*", "SSO") in config.phrases
    assert ("internal-details.tools", "*", "Gizmo Console") in config.phrases
    assert config.accepts_word("acme") and "api" in config.ignored("en")
    # The page shows what was saved.
    html = as_sofia.get(url(team)).content.decode()
    assert '<option value="off" selected>' in html
    assert "flux capacitor\nSSO</textarea>" in html


def test_a_phrase_the_engine_cannot_read_is_refused_and_nothing_is_lost(as_sofia, team):
    response = as_sofia.post(url(team), {"jargon": "SSO\nheadless ; weight=heavy"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "cannot be read" in html and "headless ; weight=heavy" in html
    assert not TeamEtiquette.objects.filter(team=team).exists()


def test_an_unknown_severity_is_refused(as_sofia, team):
    response = as_sofia.post(url(team), {"rule_thanks": "fatal"})
    assert response.status_code == 422
    assert not TeamEtiquette.objects.filter(team=team).exists()


def test_a_supervisor_edits_only_teams_they_belong_to(sofia, team):
    billing = Team.objects.create(name="Billing")
    client = signed_in(sofia)
    assert client.get(url(billing)).status_code == 404
    assert client.post(url(billing), {"rule_thanks": "off"}).status_code == 404
    listing = client.get(reverse("coaching:settings")).content.decode()
    assert "Support" in listing and "Billing" not in listing


def test_an_admin_edits_every_team(admin_user, team):
    billing = Team.objects.create(name="Billing")
    client = signed_in(admin_user)
    assert client.get(url(billing)).status_code == 200
    listing = client.get(reverse("coaching:settings")).content.decode()
    assert "Support" in listing and "Billing" in listing


def test_agents_do_not_find_the_settings(as_oleh, team):
    assert as_oleh.get(url(team)).status_code == 404
    assert as_oleh.post(url(team), {"rule_thanks": "off"}).status_code == 404
    assert not TeamEtiquette.objects.exists()


def test_every_engine_rule_is_on_the_page_with_its_default(as_sofia, team):
    from mannerly.coaching.catalog import RULES, default_severities

    assert set(default_severities()) == set(RULES)
    html = as_sofia.get(url(team)).content.decode()
    for rule in RULES:
        assert f"<code>{rule}</code>" in html
    assert "Default (Error)" in html and "Default (Tip)" in html


def test_the_team_signature_starts_the_reply_of_an_agent_without_one(as_sofia, team, oleh, anna):
    from mannerly.tickets import actions

    as_sofia.post(url(team), {"signature_template": "{agent}\n{team} team"})
    ticket = actions.do_open_ticket(anna, "Hello", "Can you help?", team=team)
    response = signed_in(oleh).get(reverse("tickets:ticket", args=[ticket.pk]))
    assert response.context["reply_form"].initial["body"] == "\n\nOleh Kovalenko\nSupport team"


def test_a_broken_settings_row_falls_back_to_the_defaults(team):
    row = TeamEtiquette.objects.create(team=team, severities={"thanks": "catastrophic"})
    assert build_config(row).severity("thanks", "warning") == "warning"


def test_customers_never_reach_the_settings(anna, team):
    client = signed_in(anna.user)
    assert client.get(url(team)).status_code == 404
    assert client.get(reverse("coaching:settings")).status_code == 404
