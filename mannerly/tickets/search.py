"""Full-text search over ticket subjects and message text, on SQLite and on PostgreSQL.

One search document per ticket (its subject and the text of every message, internal notes
included: only staff search). The actions that write messages call :func:`index_ticket`, so the
index is current when their transaction commits; there are no signals and no database triggers.

- SQLite: an FTS5 table with the ``trigram`` tokenizer. It matches any substring of three or more
  characters in any script, which is what Chinese (no spaces between words) needs. Shorter terms
  (``退款`` is two characters) fall back to a scan of the same table with ``instr``.
- PostgreSQL: a ``tsvector`` (``simple`` configuration: no stemming, so English, Ukrainian and
  Russian are treated alike) with a GIN index for word search, and a ``pg_trgm`` GIN index on the
  text for Chinese and other unspaced scripts, searched with ``ILIKE``.

The table has no foreign key: search rows are keyed by ticket id and every query joins back to
the tickets the user may see, so a stale row can never reveal anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nh3
from django.db import connection
from django.db.models.expressions import RawSQL

TABLE = "tickets_search"
MAX_DOCUMENT_CHARS = 200_000  # PostgreSQL caps a tsvector at 1 MB; nobody searches past this
MAX_TERMS = 8

# Han, Hiragana, Katakana, Hangul: scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"^\w+$")

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(document, tokenize='trigram')",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {TABLE}"]
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        ticket_id bigint PRIMARY KEY,
        document text NOT NULL,
        vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_vector ON {TABLE} USING gin (vector)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_trgm ON {TABLE} USING gin (document gin_trgm_ops)",
]
POSTGRES_DROP = [f"DROP TABLE IF EXISTS {TABLE}"]


def create_sql(vendor: str) -> list[str]:
    return POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE


def drop_sql(vendor: str) -> list[str]:
    return POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP


def message_text(body_text: str, body_html: str) -> str:
    """The searchable text of a message: its plain text, else its HTML without tags."""
    if body_text.strip():
        return body_text
    if body_html:
        return nh3.clean(body_html, tags=set(), attributes={})
    return ""


def build_document(subject: str, texts: Iterable[str]) -> str:
    return "\n".join([subject, *texts])[:MAX_DOCUMENT_CHARS]


def index_ticket(
    ticket_id: int, subject: str | None = None, texts: Iterable[str] | None = None
) -> None:
    """(Re)write the search document of one ticket from its current subject and messages.

    Actions pass the subject they hold (the ticket row is locked), which saves a query; a new
    ticket's action passes its only message's text too (mail intake opens many).
    """
    from mannerly.tickets.models import Message, Ticket

    if subject is None:
        subject = Ticket.objects.filter(pk=ticket_id).values_list("subject", flat=True).first()
    if subject is None:
        remove_tickets([ticket_id])
        return
    if texts is None:
        rows = Message.objects.filter(ticket_id=ticket_id).order_by("created_at", "pk")
        texts = (message_text(t, h) for t, h in rows.values_list("body_text", "body_html"))
    write_documents([(ticket_id, build_document(subject, texts))])


def write_documents(documents: list[tuple[int, str]]) -> None:
    """Store ready-made documents (ticket id, text); also used by bulk loaders."""
    if not documents:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {TABLE} (ticket_id, document) VALUES (%s, %s) "
                "ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document",
                documents,
            )
        else:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk, _ in documents]
            )
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, document) VALUES (%s, %s)", documents)


def remove_tickets(ticket_ids: list[int]) -> None:
    key = "ticket_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE {key} = %s", [(pk,) for pk in ticket_ids])


def split_terms(query: str) -> list[str]:
    """Whitespace-separated terms, each required; quotes are dropped, a few terms at most."""
    terms = [t.strip("\"'") for t in query.split()]
    return [t for t in terms if t][:MAX_TERMS]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_ids_sql(query: str) -> RawSQL | None:
    """A subquery of the ids of tickets whose document matches every term, or None if no terms.

    Use it as ``tickets.filter(pk__in=matching_ids_sql(q))`` so that search composes with the
    permission filter, the inbox filters, the sort and the page limit in one SQL query.
    """
    terms = split_terms(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        return _postgres_sql(terms)
    return _sqlite_sql(terms)


def _postgres_sql(terms: list[str]) -> RawSQL:
    conditions, params = [], []
    words = [t for t in terms if _WORD.match(t) and not _UNSPACED.search(t)]
    if words:
        # One tsquery for all words: a single GIN lookup instead of one per word.
        conditions.append("vector @@ to_tsquery('simple'::regconfig, %s)")
        params.append(" & ".join(f"{word}:*" for word in words))  # prefix: "refund" → "refunded"
    for term in terms:
        if term in words:
            continue
        if _UNSPACED.search(term):
            conditions.append("document ILIKE %s")
            params.append(f"%{_escape_like(term)}%")
        else:
            conditions.append(
                "(vector @@ phraseto_tsquery('simple'::regconfig, %s) OR document ILIKE %s)"
            )
            params.extend([term, f"%{_escape_like(term)}%"])
    where = " AND ".join(conditions)
    return RawSQL(f"SELECT ticket_id FROM {TABLE} WHERE {where}", params)


def _sqlite_sql(terms: list[str]) -> RawSQL:
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    conditions, params = [], []
    if long_terms:
        # Each term becomes an FTS5 string ("..." with inner quotes doubled): no query syntax.
        conditions.append(f"{TABLE} MATCH %s")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for term in short_terms:
        # SQLite 3.40's trigram tables return nothing for LIKE patterns under three characters;
        # instr() scans the stored text instead (short terms are rare outside Chinese).
        conditions.append("instr(lower(document), lower(%s)) > 0")
        params.append(term)
    where = " AND ".join(conditions)
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {where}", params)


def rebuild() -> int:
    """Re-index every ticket (after a restore or an import that bypassed the actions)."""
    from mannerly.tickets.models import Ticket

    count = 0
    for pk in Ticket.objects.values_list("pk", flat=True).iterator(chunk_size=2000):
        index_ticket(pk)
        count += 1
    return count
