"""Read Wirestream's event records with confluent-kafka, join them to their article's text, check spans.

    python examples/consumers/confluent_consumer.py --bootstrap localhost:9092 --articles 1

Prints one JSON line per complete article; exits 0 after ``--articles`` of them, 1 on timeout.
Needs ``pip install wirestream-contracts confluent-kafka``. See docs/CONSUMERS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException

from join import Joiner
from wirestream_contracts.topics import ARTICLES, EVENTS


def consume(bootstrap: str, prefix: str, group: str, wanted: int, timeout: float) -> int:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",  # Wirestream writes in transactions
            "max.partition.fetch.bytes": 9 * 1024 * 1024,  # records can be as large as the body
        }
    )
    consumer.subscribe([ARTICLES.name(prefix), EVENTS.name(prefix)])
    joiner, complete = Joiner(), 0
    deadline = time.monotonic() + timeout
    try:
        while complete < wanted:
            if time.monotonic() > deadline:
                print(f"timed out with {complete} of {wanted} articles complete", file=sys.stderr)
                return 1
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            for line in joiner.add(message.value() or b"", message.headers()):
                print(json.dumps(line), flush=True)
                complete += 1
        return 0
    finally:
        consumer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9092")
    parser.add_argument("--prefix", default="wirestream.", help="WIRESTREAM_KAFKA_TOPIC_PREFIX")
    parser.add_argument("--group", default="example-confluent")
    parser.add_argument("--articles", type=int, default=1, help="stop after this many")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds")
    args = parser.parse_args()
    return consume(args.bootstrap, args.prefix, args.group, args.articles, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
