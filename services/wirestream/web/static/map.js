// The map: Natural Earth country outlines (world-atlas, served from /static/vendor/, decoded with
// topojson-client) in an equirectangular SVG, and a marker per geolocated event in the feed.
import { clear, el, svg } from "./dom.js";

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

  update(items) {
    clear(this.markers);
    let shown = 0;
    // Oldest first so the newest marker is drawn on top.
    for (let i = Math.min(items.length, MAX_MARKERS) - 1; i >= 0; i -= 1) {
      const item = items[i];
      const place = item.place;
      if (!place || typeof place.lat !== "number" || typeof place.lon !== "number") continue;
      const [x, y] = project(place.lon, place.lat);
      const marker = svg("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: 1.6, class: `marker type-${item.type}` });
      marker.dataset.id = item.id;
      marker.dataset.articleId = item.article_id;
      const title = svg("title");
      title.textContent = `${item.type} · ${place.name || ""}`;
      marker.append(title);
      marker.addEventListener("click", () => this.onSelect(item));
      this.markers.append(marker);
      shown += 1;
    }
    this.root.dataset.markers = String(shown);
  }
}
