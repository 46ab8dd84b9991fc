// The article view: title and cleaned text with entity, quote and event spans highlighted;
// noise (what cleaning set aside) greyed. Each highlight opens its record's JSON.
import { articleSpans, segments } from "./spans.js";
import { clear, el } from "./dom.js";

const LABELLED = new Set(["entity", "event", "incident"]);

function render(container, text, spans, onRecord) {
  for (const piece of segments(text, spans)) {
    if (!piece.spans.length) {
      container.append(document.createTextNode(piece.text));
      continue;
    }
    const mark = el("span", "mark", piece.text);
    for (const span of piece.spans) mark.classList.add(`k-${span.kind}`);
    const inner = piece.spans[0];
    mark.dataset.kinds = piece.spans.map((s) => s.kind).join(" ");
    mark.dataset.recordKind = inner.recordKind;
    if (inner.record && inner.record.id) mark.dataset.recordId = inner.record.id;
    mark.title = `${inner.kind}: ${inner.label}`;
    mark.addEventListener("click", (event) => {
      event.stopPropagation();
      onRecord(inner.recordKind, inner.record);
    });
    container.append(mark);
    for (const span of piece.spans) {
      if (LABELLED.has(span.kind) && span.end === piece.end) {
        container.append(el("span", `label k-${span.kind}`, span.label));
      }
    }
  }
}

export async function showArticle(container, articleId, onRecord) {
  clear(container);
  container.append(el("p", "hint", "loading…"));
  const response = await fetch(`/api/articles/${encodeURIComponent(articleId)}`);
  clear(container);
  if (!response.ok) {
    container.append(el("p", "hint", `article ${articleId}: not kept by the live view (${response.status})`));
    return;
  }
  const view = await response.json();
  const article = view.article;
  container.dataset.articleId = articleId;
  const title = el("h2", "article-title");
  if (article && article.title) render(title, article.title, articleSpans(view, "title"), onRecord);
  else title.textContent = articleId;
  container.append(title);
  if (article) {
    const meta = [article.source, article.published_at, article.url, `${article.language}`].filter(Boolean);
    const line = el("p", "article-meta", meta.join(" · "));
    line.addEventListener("click", () => onRecord("article", article));
    container.append(line);
  } else {
    container.append(el("p", "hint", "the article record has not arrived yet"));
  }
  const legend = el("p", "legend");
  for (const kind of ["entity", "quote", "event", "noise"]) legend.append(el("span", `mark k-${kind}`, kind));
  container.append(legend);
  const body = el("div", "article-body");
  if (article) render(body, article.body, articleSpans(view, "body"), onRecord);
  container.append(body);
  container.dataset.loaded = String(Date.now());
}
