"""The parser against 448 messages from other projects' test suites (../shared/corpora/mail):
no crash, and at least 98% of the fields those projects assert read the same way.

The per-source table and every failure: ``uv run python -m mannerly.mail.conformance --failures``.
"""

import io

import pytest

from mannerly.mail import conformance

pytestmark = pytest.mark.skipif(
    not (conformance.DEFAULT_CORPUS / "MANIFEST.json").is_file(),
    reason=f"the shared corpus is not at {conformance.DEFAULT_CORPUS} (../shared is absent)",
)


@pytest.fixture(scope="module")
def outcomes():
    return conformance.run(conformance.DEFAULT_CORPUS)


def test_every_corpus_message_parses_without_a_crash(outcomes):
    assert len(outcomes) == 448
    crashed = {o.id: o.crashed for o in outcomes if o.crashed}
    assert crashed == {}


def test_asserted_fields_match_at_least_98_percent(outcomes):
    table = io.StringIO()
    overall = conformance.report(outcomes, show_failures=True, out=table)
    assert overall.passed + overall.failed > 1000  # the corpus really was scored
    assert overall.score >= 98.0, table.getvalue()


@pytest.mark.parametrize("source", ["sisimai", "ruby-mail", "cpython", "django-helpdesk"])
def test_sources_without_disputed_expectations_are_fully_right(outcomes, source):
    failed = [(o.id, f) for o in outcomes if o.source == source for f in o.failed]
    assert failed == []
