"""A suspended instance's timers wait: the worker skips it until it is resumed."""

from __future__ import annotations

from engine.inbox import InboxFilter
from tests.engine.worker.helpers import TIMER, wait_until


def test_the_worker_skips_a_suspended_instance_until_it_is_resumed(alur, make_alur, make_worker):
    alur.add_user("analis", ["analis"])
    instance = alur.start(TIMER, "ana", title="Surat masuk 13")
    wakeup = alur.instance(instance.id).next_wakeup_at
    alur.suspend(instance.id, "analis", note="menunggu SOP baru")
    assert alur.instance(instance.id).next_wakeup_at == wakeup  # kept for the resumption

    worker = make_worker(make_alur())
    wait_until(wakeup)
    assert worker.run_round().timers == 0
    assert alur.tasks(flt=InboxFilter(instance_id=instance.id)) == []

    alur.resume(instance.id, "analis")
    assert worker.run_round().timers == 1
    assert len(alur.tasks(flt=InboxFilter(instance_id=instance.id))) == 1
