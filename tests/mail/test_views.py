"""The quarantine page: supervisors and admins only; everyone else gets 404."""

import pytest
from django.urls import reverse
from mailhelpers import eml

from mannerly.mail import ingest
from mannerly.mail.models import RawMail
from mannerly.mail.sources import Item

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the cast's password (tests/conftest.py)


@pytest.fixture
def quarantined(mailbox, settings):
    settings.MAIL_MAX_SIZE = 100
    [outcome] = ingest.ingest_items([Item("big.eml", eml(body="<script>x</script>" * 20))])
    settings.MAIL_MAX_SIZE = 60 * 1024 * 1024
    return RawMail.objects.get(pk=outcome.raw_id)


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["anonymous", "oleh", "anna"])
def test_quarantine_page_is_404_for_everyone_but_supervisors(client, who, request, quarantined):
    if who != "anonymous":
        person = request.getfixturevalue(who)
        signed_in(client, getattr(person, "user", person))  # a customer signs in as a user
    assert client.get(reverse("mail:quarantine")).status_code == 404
    assert client.get(reverse("mail:raw", args=[quarantined.pk])).status_code == 404
    reprocess = client.post(reverse("mail:reprocess", args=[quarantined.pk]))
    assert reprocess.status_code == 404
    quarantined.refresh_from_db()
    assert quarantined.status == "quarantined"


@pytest.mark.parametrize("who", ["sofia", "admin_user"])
def test_supervisors_and_admins_see_the_reason(client, who, request, quarantined):
    signed_in(client, request.getfixturevalue(who))
    page = client.get(reverse("mail:quarantine"))
    assert page.status_code == 200
    assert quarantined.reason.encode() in page.content
    assert b"Charged twice" in page.content


def test_raw_download_is_an_attachment_with_the_exact_bytes(client, sofia, quarantined):
    response = signed_in(client, sofia).get(reverse("mail:raw", args=[quarantined.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="raw-{quarantined.pk}.eml"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response.content == bytes(quarantined.data)


def test_reprocess_button_retries_after_the_fix(client, sofia, quarantined):
    response = signed_in(client, sofia).post(reverse("mail:reprocess", args=[quarantined.pk]))
    assert response.status_code == 302
    quarantined.refresh_from_db()
    assert quarantined.status == "done" and quarantined.action == "created"


def test_quarantine_page_queries_do_not_grow_with_rows(
    client, sofia, mailbox, settings, django_assert_max_num_queries
):
    settings.MAIL_MAX_SIZE = 100
    list(
        ingest.ingest_items(
            [Item(f"{i}", eml(body="x" * 200, message_id=f"<{i}@x>")) for i in range(30)]
        )
    )
    signed_in(client, sofia)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("mail:quarantine")).status_code == 200
