"""Poll back-off and the "only new messages" rule (no server needed)."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import GPMessage, MessageType, PollPolicy
from arcgis_gp.plugin.rest.waiting import new_messages


def test_poll_policy_backs_off_to_ceiling():
    policy = PollPolicy(first=0.2, factor=1.5, ceiling=5.0)
    delays = [policy.delay(n) for n in range(12)]
    assert delays[0] == pytest.approx(0.2)
    assert delays[1] == pytest.approx(0.3)
    assert all(a <= b for a, b in zip(delays, delays[1:]))
    assert delays[-1] == 5.0
    assert PollPolicy(first=1, factor=10, ceiling=2).delay(10_000) == 2


def m(text: str) -> GPMessage:
    return GPMessage(MessageType.INFORMATIVE, text)


@pytest.mark.parametrize(
    ("previous", "current", "fresh"),
    [
        ([], [], []),
        ([], ["a"], ["a"]),
        (["a"], ["a", "b", "c"], ["b", "c"]),
        (["a", "b"], ["a", "b"], []),
        # a server that keeps only the latest messages
        (["a", "b", "c"], ["b", "c", "d"], ["d"]),
        (["a", "b", "c"], ["c", "d", "e"], ["d", "e"]),
        # a list that restarted
        (["a", "b"], ["x"], ["x"]),
        (["a", "a"], ["a", "a", "a"], ["a"]),
    ],
)
def test_new_messages(previous, current, fresh):
    result = new_messages([m(t) for t in previous], [m(t) for t in current])
    assert [x.description for x in result] == fresh
