"""The SMTP/LMTP listener as a real child process, with smtplib as the sending client."""

import os
import signal
import smtplib
import socket
import threading

import pytest
from mailhelpers import eml, listener_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listener(external_db):
    external_db.execute(
        "INSERT INTO mail_mailbox (address, display_name, active, imap_host, imap_security, "
        "imap_username, imap_password, imap_folder, imap_sent_folder, imap_verify_tls, "
        "created_at) VALUES ('support@mannerly.test', 'Support', TRUE, '', 'tls', '', '', "
        "'INBOX', '', TRUE, CURRENT_TIMESTAMP)"
    )
    started = []

    def start(*extra: str):
        process = external_db.start("mail", "listen", "--port", "0", *extra)
        started.append(process)
        return process, listener_port(process)

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def pending_count(db) -> int:
    return db.query("SELECT COUNT(*) FROM mail_rawmail WHERE status = 'pending'")[0][0]


def test_accepted_message_is_stored_and_becomes_a_ticket(listener, external_db):
    _process, port = listener()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        refused = client.sendmail(
            "anna@example.com", ["support@mannerly.test"], eml(message_id="<s1@x>")
        )
    assert refused == {}
    rows = wait_for(
        lambda: external_db.query(
            "SELECT msgid, action, envelope_from FROM mail_rawmail WHERE status = 'done'"
        )
    )
    assert rows == [("<s1@x>", "created", "anna@example.com")]
    assert external_db.query("SELECT subject FROM tickets_ticket") == [("Charged twice",)]


def test_unknown_recipient_gets_550(listener):
    _process, port = listener()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        client.mail("anna@example.com")
        code, reply = client.rcpt("nobody@mannerly.test")
        assert code == 550 and b"5.1.1" in reply
        assert client.rcpt("Support+billing@Mannerly.test")[0] == 250  # sub-address, any case


def test_oversized_message_gets_552_and_nothing_is_stored(listener, external_db):
    _process, port = listener()
    limit = 64 * 1024 * 1024
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo()
        assert client.has_extn("size") and int(client.esmtp_features["size"]) == limit
        code, _reply = client.mail("anna@example.com", [f"SIZE={limit + 1}"])
        assert code == 552
        client.rset()
        client.mail("anna@example.com")
        client.rcpt("support@mannerly.test")
        big = eml(body=("x" * 998 + "\n") * (limit // 999 + 10))
        code, _reply = client.data(big)
        assert code == 552
    assert external_db.query("SELECT COUNT(*) FROM mail_rawmail") == [(0,)]


def test_lmtp_answers_once_per_recipient_and_stores_once(listener, external_db):
    external_db.execute(
        "INSERT INTO mail_mailbox (address, display_name, active, imap_host, imap_security, "
        "imap_username, imap_password, imap_folder, imap_sent_folder, imap_verify_tls, "
        "created_at) VALUES ('billing@mannerly.test', '', TRUE, '', 'tls', '', '', 'INBOX', '', "
        "TRUE, CURRENT_TIMESTAMP)"
    )
    _process, port = listener("--lmtp")
    # smtplib's LMTP.sendmail reads only one reply after DATA, so speak the protocol by hand.
    with smtplib.LMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo_or_helo_if_needed()
        client.mail("anna@example.com")
        assert client.rcpt("support@mannerly.test")[0] == 250
        assert client.rcpt("billing@mannerly.test")[0] == 250
        assert client.docmd("DATA")[0] == 354
        client.send(eml(message_id="<l1@x>") + b"\r\n.\r\n")
        replies = [client.getreply(), client.getreply()]
    assert [code for code, _text in replies] == [250, 250]
    assert external_db.query("SELECT COUNT(*) FROM mail_rawmail") == [(1,)]


def send_all(
    port_holder: dict,
    messages: dict[str, bytes],
    acked: set[str],
    stop_after: int,
    killed: threading.Event,
) -> None:
    """Send each message until it gets 250; reconnect when the listener goes away."""
    remaining = list(messages)
    client = None
    while remaining:
        if client is None:
            try:
                client = smtplib.SMTP("127.0.0.1", port_holder["port"], timeout=30)
            except OSError:
                killed.wait(0.05)
                continue
        msgid = remaining[0]
        try:
            client.sendmail("anna@example.com", ["support@mannerly.test"], messages[msgid])
        except (smtplib.SMTPException, OSError):
            client = None  # the listener died mid-conversation: this one was not acknowledged
            continue
        acked.add(msgid)
        remaining.pop(0)
        if len(acked) == stop_after:
            port_holder["kill"].set()
    if client is not None:
        client.quit()


def test_sigkill_while_receiving_loses_and_duplicates_nothing(listener, external_db):
    """1,000 messages; the listener is killed with SIGKILL while a client is sending. Every
    message that got 250 is stored, and after restart and processing each is on a ticket
    exactly once (the client re-sends what was not acknowledged, as any MTA does)."""
    process, port = listener()
    messages = {
        f"<k{i}@x>": eml(
            message_id=f"<k{i}@x>", subject=f"Question {i}", sender=f"customer{i % 50}@example.com"
        )
        for i in range(1000)
    }
    acked: set[str] = set()
    holder = {"port": port, "kill": threading.Event()}
    killed = threading.Event()
    sender = threading.Thread(
        target=send_all, args=(holder, messages, acked, 400, killed), daemon=True
    )
    sender.start()
    assert holder["kill"].wait(timeout=300)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    killed.set()
    acked_before_kill = set(acked)
    stored = {row[0] for row in external_db.query("SELECT msgid FROM mail_rawmail")}
    assert acked_before_kill <= stored  # nothing acknowledged was lost

    process, new_port = listener()  # restart: the client reconnects and goes on
    holder["port"] = new_port
    sender.join(timeout=600)
    assert not sender.is_alive() and acked == set(messages)
    wait_for(lambda: pending_count(external_db) == 0, timeout=600)

    per_message = dict(
        external_db.query("SELECT message_id, COUNT(*) FROM tickets_message GROUP BY message_id")
    )
    assert set(per_message) == set(messages)
    assert set(per_message.values()) == {1}  # exactly once on a ticket
    actions = dict(external_db.query("SELECT action, COUNT(*) FROM mail_rawmail GROUP BY action"))
    deliveries = external_db.query("SELECT COUNT(*) FROM mail_rawmail")[0][0]
    assert actions.get("created", 0) + actions.get("appended", 0) == 1000
    assert deliveries - 1000 == actions.get("duplicate", 0) <= 2  # in flight at the kill


def test_listen_on_a_busy_port_is_a_one_line_error(external_db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = external_db.mannerly("mail", "listen", "--port", str(port), timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("mannerly mail: cannot listen on 127.0.0.1:")
    assert b"Traceback" not in done.stderr
