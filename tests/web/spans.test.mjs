// node --test: the article view's span segmentation (services/wirestream/web/static/spans.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { articleSpans, segments } from "../../services/wirestream/web/static/spans.js";

test("offsets are code points: an emoji before a span does not shift it", () => {
  const text = "🙂 Kyiv said";
  const pieces = segments(text, [{ start: 2, end: 6, kind: "entity" }]);
  assert.deepEqual(pieces.map((p) => p.text), ["🙂 ", "Kyiv", " said"]);
  assert.equal(pieces[1].spans[0].kind, "entity");
});

test("nested spans: the innermost comes first, every piece knows all that cover it", () => {
  const text = "Peskov said peace is near";
  const quote = { start: 12, end: 25, kind: "quote" };
  const ent = { start: 12, end: 17, kind: "entity" };
  const pieces = segments(text, [quote, ent]);
  assert.deepEqual(pieces.map((p) => p.text), ["Peskov said ", "peace", " is near"]);
  assert.deepEqual(pieces[1].spans.map((s) => s.kind), ["entity", "quote"]);
  assert.deepEqual(pieces[2].spans.map((s) => s.kind), ["quote"]);
  assert.equal(pieces.map((p) => p.text).join(""), text);
});

test("spans outside the text or empty are ignored", () => {
  const pieces = segments("abc", [{ start: 2, end: 9, kind: "entity" }, { start: 1, end: 1, kind: "quote" }]);
  assert.deepEqual(pieces.map((p) => [p.text, p.spans.length]), [["abc", 0]]);
});

test("articleSpans takes each field's spans from entities, quotes, events and noise", () => {
  const view = {
    article: { noise: [{ reason: "boilerplate", span: { start: 0, end: 4, field: "body" } }] },
    entities: [{ id: "e", type: "PERSON", mentions: [{ start: 5, end: 9, field: "body" }, { start: 0, end: 2, field: "title" }] }],
    quotes: [{ id: "q", span: { start: 10, end: 12, field: "body" } }],
    events: [{ id: "v", type: "AID", trigger: { start: 12, end: 14, field: "body" } }],
  };
  const body = articleSpans(view, "body").map((s) => `${s.kind}:${s.label}`);
  assert.deepEqual(body, ["entity:PERSON", "quote:QUOTE", "event:AID", "noise:boilerplate"]);
  assert.deepEqual(articleSpans(view, "title").map((s) => s.record.id), ["e"]);
});

test("articleSpans highlights every mention of an event, or its trigger when it has none", () => {
  const trigger = { start: 2, end: 9, field: "body" };
  const view = {
    events: [
      { id: "a", type: "ASSAULT", trigger, mentions: [trigger, { start: 20, end: 27, field: "body" }] },
      { id: "b", type: "AID", trigger: { start: 30, end: 34, field: "body" }, mentions: [] },
    ],
  };
  const body = articleSpans(view, "body").map((s) => `${s.record.id}:${s.start}-${s.end}`);
  assert.deepEqual(body, ["a:2-9", "a:20-27", "b:30-34"]);
});
