"""IMAP polling against a real Dovecot: plain, STARTTLS and IMAPS, with a checkpoint that
neither skips nor repeats."""

import imaplib
import ssl

import pytest
from dovecot import PASSWORD, USER, Dovecot, available
from mailhelpers import eml

from mannerly.mail.imap import folder_has_message, poll_all, poll_mailbox
from mannerly.mail.ingest import process_pending
from mannerly.mail.models import ImapCheckpoint, Mailbox, RawMail
from mannerly.tickets.models import Message, Ticket

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not available(), reason="needs /usr/sbin/dovecot and openssl"),
]


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def folder(dovecot, request):
    """A fresh folder per test, so tests do not see each other's mail."""
    name = f"T{abs(hash(request.node.name)) % 10**8}"
    client = dovecot.client()
    if client.folder_exists(name):
        client.delete_folder(name)
    client.create_folder(name)
    client.logout()
    return name


def imap_mailbox(dovecot, folder, security="none", **extra) -> Mailbox:
    port = dovecot.imaps_port if security == "tls" else dovecot.imap_port
    return Mailbox.objects.create(
        address="support@mannerly.test",
        imap_host="127.0.0.1",
        imap_port=port,
        imap_security=security,
        imap_username=USER,
        imap_password=PASSWORD,
        imap_folder=folder,
        **{"imap_verify_tls": False, **extra},  # the test certificate is self-signed
    )


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_poll_fetches_new_mail_and_makes_tickets(dovecot, folder, security):
    box = imap_mailbox(dovecot, folder, security)
    dovecot.deliver(
        eml(message_id="<i1@x>"),
        eml(subject="Re: Charged twice", message_id="<i2@x>", in_reply_to="<i1@x>"),
        folder=folder,
    )
    assert poll_mailbox(box).stored == 2
    outcomes = process_pending()
    assert [o.action for o in outcomes] == ["created", "appended"]
    assert Ticket.objects.count() == 1
    sources = list(RawMail.objects.order_by("pk").values_list("source", flat=True))
    assert sources[0].startswith(f"imap:support@mannerly.test/{folder}/")


def test_checkpoint_neither_repeats_nor_skips(dovecot, folder):
    box = imap_mailbox(dovecot, folder)
    dovecot.deliver(
        *(eml(message_id=f"<c{i}@x>", subject=f"Q{i}") for i in range(3)), folder=folder
    )
    assert poll_mailbox(box).stored == 3
    assert poll_mailbox(box).stored == 0  # nothing new: nothing again
    dovecot.deliver(eml(message_id="<c3@x>", subject="Q3"), folder=folder)
    box = Mailbox.objects.get(pk=box.pk)  # as a restarted process would see it
    assert poll_mailbox(box).stored == 1
    ids = sorted(RawMail.objects.values_list("msgid", flat=True))
    assert ids == ["<c0@x>", "<c1@x>", "<c2@x>", "<c3@x>"]
    checkpoint = ImapCheckpoint.objects.get(mailbox=box)
    assert checkpoint.last_uid == 4


def test_new_uidvalidity_fetches_again_and_copies_are_duplicates(dovecot, folder):
    box = imap_mailbox(dovecot, folder)
    dovecot.deliver(eml(message_id="<v1@x>"), folder=folder)
    poll_mailbox(box)
    process_pending()
    ImapCheckpoint.objects.filter(mailbox=box).update(uidvalidity=1)  # the server renumbered
    assert poll_mailbox(box).stored == 1
    [again] = process_pending()
    assert again.action == "duplicate"
    assert Message.objects.count() == 1


def test_starttls_is_required_when_configured(dovecot, folder):
    """A mailbox set to STARTTLS never logs in over plain text: the password stays private."""
    box = imap_mailbox(dovecot, folder, "starttls", imap_verify_tls=True)
    with pytest.raises(ssl.SSLError):  # the self-signed certificate is refused when verified
        poll_mailbox(box)


def test_wrong_password_is_reported_per_mailbox(dovecot, folder):
    imap_mailbox(dovecot, folder)
    Mailbox.objects.update(imap_password="wrong")
    [result] = poll_all()
    assert result.stored == 0
    assert result.error.startswith("LoginError")


def test_sent_folder_search_finds_a_message_by_message_id(dovecot):
    box = imap_mailbox(dovecot, "INBOX", imap_sent_folder="Sent")
    dovecot.deliver(eml(message_id="<mnly.1.abc.def@mannerly.test>"), folder="Sent")
    assert folder_has_message(box, "Sent", "<mnly.1.abc.def@mannerly.test>")
    assert not folder_has_message(box, "Sent", "<other@mannerly.test>")


def test_the_test_server_really_speaks_imaps(dovecot):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with imaplib.IMAP4_SSL("127.0.0.1", dovecot.imaps_port, ssl_context=context) as client:
        assert client.login(USER, PASSWORD)[0] == "OK"
