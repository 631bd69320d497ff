"""Service-level fixtures: a fixed clock and the default policy."""

import pytest
from slahelp import Clock

from mannerly.sla.models import SlaPolicy


@pytest.fixture
def clock(time_machine):
    return Clock(time_machine)


@pytest.fixture
def standard_policy(db) -> SlaPolicy:
    """The policy ``migrate`` creates: 2 h first response for normal tickets, 1 h for urgent."""
    return SlaPolicy.objects.get(name="Standard")
