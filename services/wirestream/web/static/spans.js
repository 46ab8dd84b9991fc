// Highlights as displaCy draws them: the text cut at every span boundary (offsets are Unicode
// code points, so the text is split with Array.from), each piece with the spans covering it.

// spans: [{start, end, kind, label, record}]; returns [{text, spans}] covering the whole text.
export function segments(text, spans) {
  const chars = Array.from(text || "");
  const cuts = new Set([0, chars.length]);
  const valid = spans.filter((s) => s.start >= 0 && s.end <= chars.length && s.start < s.end);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = valid.filter((s) => s.start <= a && s.end >= b);
    // innermost (shortest) first: a click opens the most specific record
    covering.sort((x, y) => x.end - x.start - (y.end - y.start));
    pieces.push({ start: a, end: b, text: chars.slice(a, b).join(""), spans: covering });
  }
  return pieces;
}

// The spans of one field ("title" or "body") of an article view.
export function articleSpans(view, field) {
  const spans = [];
  const inField = (span) => span && (span.field || "body") === field;
  for (const entity of view.entities || []) {
    for (const mention of entity.mentions || []) {
      if (inField(mention)) spans.push({ ...mention, kind: "entity", label: entity.type, record: entity, recordKind: "entity" });
    }
  }
  for (const quote of view.quotes || []) {
    if (inField(quote.span)) spans.push({ ...quote.span, kind: "quote", label: "QUOTE", record: quote, recordKind: "quote" });
  }
  for (const event of view.events || []) {
    // every word of the event (its mentions, the trigger among them); older records: the trigger
    const words = event.mentions && event.mentions.length ? event.mentions : [event.trigger];
    for (const word of words) {
      if (inField(word)) spans.push({ ...word, kind: "event", label: event.type, record: event, recordKind: "event" });
    }
  }
  for (const incident of view.incidents || []) {
    const span = incident.span || incident.trigger;
    if (inField(span)) spans.push({ ...span, kind: "incident", label: incident.type || "INCIDENT", record: incident, recordKind: "incident" });
  }
  for (const noise of (view.article && view.article.noise) || []) {
    if (inField(noise.span)) spans.push({ ...noise.span, kind: "noise", label: noise.reason, record: noise, recordKind: "noise" });
  }
  return spans;
}
