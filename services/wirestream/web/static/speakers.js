// The speakers view: quotes grouped by resolved speaker (entity id, else name), the speaker
// with the newest quote first, each speaker's quotes newest first.
import { clear, el, timeText } from "./dom.js";

const MAX_GROUPS = 100;
const MAX_QUOTES = 20;

export class Speakers {
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.quotes = new Map();
    this.dirty = false;
  }

  reset() {
    this.quotes.clear();
    this.dirty = true;
  }

  add(items) {
    for (const item of items) this.quotes.set(item.id, item);
    this.dirty = true;
  }

  groups() {
    const groups = new Map();
    for (const quote of this.quotes.values()) {
      const group = groups.get(quote.speaker_key) || { name: quote.speaker || "unattributed", quotes: [] };
      group.quotes.push(quote);
      groups.set(quote.speaker_key, group);
    }
    const list = [...groups.values()];
    for (const group of list) group.quotes.sort((a, b) => b.time - a.time);
    list.sort((a, b) => b.quotes[0].time - a.quotes[0].time);
    return list;
  }

  render() {
    if (!this.dirty) return;
    this.dirty = false;
    clear(this.container);
    const groups = this.groups();
    if (!groups.length) this.container.append(el("p", "hint", "no quotes yet"));
    for (const group of groups.slice(0, MAX_GROUPS)) {
      const box = el("section", "speaker");
      box.append(el("h3", "speaker-name", `${group.name} (${group.quotes.length})`));
      for (const quote of group.quotes.slice(0, MAX_QUOTES)) {
        const line = el("p", `quote quote-${quote.type}`);
        line.append(el("span", "time", timeText(quote.time)), el("span", "quote-text", quote.text));
        line.addEventListener("click", () => this.onSelect(quote));
        box.append(line);
      }
      this.container.append(box);
    }
  }
}
