// Read Wirestream's event records with kafkajs, join them to their article's text, check spans.
//
//   node examples/consumers/js/consumer.mjs --bootstrap localhost:9092 --articles 1
//
// Prints one JSON line per complete article; exits 0 after --articles of them, 1 on timeout or a
// span that does not match. Span offsets are Unicode CODE POINTS (Python string indices), not the
// UTF-16 code units JavaScript strings are indexed by: `body.slice(start, end)` is wrong as soon as
// an emoji or any character outside the Basic Multilingual Plane comes before the span.
import { parseArgs } from "node:util";
import { Kafka, logLevel } from "kafkajs";

const { values: args } = parseArgs({
  options: {
    bootstrap: { type: "string", default: "localhost:9092" },
    prefix: { type: "string", default: "wirestream." }, // WIRESTREAM_KAFKA_TOPIC_PREFIX
    group: { type: "string", default: "example-kafkajs" },
    articles: { type: "string", default: "1" },
    timeout: { type: "string", default: "60" }, // seconds
  },
});

// Code-point offsets -> a string: slice the array of code points (Array.from splits by code point).
export function sliceCodePoints(codePoints, start, end) {
  return codePoints.slice(start, end).join("");
}

// Or convert a code-point offset to a UTF-16 index once, then use String.prototype.slice.
export function utf16Index(text, codePointOffset) {
  let index = 0;
  for (let i = 0; i < codePointOffset; i++) index += text.codePointAt(index) > 0xffff ? 2 : 1;
  return index;
}

function spans(value) {
  if (Array.isArray(value)) return value.flatMap(spans);
  if (value && typeof value === "object") {
    const own = ["start", "end", "text", "field"].every((k) => k in value) ? [value] : [];
    return own.concat(Object.values(value).flatMap(spans));
  }
  return [];
}

const articles = new Map(); // article_id -> { record, events: Map(id -> event), trace }
const done = new Set();

function add(kind, record, headers) {
  const article = articles.get(record.article_id) ?? { record: null, events: new Map(), trace: null };
  articles.set(record.article_id, article);
  if (kind === "article") {
    if (article.record?.revision !== record.revision) {
      for (const [id, e] of article.events) if (e.revision !== record.revision) article.events.delete(id);
    }
    article.record = record;
    article.trace = headers.traceparent ?? null;
  } else if (!article.record || record.revision === article.record.revision) {
    article.events.set(record.id, record); // upsert by id: replays are harmless
  }
  const a = article.record;
  if (!a || article.events.size < a.counts.events || done.has(record.article_id)) return null;
  const texts = { body: Array.from(a.body), title: Array.from(a.title ?? "") };
  let checked = 0;
  for (const event of article.events.values()) {
    for (const span of spans(event)) {
      const points = texts[span.field];
      const text = sliceCodePoints(points, span.start, span.end);
      const raw = span.field === "body" ? a.body : a.title;
      const viaUtf16 = raw.slice(utf16Index(raw, span.start), utf16Index(raw, span.end));
      if (text !== span.text || viaUtf16 !== span.text) {
        throw new Error(`span mismatch: ${JSON.stringify(span)} -> ${JSON.stringify(text)}`);
      }
      checked++;
    }
  }
  done.add(record.article_id);
  return {
    article_id: record.article_id,
    revision: a.revision,
    events: article.events.size,
    spans_checked: checked,
    traceparent: article.trace,
  };
}

const kafka = new Kafka({ brokers: args.bootstrap.split(","), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({
  groupId: args.group,
  readUncommitted: false, // read_committed: Wirestream writes in transactions
  maxBytesPerPartition: 9 * 1024 * 1024, // records can be as large as the body
});
const wanted = Number(args.articles);
let complete = 0;

const timer = setTimeout(async () => {
  console.error(`timed out with ${complete} of ${wanted} articles complete`);
  await consumer.disconnect();
  process.exit(1);
}, Number(args.timeout) * 1000);

await consumer.connect();
await consumer.subscribe({
  topics: [`${args.prefix}articles`, `${args.prefix}events`],
  fromBeginning: true,
});
await consumer.run({
  eachMessage: async ({ message }) => {
    const headers = Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString("utf8")]),
    );
    const kind = headers["wirestream-kind"];
    if ((kind !== "article" && kind !== "event") || headers["wirestream-schema-version"] !== "1") return;
    let line;
    try {
      line = add(kind, JSON.parse(message.value.toString("utf8")), headers);
    } catch (error) {
      console.error(error.message);
      process.exit(1);
    }
    if (line) {
      console.log(JSON.stringify(line));
      if (++complete >= wanted) {
        clearTimeout(timer);
        // Disconnect after this handler returns (kafkajs waits for it), then exit.
        setImmediate(() => consumer.disconnect().then(() => process.exit(0)));
      }
    }
  },
});
