"""Several workers process stored mail at once: every thread still ends on one ticket."""

import json
import subprocess
import sys

import pytest
from mailhelpers import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


@pytest.mark.skipif(not GENERATOR.exists(), reason="needs ../shared/bench/gen_corpus.py")
def test_two_workers_thread_a_corpus_like_one(external_db, tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(corpus), "-n", "300", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    assert external_db.mannerly("mail", "mailbox", "add", "support@example.com").returncode == 0
    stored = external_db.mannerly("ingest", "--store-only", str(corpus))
    assert stored.returncode == 0, stored.stderr
    workers = [external_db.start("mail", "process") for _ in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err.decode()[-3000:]
    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    tickets = dict(external_db.query("SELECT message_id, ticket_id FROM tickets_message"))
    left = external_db.query(
        "SELECT id, msgid, status, action, reason FROM mail_rawmail "
        "WHERE status <> 'done' OR ticket_id IS NULL"
    )
    assert left == []
    twice = external_db.query(
        "SELECT message_id, COUNT(*) FROM tickets_message GROUP BY message_id HAVING COUNT(*) > 1"
    )
    assert twice == []
    assert len(tickets) == 300
    wrong = [m["file"] for m in manifest if tickets[m["message_id"]] != tickets[m["thread"]]]
    assert wrong == []
    threads = len({m["thread"] for m in manifest})
    assert external_db.query("SELECT COUNT(*) FROM tickets_ticket") == [(threads,)]
    assert external_db.query("SELECT COUNT(*) FROM mail_rawmail WHERE status <> 'done'") == [(0,)]
