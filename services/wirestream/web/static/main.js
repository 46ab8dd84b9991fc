// The live view's page: wires the stream to the feed, map, article, speakers and strip.
import { showArticle } from "./article.js";
import { el } from "./dom.js";
import { Feed } from "./feed.js";
import { EventMap } from "./map.js";
import { Speakers } from "./speakers.js";
import { renderStrip } from "./strip.js";
import { Stream } from "./stream.js";

const $ = (id) => document.getElementById(id);
const articles = new Map();
let activeTab = "article";
let typesShown = false;

function showTab(name) {
  activeTab = name;
  for (const button of document.querySelectorAll(".tab")) button.classList.toggle("active", button.dataset.tab === name);
  for (const tab of ["article", "speakers", "record"]) $(`tab-${tab}`).classList.toggle("hidden", tab !== name);
  if (name === "speakers") speakers.render();
}

function showRecord(kind, record) {
  $("record-json").textContent = JSON.stringify(record, null, 2);
  $("record-json").dataset.kind = kind;
  showTab("record");
}

async function openRecord(kind, item) {
  const query = new URLSearchParams(item.article_id ? { article_id: item.article_id } : {}).toString();
  const response = await fetch(`/api/records/${kind}/${encodeURIComponent(item.id)}?${query}`);
  showRecord(kind, response.ok ? await response.json() : item);
}

// An event opens its article; an incident (many articles) opens its record.
function select(item) {
  if (item.kind === "incident") {
    openRecord("incident", item);
    return;
  }
  showTab("article");
  showArticle($("tab-article"), item.article_id, showRecord);
}

const feed = new Feed($("feed"), $("feed-spacer"), $("feed-count"), articles, select);
const map = new EventMap($("map"), (item) => select(item));
const speakers = new Speakers($("tab-speakers"), (quote) => openRecord("quote", quote));
feed.listeners.push((items) => map.update(items));

function status(state) {
  const node = $("status");
  node.textContent = state;
  node.className = `status status-${state}`;
}

const stream = new Stream({
  status,
  hello(hello) {
    feed.limit = hello.page_limit;
    feed.reset();
    speakers.reset();
    if (!typesShown) {
      typesShown = true;
      const select = $("f-type");
      for (const type of hello.event_types) select.append(el("option", null, type));
    }
  },
  items(items) {
    const events = [];
    const quotes = [];
    for (const item of items) {
      if (item.kind === "article") articles.set(item.article_id, item);
      else if (item.kind === "quote") quotes.push(item);
      else events.push(item); // events, incidents and kinds to come
    }
    if (quotes.length) {
      speakers.add(quotes);
      if (activeTab === "speakers") speakers.render();
    }
    feed.add(events);
    if (!events.length) feed.schedule(); // sources of rows already shown
  },
  live() {},
  stats(stats) {
    renderStrip($("strip"), stats);
  },
});

function millis(input) {
  return input.value ? String(new Date(input.value).getTime()) : "";
}

function filterParams() {
  const params = {};
  const types = [...$("f-type").selectedOptions].map((o) => o.value);
  if (types.length) params.type = types.join(",");
  const country = $("f-country").value.trim();
  if (country.length === 2) params.country = country.toUpperCase();
  const entity = $("f-entity").value.trim();
  if (entity) params.entity = entity;
  const since = millis($("f-since"));
  if (since) params.since = since;
  const until = millis($("f-until"));
  if (until) params.until = until;
  return params;
}

let debounce = null;
function refilter() {
  clearTimeout(debounce);
  debounce = setTimeout(() => stream.open(filterParams()), 250);
}

for (const id of ["f-type", "f-since", "f-until"]) $(id).addEventListener("change", refilter);
for (const id of ["f-country", "f-entity"]) $(id).addEventListener("input", refilter);
$("filters").addEventListener("submit", (e) => e.preventDefault());
$("f-clear").addEventListener("click", () => {
  $("filters").reset();
  for (const option of $("f-type").options) option.selected = false;
  refilter();
});
for (const button of document.querySelectorAll(".tab")) button.addEventListener("click", () => showTab(button.dataset.tab));

map.loadBasemap().catch((error) => {
  map.note.textContent = `basemap: ${error}`;
});
stream.open({});
