"""A desk works out of the box: a 24/7 default calendar, a standard policy and the built-in
acknowledgement texts (editable rows), all created once by ``migrate``.

Standard policy (minutes; urgent runs around the clock, the others in the team's business hours,
which are 24/7 until a team sets its own; periodic updates always count calendar time):

    priority  first response  next response  update       resolution
    urgent    1 h             1 h            8 h          1 day
    high      2 h             4 h            1 day        3 days
    normal    2 h             8 h            3 days       5 days
    low       2 h             1 day          3 days       10 days
"""

from django.db import migrations

HOUR, DAY = 60, 24 * 60

TARGETS = [
    # priority, first, next, update, resolution, business hours
    (4, 1 * HOUR, 1 * HOUR, 8 * HOUR, 1 * DAY, False),
    (3, 2 * HOUR, 4 * HOUR, 1 * DAY, 3 * DAY, True),
    (2, 2 * HOUR, 8 * HOUR, 3 * DAY, 5 * DAY, True),
    (1, 2 * HOUR, 1 * DAY, 3 * DAY, 10 * DAY, True),
]


def create_defaults(apps, schema_editor):
    from mannerly.sla.wording import DEFAULT_ACKNOWLEDGEMENTS

    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    SlaTarget = apps.get_model("sla", "SlaTarget")
    AcknowledgementTemplate = apps.get_model("sla", "AcknowledgementTemplate")
    if not BusinessCalendar.objects.filter(is_default=True).exists():
        BusinessCalendar.objects.create(
            name="Around the clock", time_zone="UTC", always_open=True, is_default=True
        )
    policy, created = SlaPolicy.objects.get_or_create(
        name="Standard", defaults={"position": 1000, "warn_percent": 75}
    )
    if created:
        for priority, first, nxt, update, resolution, business in TARGETS:
            SlaTarget.objects.create(
                policy=policy,
                priority=priority,
                first_response_minutes=first,
                next_response_minutes=nxt,
                update_minutes=update,
                resolution_minutes=resolution,
                business_hours=business,
                update_business_hours=False,
            )
    for language, body in DEFAULT_ACKNOWLEDGEMENTS.items():
        AcknowledgementTemplate.objects.get_or_create(
            team=None, language=language, defaults={"body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
