// The event feed: newest first, at most pageLimit events and incidents, rendered as a virtual
// list (only the rows in view exist in the DOM), so 10,000 events scroll without freezing.
import { countText, el, incidentCountText, timeText } from "./dom.js";

const GONE = new Set(["merged", "dissolved"]); // an incident's last record: it leaves the feed

export const ROW_HEIGHT = 76;
const OVERSCAN = 6;

export class Feed {
  constructor(container, spacer, counter, articles, onSelect) {
    this.container = container;
    this.spacer = spacer;
    this.counter = counter;
    this.articles = articles; // article id -> article summary (for the source)
    this.onSelect = onSelect;
    this.items = [];
    this.ids = new Set();
    this.limit = 10000;
    this.selected = null;
    this.rows = [];
    this.pending = false;
    this.changed = false;
    this.listeners = [];
    container.addEventListener("scroll", () => this.schedule());
    window.addEventListener("resize", () => this.schedule());
  }

  reset() {
    this.items = [];
    this.ids.clear();
    this.schedule(true);
  }

  // items: oldest first; they go on top, newest first. An id already shown is a revised record
  // (the server sends an id again only for kinds revised in place, incidents): it moves to the top.
  // A merged or dissolved incident is removed (from the feed, and so from the map).
  add(items) {
    const batch = new Map(); // id -> its latest item in this batch, in arrival order
    const revised = new Set();
    for (const item of items) {
      if (this.ids.has(item.id)) revised.add(item.id);
      this.ids.add(item.id);
      batch.delete(item.id);
      batch.set(item.id, item);
    }
    for (const [id, item] of batch) {
      if (item.kind === "incident" && GONE.has(item.status)) {
        batch.delete(id);
        this.ids.delete(id);
        revised.add(id);
      }
    }
    const fresh = [...batch.values()];
    if (!fresh.length && !revised.size) return;
    if (revised.size) this.items = this.items.filter((item) => !revised.has(item.id));
    fresh.reverse();
    this.items = fresh.concat(this.items);
    if (this.items.length > this.limit) {
      for (const dropped of this.items.splice(this.limit)) this.ids.delete(dropped.id);
    }
    this.schedule(true);
  }

  // Render in the next frame; listeners (the map) only hear of changed items, not of scrolling.
  schedule(changed = false) {
    this.changed = this.changed || changed;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
      if (!this.changed) return;
      this.changed = false;
      for (const listener of this.listeners) listener(this.items);
    });
  }

  render() {
    const total = this.items.length;
    this.counter.textContent = `${total} event${total === 1 ? "" : "s"}`;
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.container.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(this.container.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(total, first + visible);
    for (const row of this.rows) row.remove();
    this.rows = [];
    for (let i = first; i < last; i += 1) {
      const row = this.row(this.items[i]);
      row.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      this.container.appendChild(row);
      this.rows.push(row);
    }
  }

  row(item) {
    const row = el("div", item.kind === "incident" ? "row row-incident" : "row");
    row.dataset.id = item.id;
    row.dataset.kind = item.kind;
    if (item.article_id) row.dataset.articleId = item.article_id;
    row.dataset.type = item.type;
    if (item.id === this.selected) row.classList.add("selected");
    const head = el("div", "row-head");
    if (item.kind === "incident") head.append(el("span", "badge", "incident"));
    head.append(el("span", `type type-${item.type}`, item.type));
    if (item.mode) head.append(el("span", "mode", item.mode));
    const place = item.place;
    if (place && place.name) {
      head.append(el("span", "place", place.country ? `${place.name}, ${place.country}` : place.name));
    }
    head.append(el("span", "time", timeText(item.time)));
    row.append(head);
    const counter = item.kind === "incident" ? incidentCountText : countText;
    const counts = (item.counts || []).map(counter).join(" · ");
    if (counts) row.append(el("div", "counts", counts));
    const who = el("div", "who");
    who.append(
      el("span", "actors", (item.actors || []).join(", ") || "—"),
      el("span", "arrow", " → "),
      el("span", "recipients", (item.recipients || []).join(", ") || "—"),
    );
    row.append(who);
    row.append(el("div", "source", item.kind === "incident" ? sourcesText(item) : this.source(item)));
    row.addEventListener("click", () => {
      this.selected = item.id;
      this.schedule();
      this.onSelect(item);
    });
    return row;
  }

  source(item) {
    const article = this.articles.get(item.article_id);
    return article ? [article.source, article.title].filter(Boolean).join(": ") : item.article_id;
  }
}

// "3 articles · 2 outlets · independent: AP, Reuters · reported 10:00Z–12:00Z"
export function sourcesText(item) {
  const s = item.sources || {};
  const n = s.articles || 0;
  const outlets = (s.outlets || []).length;
  const parts = [`${n} article${n === 1 ? "" : "s"}`, `${outlets} outlet${outlets === 1 ? "" : "s"}`];
  const independent = s.independent_outlets || [];
  parts.push(`independent: ${independent.join(", ") || "—"}`);
  const first = item.first_reported || "";
  const last = item.last_reported || "";
  if (first) parts.push(first === last ? `reported ${first}` : `reported ${first} – ${last}`);
  return parts.join(" · ");
}
