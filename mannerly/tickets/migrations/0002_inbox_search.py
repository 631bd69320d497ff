"""The inbox's default-view index and the ticket search index (FTS5 trigram on SQLite,
tsvector + pg_trgm on PostgreSQL)."""

from django.db import migrations, models

from mannerly.tickets import search


def create(apps, schema_editor):
    for sql in search.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)
    # Tickets that exist before this migration get their documents now.
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    documents = []
    for pk, subject in Ticket.objects.values_list("pk", "subject").iterator():
        texts = [
            search.message_text(t, h)
            for t, h in Message.objects.filter(ticket_id=pk).values_list("body_text", "body_html")
        ]
        documents.append((pk, search.build_document(subject, texts)))
    if documents:
        search.write_documents(documents)


def drop(apps, schema_editor):
    for sql in search.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ["new", "open"])),
                fields=["-updated_at", "-id"],
                name="ticket_open_updated",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
        ),
        migrations.RunPython(create, drop),
    ]
