"""Read Wirestream's event records with aiokafka, join them to their article's text, check spans.

    python examples/consumers/aiokafka_consumer.py --bootstrap localhost:9092 --articles 1

Prints one JSON line per complete article; exits 0 after ``--articles`` of them, 1 on timeout.
Needs ``pip install wirestream-contracts aiokafka``. See docs/CONSUMERS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from aiokafka import AIOKafkaConsumer

from join import Joiner
from wirestream_contracts.topics import ARTICLES, EVENTS


async def consume(bootstrap: str, prefix: str, group: str, wanted: int, timeout: float) -> int:
    consumer = AIOKafkaConsumer(
        ARTICLES.name(prefix),
        EVENTS.name(prefix),
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        isolation_level="read_committed",  # Wirestream writes in transactions
        max_partition_fetch_bytes=9 * 1024 * 1024,  # records can be as large as the body
    )
    joiner, complete = Joiner(), 0
    await consumer.start()
    try:
        async with asyncio.timeout(timeout):
            async for message in consumer:
                for line in joiner.add(message.value, message.headers):
                    print(json.dumps(line), flush=True)
                    complete += 1
                if complete >= wanted:
                    return 0
    except TimeoutError:
        print(f"timed out with {complete} of {wanted} articles complete", file=sys.stderr)
        return 1
    finally:
        await consumer.stop()
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9092")
    parser.add_argument("--prefix", default="wirestream.", help="WIRESTREAM_KAFKA_TOPIC_PREFIX")
    parser.add_argument("--group", default="example-aiokafka")
    parser.add_argument("--articles", type=int, default=1, help="stop after this many")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds")
    args = parser.parse_args()
    return asyncio.run(
        consume(args.bootstrap, args.prefix, args.group, args.articles, args.timeout)
    )


if __name__ == "__main__":
    sys.exit(main())
