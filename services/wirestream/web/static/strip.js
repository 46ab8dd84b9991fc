// The stream strip: records per second by kind, dead letters, the extractor's lag per partition.
import { clear, el } from "./dom.js";

export function renderStrip(container, stats) {
  clear(container);
  const rates = stats.rates || {};
  const kinds = Object.keys(rates);
  const rate = el("span", "strip-part strip-rates");
  rate.append(el("b", null, "records/s "));
  rate.append(document.createTextNode(kinds.length ? kinds.map((k) => `${k} ${rates[k]}`).join(" · ") : "0"));
  container.append(rate);
  if (stats.dead_letters !== undefined) {
    const dead = el("span", "strip-part strip-dlq");
    dead.append(el("b", null, "dead letters "), document.createTextNode(String(stats.dead_letters)));
    container.append(dead);
  }
  if (stats.lag) {
    const lag = el("span", "strip-part strip-lag");
    lag.append(el("b", null, `lag (${stats.group}) `));
    lag.append(document.createTextNode(stats.lag.map((p) => `p${p.partition} ${p.lag}`).join(" · ")));
    container.append(lag);
  }
  if (stats.error) container.append(el("span", "strip-part strip-error", `broker: ${stats.error}`));
}
