"""lint() and triage() are pure: many threads at once give the same answers as one."""

from concurrent.futures import ThreadPoolExecutor

from mannerly.etiquette import lint, triage
from tests.etiquette.cases import CLEAN, CUSTOMERS, MESSAGES


def test_parallel_calls_agree_with_serial_ones():
    jobs = [(lang, CLEAN[lang], MESSAGES[lang]) for lang in CLEAN] * 8

    def work(job):
        lang, draft, message = job
        return lint(draft, message=message, customer=CUSTOMERS[lang]), triage(message)

    serial = [work(j) for j in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(work, jobs))
    assert parallel == serial
