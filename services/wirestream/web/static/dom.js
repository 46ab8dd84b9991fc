// DOM helpers. Every piece of data goes in as a text node (textContent), never as HTML.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const QUALIFIERS = {
  exact: "",
  at_least: "at least ",
  about: "about ",
  up_to: "up to ",
  more_than: "more than ",
  less_than: "fewer than ",
};

export function countText(count) {
  const q = QUALIFIERS[count.qualifier] ?? `${count.qualifier} `;
  const of = count.of ? ` ${count.of}` : "";
  return `${count.label} ${q}${count.value}${of}`;
}

// An incident's reconciled count: "killed 5 (4–5, 3 reports)"; "at least", "about" as reconciled.
export function incidentCountText(count) {
  const q = QUALIFIERS[count.qualifier] ?? `${count.qualifier} `;
  const range = count.high === null || count.high === undefined ? `${count.low}+` : `${count.low}–${count.high}`;
  const reports = `${count.reports} report${count.reports === 1 ? "" : "s"}`;
  return `${count.label} ${q}${count.value} (${range}, ${reports})`;
}

export function timeText(ms) {
  if (!ms) return "";
  const d = new Date(ms);
  return d.toISOString().replace("T", " ").slice(0, 19) + "Z";
}
