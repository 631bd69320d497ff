from mannerly.coaching import warm_up
from mannerly.coaching.config import ENGINE_LANGUAGES


def test_warm_up_loads_every_language_the_engine_reads():
    assert sorted(warm_up.warm_up()) == sorted(ENGINE_LANGUAGES)


def test_warm_up_runs_in_the_background():
    thread = warm_up.start()
    assert thread.daemon
    thread.join(timeout=120)
    assert not thread.is_alive()
