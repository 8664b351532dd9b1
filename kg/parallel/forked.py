"""Work done on the machine's second core by a forked process, where that is safe.

A fork copies the process as it is, so the child starts with everything the parent has read
(a review's rows, its bibliography) at no cost, and sends back only its result. kg forks
only where :func:`can_fork` allows it and falls back to doing the work itself otherwise.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Generator, Sequence
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["Channel", "Forked", "can_fork", "converse_beside", "map_beside"]

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Whether a second process can help and is allowed: a second core, ``fork``, one thread.

    Forking copies only the calling thread, so a lock another thread holds would stay held;
    and a daemonic process (a ``multiprocessing.Pool`` worker) may not start one. The only
    other threads accepted are those marked ``kg_fork_safe``: the CLI's progress ticker,
    which holds no lock across a fork (``kg.cli.Progress``).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    others = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.current_thread() and not getattr(thread, "kg_fork_safe", False)
    ]
    return (
        (cores or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not others
        and not multiprocessing.current_process().daemon
    )


class Forked(Generic[T]):
    """``work()`` run in a forked process from now on; :meth:`result` waits for its value.

    The value comes back pickled. An exception in the child is raised again by
    :meth:`result`; a child that dies without an answer raises ``ChildProcessError``.
    Given ``talk``, ``work`` is called with a :class:`Channel` to this process, which
    :meth:`send` and :meth:`receive` talk to while it works. A ``daemon`` process (the
    default) is ended with this one but may not fork a :class:`Forked` of its own.
    """

    def __init__(self, work: Callable[..., T], *, talk: bool = False, daemon: bool = True) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe(duplex=talk)
        self._process = context.Process(
            target=_run, args=(child, work, talk, self._connection), daemon=daemon
        )
        self._process.start()
        child.close()

    def send(self, value: Any) -> None:
        """Give the child a value (it reads it with :meth:`Channel.receive`)."""
        try:
            self._connection.send(value)
        except OSError:
            raise ChildProcessError("a forked kg process ended without an answer") from None

    def receive(self) -> Any:
        """What the child sent next (:meth:`Channel.send`), or its exception, raised."""
        try:
            failed, value = self._connection.recv()
        except (EOFError, OSError):
            self.close()
            raise ChildProcessError("a forked kg process ended without an answer") from None
        if failed:
            self.close()
            raise value
        return value

    def result(self) -> T:
        """The child's value, once it has finished."""
        try:
            value: T = self.receive()
        finally:
            self._process.join(timeout=5)  # it ends once it has answered
            self.close()
        return value

    def close(self) -> None:
        """End the process (if still running) and free what it holds."""
        if self._process.exitcode is None:
            self._process.terminate()
        self._process.join()
        self._connection.close()


def converse_beside(steps: Callable[[], Generator[Any, Any, T]]) -> Forked[T]:
    """The generator ``steps()`` run in a forked process and talked to from this one: what it
    yields is :meth:`Forked.receive`'d here, what is :meth:`Forked.send` here is what its
    ``yield`` returns, and what it returns is :meth:`Forked.result`. Raises ``OSError`` where
    no process can help (:func:`can_fork`), so the caller does the work itself.

    This is the ``beside`` that ``kg build`` and ``kg validate`` give
    :func:`kg.load.bib.parse_bibliography`, which knows nothing of processes.
    """
    if not can_fork():
        raise OSError("no second core, or no fork, to run the steps beside this process")
    return Forked(partial(_converse, steps), talk=True)


def map_beside(work: Callable[[T], R], items: Sequence[T], weights: Sequence[int]) -> list[R]:
    """``[work(item) for item in items]``, a forked process doing about half of the items (by
    their ``weights``, such as their lengths) on the second core while this one does the rest.

    Each item's value comes back in the order of ``items``, whichever process made it. Where
    :func:`can_fork` says no, or there is one item, this process does them all. An exception
    in either share is raised here, as it is without the fork; the forked process is then
    ended, having changed nothing here.
    """
    if len(items) < 2 or not can_fork():
        return [work(item) for item in items]
    theirs = _half(weights)
    forked = Forked(lambda: [work(items[index]) for index in theirs])
    try:
        values = {index: work(item) for index, item in enumerate(items) if index not in theirs}
        values.update(zip(theirs, forked.result(), strict=True))
    finally:
        forked.close()
    return [values[index] for index in range(len(items))]


def _half(weights: Sequence[int]) -> list[int]:
    """The indices of about half the total weight: the heaviest first, each to the side that
    has less so far (the other side is the rest)."""
    half: list[int] = []
    sides = [0, 0]
    for index in sorted(range(len(weights)), key=lambda index: -weights[index]):
        side = sides.index(min(sides))
        sides[side] += weights[index]
        if side:
            half.append(index)
    return sorted(half)


def _converse(steps: Callable[[], Generator[Any, Any, T]], channel: Channel) -> T:
    """In the forked process: run the steps, passing what they yield and are sent."""
    conversation = steps()
    try:
        message = next(conversation)
        while True:
            channel.send(message)
            message = conversation.send(channel.receive())
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


class Channel:
    """The forked process's end of a :class:`Forked` that talks."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def send(self, value: Any) -> None:
        """Give the parent a value (:meth:`Forked.receive`)."""
        self._connection.send((False, value))

    def receive(self) -> Any:
        """What the parent sent next (:meth:`Forked.send`)."""
        return self._connection.recv()

    def sent(self) -> bool:
        """Whether the parent has sent a value not yet received (:meth:`receive` would not wait)."""
        return self._connection.poll()


def _run(connection: Connection, work: Callable[..., Any], talk: bool, parent: Connection) -> None:
    """In the forked process: do the work and send back its value or its exception."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which ends this
    # The parent's end, copied by the fork: closed, so that this end sees the parent go.
    parent.close()
    try:
        answer: tuple[bool, Any] = (False, work(Channel(connection)) if talk else work())
    except BaseException as error:
        answer = (True, error)
    with contextlib.suppress(OSError):  # the parent is gone: nobody to answer
        connection.send(answer)
    connection.close()
