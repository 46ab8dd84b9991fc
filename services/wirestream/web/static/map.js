// The map: Natural Earth country outlines (world-atlas, served from /static/vendor/, decoded with
// topojson-client) in an equirectangular SVG, and a marker per geolocated event and incident in
// the feed (an incident's marker is larger, class marker-incident).
import { el, svg } from "./dom.js";

const MAX_MARKERS = 2000;
const WIDTH = 360;
const HEIGHT = 180;

function project(lon, lat) {
  return [lon + 180, 90 - lat];
}

// One SVG path for a GeoJSON geometry; a ring crossing the antimeridian starts a new subpath.
function pathData(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const parts = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let previous = null;
      ring.forEach(([lon, lat]) => {
        const [x, y] = project(lon, lat);
        const jump = previous !== null && Math.abs(lon - previous) > 180;
        parts.push(`${previous === null || jump ? "M" : "L"}${x.toFixed(2)},${y.toFixed(2)}`);
        previous = lon;
      });
      parts.push("Z");
    }
  }
  return parts.join("");
}

export class EventMap {
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.root = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "map-svg", role: "img" });
    this.land = svg("g", { class: "land" });
    this.markers = svg("g", { class: "markers" });
    this.drawn = new Map(); // item id -> its marker
    this.root.append(svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "sea" }));
    this.root.append(this.land, this.markers);
    container.append(this.root);
    this.note = el("p", "map-note");
    container.append(this.note);
  }

  async loadBasemap() {
    if (!window.topojson) {
      this.note.textContent = "basemap not installed (make install copies it into static/vendor)";
      return;
    }
    const response = await fetch("/static/vendor/countries-110m.json");
    if (!response.ok) {
      this.note.textContent = `basemap not found (${response.status}): run make install`;
      return;
    }
    const world = await response.json();
    const countries = window.topojson.feature(world, world.objects.countries);
    for (const feature of countries.features) {
      if (!feature.geometry) continue;
      const path = svg("path", { d: pathData(feature.geometry), class: "country" });
      const title = svg("title");
      title.textContent = feature.properties && feature.properties.name ? feature.properties.name : "";
      path.append(title);
      this.land.append(path);
    }
    this.root.dataset.countries = String(countries.features.length);
  }

  // Markers of the newest MAX_MARKERS geolocated items: only new ones are drawn (on top) and
  // those that fell off are removed, so a busy feed does not redraw the whole map.
  update(items) {
    const wanted = new Map();
    for (const item of items) {
      if (wanted.size >= MAX_MARKERS) break;
      const place = item.place;
      if (place && typeof place.lat === "number" && typeof place.lon === "number") wanted.set(item.id, item);
    }
    for (const [id, marker] of this.drawn) {
      if (!wanted.has(id)) {
        marker.remove();
        this.drawn.delete(id);
      }
    }
    const fresh = [...wanted.values()].filter((item) => !this.drawn.has(item.id)).reverse();
    for (const item of fresh) {
      const [x, y] = project(item.place.lon, item.place.lat);
      const incident = item.kind === "incident";
      const marker = svg("circle", {
        cx: x.toFixed(2),
        cy: y.toFixed(2),
        r: incident ? 2.6 : 1.6,
        class: `marker marker-${item.kind} type-${item.type}`,
      });
      marker.dataset.id = item.id;
      marker.dataset.kind = item.kind;
      if (item.article_id) marker.dataset.articleId = item.article_id;
      const title = svg("title");
      title.textContent = `${incident ? "incident " : ""}${item.type} · ${item.place.name || ""}`;
      marker.append(title);
      marker.addEventListener("click", () => this.onSelect(item));
      this.markers.append(marker);
      this.drawn.set(item.id, marker);
    }
    this.root.dataset.markers = String(this.drawn.size);
  }
}
