"""Slow down password guessing: failed sign-ins are counted per username and per address."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mannerly.accounts.models import LoginAttempt


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def too_many_attempts(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    recent = LoginAttempt.objects.filter(created_at__gte=since)
    by_name = recent.filter(username=username.lower()[:150]).count()
    by_address = recent.filter(address=address).count()
    return max(by_name, by_address) >= settings.LOGIN_RATE_LIMIT


def record_failure(username: str, address: str) -> None:
    LoginAttempt.objects.create(username=username.lower()[:150], address=address)
    cutoff = timezone.now() - timedelta(days=1)
    LoginAttempt.objects.filter(created_at__lt=cutoff).delete()


def clear_failures(username: str, address: str) -> None:
    LoginAttempt.objects.filter(Q(username=username.lower()[:150]) | Q(address=address)).delete()
