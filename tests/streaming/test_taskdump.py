"""The SIGUSR1 task dump names each task and the frames it is suspended in."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from wirestream.streaming import taskdump


async def waits_for_an_event(event: asyncio.Event) -> None:
    await event.wait()


async def calls_the_waiter(event: asyncio.Event) -> None:
    await waits_for_an_event(event)


async def test_a_dump_names_the_waiting_function_and_its_callers() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(calls_the_waiter(event), name="the-waiter")
    await asyncio.sleep(0)  # let it reach its await
    lines = taskdump.dump([("main", asyncio.get_running_loop())])
    [line] = [line for line in lines if "the-waiter" in line]
    assert line.startswith("[main] the-waiter: ")
    inner, outer = line.split(": ", 1)[1].split(" <- ")[:2]
    assert "locks.py" in inner and "wait" in inner  # asyncio.Event.wait, innermost
    assert "waits_for_an_event" in outer and "test_taskdump.py" in outer
    assert "calls_the_waiter" in line
    event.set()
    await task
    assert not any("the-waiter" in line for line in taskdump.dump([("main", task.get_loop())]))


async def test_sigusr1_logs_the_dump(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.get_running_loop()
    taskdump.install(lambda: [("main", loop)])
    try:
        with caplog.at_level("WARNING", logger=taskdump.__name__):
            os.kill(os.getpid(), signal.SIGUSR1)
            for _ in range(100):  # the handler runs on a later loop iteration
                if caplog.records:
                    break
                await asyncio.sleep(0.01)
        [record] = caplog.records
        assert "task dump (SIGUSR1)" in record.getMessage()
        assert "test_sigusr1_logs_the_dump" in record.getMessage()
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)
