"""Helpers shared by the service-level tests (imported by name: this folder is on sys.path)."""

from datetime import UTC, datetime, time

from mannerly.sla.models import BusinessCalendar, OpeningHours, TeamCalendar
from mannerly.tickets import actions
from mannerly.tickets.models import Ticket


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Clock:
    """The test's wall clock: ``clock.at(2026, 6, 1, 10)`` stops time there (UTC by default)."""

    def __init__(self, machine):
        self.machine = machine

    def at(self, *args, tz=UTC) -> datetime:
        when = datetime(*args, tzinfo=tz)
        self.machine.move_to(when, tick=False)
        return when


def office_calendar(name: str, zone: str, opens=time(9), closes=time(18)) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(name=name, time_zone=zone)
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=opens, closes=closes) for day in range(5)
    )
    return calendar


def keep_calendar(team, calendar: BusinessCalendar) -> None:
    TeamCalendar.objects.update_or_create(team=team, defaults={"calendar": calendar})


def open_ticket(customer, team=None, subject="Charged twice", body="Please refund me.", **kw):
    return actions.do_open_ticket(customer, subject, body, team=team, **kw)


def fresh(ticket: Ticket) -> Ticket:
    ticket.refresh_from_db()
    return ticket


class LoopbackSmtp:
    """A real SMTP server on 127.0.0.1 and an ephemeral port (aiosmtpd); keeps what it gets."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        received = self.received = []

        class Sink:
            async def handle_DATA(self, server, session, envelope):
                received.append(envelope)
                return "250 OK"

        class EphemeralController(Controller):
            def _trigger_server(self):
                self.port = self.server.sockets[0].getsockname()[1]
                super()._trigger_server()

        self.controller = EphemeralController(Sink(), hostname="127.0.0.1", port=0)

    def start(self) -> "LoopbackSmtp":
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()
