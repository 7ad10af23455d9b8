#!/usr/bin/python3
"""Holds N idle GET /api/v1/stream connections open for ops/bench-sse.

Usage: sse-holder.py PORT TOKEN N
Opens N streams, prints "READY <opened> <refused>" once every one has its
200 head and first frame, then reads (and drops) what the server sends until
SIGTERM; prints "CLOSED <count>" for streams the server ended meanwhile.
"""
import asyncio
import signal
import sys


async def hold(port, token, ready, closed):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write((f"GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    ok = head.startswith(b"HTTP/1.1 200")
    if ok:
        await reader.readuntil(b"\n\n")  # the start frame (retry + id)
    ready.append(ok)
    if not ok:
        writer.close()
        return
    while await reader.read(4096):
        pass
    closed.append(1)


async def main():
    port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ready, closed = [], []
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(hold(port, token, ready, closed)))
        if len(tasks) % 100 == 0:
            await asyncio.sleep(0.05)  # no accept-queue overflow on a small machine
    while len(ready) < count:
        await asyncio.sleep(0.05)
    print(f"READY {sum(ready)} {count - sum(ready)}", flush=True)
    await stop.wait()
    print(f"CLOSED {len(closed)}", flush=True)
    for task in tasks:
        task.cancel()


asyncio.run(main())
