"""kg.parallel.forked: work in a forked process, one-shot or talking with its parent."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from kg.parallel.forked import Channel, Forked, can_fork, converse_beside, map_beside

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork, a second core and one thread")


def _doubled(channel: Channel) -> list[int]:
    numbers = channel.receive()
    channel.send(sum(numbers))
    return [2 * n for n in numbers]


def test_a_talking_child_receives_sends_and_returns() -> None:
    forked = Forked(_doubled, talk=True)
    try:
        forked.send([1, 2, 3])
        assert forked.receive() == 6
        assert forked.result() == [2, 4, 6]
    finally:
        forked.close()


def _fails(channel: Channel) -> None:
    channel.receive()
    raise ValueError("no such graph")


def test_the_childs_exception_is_raised_in_the_parent() -> None:
    forked = Forked(_fails, talk=True)
    try:
        forked.send(None)
        with pytest.raises(ValueError, match="no such graph"):
            forked.receive()
    finally:
        forked.close()


def _waits(channel: Channel) -> str:
    return str(channel.receive())


def test_a_talking_child_ends_when_its_parent_is_gone() -> None:
    """The child holds no copy of the parent's end of the pipe, so it sees the parent go (a
    killed ``kg build``) and ends instead of waiting for ever."""
    forked = Forked(_waits, talk=True)
    forked._connection.close()  # as the kernel does when the parent dies
    process = forked._process
    deadline = time.monotonic() + 10
    while process.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.exitcode is not None
    process.join()


def test_a_one_shot_child_returns_its_value() -> None:
    forked = Forked(lambda: {"map": 1500})
    assert forked.result() == {"map": 1500}


def test_a_child_that_dies_raises_child_process_error() -> None:
    forked = Forked(_waits, talk=True)
    forked._process.kill()
    forked._process.join()
    with pytest.raises(ChildProcessError):
        forked.receive()
    forked.close()


def _running_total(start: int) -> Iterator[int]:
    total = start
    while (number := (yield total)) is not None:
        total += number
    return total * 10


def test_steps_conversed_beside_run_in_another_process() -> None:
    """What the steps yield comes here, what is sent here is what their yield returns, and
    their return value is the result; the steps run in the child, not here."""
    forked = converse_beside(lambda: _running_total(os.getpid()))
    try:
        assert forked.receive() != os.getpid()  # the child's own process id
        forked.send(5)
        total = forked.receive()
        forked.send(None)
        assert forked.result() == total * 10
    finally:
        forked.close()


def test_no_steps_are_conversed_beside_where_no_process_can_help(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kg.parallel.forked as forked_module

    monkeypatch.setattr(forked_module, "can_fork", lambda: False)
    with pytest.raises(OSError, match="no second core"):
        converse_beside(lambda: _running_total(0))


def test_items_mapped_beside_come_back_in_order_half_of_them_from_the_child() -> None:
    """The heaviest item stays here, the next goes to the child, each next to the lighter side."""
    weights = [5, 40, 1, 30, 12, 9]
    made = map_beside(lambda weight: (weight, os.getpid()), weights, weights)
    assert [weight for weight, _ in made] == weights
    here = {weight for weight, pid in made if pid == os.getpid()}
    assert here == {40, 9} and sum(weights) - sum(here) == 48


def test_an_exception_in_the_childs_share_is_raised_here() -> None:
    def fails_there(item: str) -> str:
        if item == "there":
            raise ValueError("not readable")
        return item

    with pytest.raises(ValueError, match="not readable"):
        map_beside(fails_there, ["here", "there"], [2, 1])


def test_items_are_mapped_here_where_no_process_can_help(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.parallel.forked as forked_module

    monkeypatch.setattr(forked_module, "can_fork", lambda: False)
    assert {pid for pid in map_beside(lambda _: os.getpid(), [1, 2, 3], [1, 2, 3])} == {os.getpid()}
