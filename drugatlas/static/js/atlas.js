// Drug Policy Atlas: progressive enhancement for the home map. No dependencies, no build.
// Without this file the page works fully: states are links, layers and years are links and a form.
// With it: tooltips on hover and focus, a state panel on click or Enter, layer/year/sort changes
// without a reload (the URL follows, Back works), and arrow keys move between states.

const labels = JSON.parse(document.getElementById("atlas-labels")?.textContent || "{}");
const words = labels.words || {};
const w = (key) => words[key] || key;

const live = document.createElement("p");
live.className = "skip";
live.setAttribute("aria-live", "polite");
document.body.append(live);

const tooltip = document.createElement("div");
tooltip.className = "tooltip";
tooltip.setAttribute("role", "tooltip");
tooltip.id = "map-tooltip";
tooltip.hidden = true;

const view = () => document.getElementById("atlas-view");
const stateLinks = () => [...document.querySelectorAll(".choropleth.states a")];

// --- Map set-up (run again after each swap) ---------------------------------------------

function setUpMap() {
  const svg = document.querySelector(".choropleth.states");
  if (!svg) return;
  const links = stateLinks();
  // The aria-label names each state; drop <title> so the native tooltip does not double ours.
  links.forEach((a, i) => {
    a.querySelector("title")?.remove();
    a.setAttribute("tabindex", i === 0 ? "0" : "-1");
  });
  const ring = document.createElementNS("http://www.w3.org/2000/svg", "use");
  ring.setAttribute("class", "focus-ring");
  ring.setAttribute("aria-hidden", "true");
  svg.append(ring);
  svg.closest(".map-area")?.append(tooltip);
}

function highlight(a) {
  const ring = a.ownerSVGElement?.querySelector(".focus-ring");
  const path = a.querySelector("path");
  if (ring && path) ring.setAttribute("href", "#" + path.id);
}

function showTooltip(a, event) {
  const area = a.closest(".map-area");
  if (!area) return;
  tooltip.textContent = a.getAttribute("aria-label");
  tooltip.hidden = false;
  const box = area.getBoundingClientRect();
  let x, y;
  if (event && event.clientX) {
    x = event.clientX - box.left + 14;
    y = event.clientY - box.top + 14;
  } else {
    const r = a.getBoundingClientRect();
    x = r.left - box.left + r.width / 2;
    y = r.bottom - box.top + 6;
  }
  x = Math.max(0, Math.min(x, box.width - tooltip.offsetWidth));
  tooltip.style.left = x + "px";
  tooltip.style.top = y + "px";
}

function hideTooltip() {
  tooltip.hidden = true;
}

// --- Arrow keys: move to the nearest state in that direction -----------------------------

function centre(a) {
  const b = a.querySelector("path").getBBox();
  return [b.x + b.width / 2, b.y + b.height / 2];
}

function neighbour(from, key) {
  const [fx, fy] = centre(from);
  const dir = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[key];
  let best = null;
  let bestScore = Infinity;
  for (const a of stateLinks()) {
    if (a === from) continue;
    const [x, y] = centre(a);
    const along = (x - fx) * dir[0] + (y - fy) * dir[1];
    if (along <= 0) continue;
    const across = Math.abs((x - fx) * dir[1] + (y - fy) * dir[0]);
    const score = along + 2 * across; // prefer states straight ahead
    if (score < bestScore) {
      bestScore = score;
      best = a;
    }
  }
  return best;
}

function focusState(a) {
  stateLinks().forEach((x) => x.setAttribute("tabindex", x === a ? "0" : "-1"));
  a.focus();
}

// --- The state panel ---------------------------------------------------------------------

const panel = () => document.getElementById("state-panel");
let panelOpener = null;

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// Figures are written as drugatlas/formatting.py writes them: rounded half away from zero to
// the measure's precision, with the page's separators (labels.conventions), not the browser's.
function rounded(v, decimals) {
  // Shift by the decimal exponent in text so 413.85 is 41385, not 41384.999…
  let shifted = Math.round(Number(Math.abs(v) + "e" + decimals));
  if (!Number.isFinite(shifted)) shifted = Math.round(Math.abs(v) * 10 ** decimals); // 1e-7
  const text = (decimals > 0 ? Number(shifted + "e-" + decimals) : shifted).toFixed(decimals);
  return (v < 0 && shifted !== 0 ? "-" : "") + text;
}

function number(v, decimals = 0) {
  if (typeof v !== "number") return "";
  const conv = labels.conventions || { decimal: ".", group: "," };
  const [whole, fraction] = rounded(v, decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, conv.group);
  return fraction ? grouped + conv.decimal + fraction : grouped;
}

function currentFigure(a) {
  const p = el("p");
  const heading = document.getElementById("map-heading")?.textContent || "";
  p.append(el("strong", heading + ": "), a.dataset.value);
  const extra = [a.dataset.note, a.dataset.when].filter(Boolean).join("; ");
  if (extra) p.append(" (" + extra + ")");
  if (a.dataset.statute) p.append(". " + w("Statute") + ": " + a.dataset.statute);
  const row = document.querySelector(`#map-table tr[data-abbr="${a.dataset.abbr}"]`);
  const source = row?.querySelector("td:last-child a");
  if (source) {
    p.append(" ");
    const link = source.cloneNode(true);
    link.textContent = w("Source") + ": " + source.textContent;
    p.append(link);
  }
  return p;
}

function latestList(latest) {
  const ul = el("ul");
  const m = labels.measures || {};
  const item = (slug, suffix = "") => {
    const x = latest[slug];
    if (!x) return;
    const flags = (x.flags || []).filter((f) => f !== "low_coverage" || slug.startsWith("drug_arrest"));
    const li = el("li", `${m[slug] || slug}: ${number(x.value, (labels.decimals || {})[slug] || 0)}${suffix} (${x.period}${flags.length ? ", " + flags.join(", ").replaceAll("_", " ") : ""})`);
    if (x.source) li.append(" ", el("a", w("source"), { href: sourcesPage() + "#source-" + x.source }));
    ul.append(li);
  };
  item("overdose_death_rate_age_adjusted");
  item("overdose_death_rate_crude");
  item("drug_arrests");
  item("drug_arrest_rate");
  item("arrest_coverage_share", "%");
  return ul;
}

function lawsList(laws) {
  const ul = el("ul");
  for (const law of laws) {
    const topic = (labels.topics || {})[law.topic] || law.topic;
    const status = ((labels.statuses || {})[law.topic] || {})[law.status] || law.status;
    const li = el("li", `${topic}: ${status}`);
    // The consequences of a conviction are known to the year at best (docs/codebook.md);
    // other dates are served as precisely as known: "2021", "2021-07" or a full date.
    const yearOnly = (labels.consequences || []).includes(law.topic);
    // An attested date is when a source confirms the class, never when it began.
    if (law.valid_from && law.status !== "unknown" && law.date_basis === "attested") {
      li.append(` (${w("attested").replace("%(date)s", law.valid_from)})`);
    } else if (law.valid_from && law.status !== "unknown") {
      li.append(` (${w("since")} ${yearOnly ? law.valid_from.slice(0, 4) : law.valid_from})`);
    }
    if (law.statute) {
      const detail = [law.grade, law.max_penalty].filter(Boolean).join("; ");
      li.append(`. ${w("Statute")}: ${law.statute}${detail ? " (" + detail + ")" : ""}`);
      if (law.statute_url) li.append(" ", el("a", w("statute text"), { href: law.statute_url }));
    }
    const secondary = law.statute ? law.secondary_citations || [] : law.citations || [];
    if (secondary.length) {
      li.append(" ", el("a", law.statute ? w("secondary sources") : w("citation"), { href: secondary[0] }));
    }
    ul.append(li);
  }
  return ul;
}

// `a`: the state's shape on the map; `opener`: what was pressed (focus returns there).
async function openPanel(a, opener = a) {
  const box = panel();
  if (!box) return;
  panelOpener = opener;
  box.replaceChildren();
  const close = el("button", "×", { type: "button", class: "close", "aria-label": w("Close") });
  close.addEventListener("click", closePanel);
  const h = el("h2", a.dataset.name, { id: "panel-heading", tabindex: "-1" });
  const status = el("p", w("Loading…"));
  box.append(close, h, currentFigure(a), status);
  box.hidden = false;
  h.focus();
  try {
    // data-api: where state summaries are (the API, or the static export's files).
    const api = box.dataset.api || "/api/v1/states/";
    const abbr = encodeURIComponent(a.dataset.abbr.toLowerCase());
    const response = await fetch(`${api}${abbr}${box.dataset.apiSuffix || ""}`);
    if (!response.ok) throw new Error(response.status);
    const data = await response.json();
    if (panelOpener !== opener) return;
    const parts = [];
    if (data.laws_in_force?.length) parts.push(el("h3", w("Laws in force today")), lawsList(data.laws_in_force));
    if (data.latest && Object.keys(data.latest).length) parts.push(el("h3", w("Latest figures")), latestList(data.latest));
    status.replaceWith(...parts);
  } catch (err) {
    status.textContent = w("The summary could not be loaded.");
  }
  const more = el("p");
  more.append(el("a", w("Full state profile: law history, trends, bills"), { href: a.getAttribute("href") }));
  box.append(more);
}

function closePanel() {
  const box = panel();
  if (!box || box.hidden) return;
  box.hidden = true;
  const opener = panelOpener && document.contains(panelOpener) ? panelOpener
    : document.querySelector(`.choropleth a[data-abbr="${panelOpener?.dataset.abbr}"]`);
  panelOpener = null;
  if (opener?.closest(".small-states")) opener.focus();
  else if (opener) focusState(opener);
}

// --- Swapping the view without a reload --------------------------------------------------

let loading = null;
let shown = location.pathname + location.search;

async function load(url, { push = true, focusSelector = null } = {}) {
  const current = view();
  if (!current) return location.assign(url);
  loading?.abort();
  loading = new AbortController();
  current.setAttribute("aria-busy", "true");
  let html;
  try {
    const response = await fetch(url, { signal: loading.signal, headers: { Accept: "text/html" } });
    if (!response.ok) return location.assign(url); // let the server's error page speak
    html = await response.text();
  } catch (err) {
    if (err.name === "AbortError") return;
    return location.assign(url);
  }
  const doc = new DOMParser().parseFromString(html, "text/html");
  const next = doc.getElementById("atlas-view");
  if (!next) return location.assign(url);
  hideTooltip();
  current.replaceWith(document.adoptNode(next));
  document.title = doc.title;
  if (push) history.pushState({ atlas: true }, "", url);
  shown = location.pathname + location.search;
  setUpMap();
  const heading = document.getElementById("map-heading");
  live.textContent = (w("Map updated") + ": " + (heading?.textContent || "")).trim();
  const target = focusSelector && document.querySelector(focusSelector);
  (target || heading)?.focus?.({ preventScroll: !!target });
}

// Another view of this map: same page (/, /es/ or an export's file), other parameters.
function sameOriginView(a) {
  return a.origin === location.origin && a.pathname === location.pathname && a.search;
}

// The sources page in this page's language (read from the navigation, so an export's links work).
function sourcesPage() {
  return document.querySelector("#atlas-view a[href*='#layer-']")?.href.split("#")[0] || "/sources/";
}

// The map's form: its action is this page's own URL in this language (or the export's file).
function viewURL(form) {
  return (form.getAttribute("action") || location.pathname) + "?" + new URLSearchParams(new FormData(form)).toString();
}

// --- Events (delegated, so they survive swaps) -------------------------------------------

document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
      event.shiftKey || event.altKey) return;
  const a = event.target.closest("a");
  if (!a) return;
  if (a.closest(".choropleth.states")) {
    event.preventDefault();
    openPanel(a);
    return;
  }
  // The small states' links under the map (phones): the same panel as their map shapes.
  const shape = a.closest(".small-states") &&
    document.querySelector(`.choropleth.states a[data-abbr="${a.dataset.abbr}"]`);
  if (shape) {
    event.preventDefault();
    openPanel(shape, a);
    return;
  }
  if (a.closest("#atlas-view") && sameOriginView(a)) {
    event.preventDefault();
    const layer = a.dataset.layer;
    load(a.href, { focusSelector: layer ? `.layers a[data-layer="${layer}"]` : null });
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches?.("#atlas-view form.controls")) return;
  event.preventDefault();
  load(viewURL(form));
});

let typing = null;
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches?.("#atlas-view .controls select, #atlas-view .controls input[type=date]")) return;
  if (input.type === "date" && !input.value) return;
  clearTimeout(typing);
  // A date typed field by field fires several changes: wait until the typing stops.
  typing = setTimeout(() => {
    load(viewURL(input.form), { focusSelector: "#" + input.id });
  }, input.type === "date" ? 600 : 0);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    hideTooltip();
    if (panel() && !panel().hidden) closePanel();
    return;
  }
  const a = event.target.closest?.(".choropleth.states a");
  if (!a || !event.key.startsWith("Arrow")) return;
  event.preventDefault();
  const next = neighbour(a, event.key);
  if (next) focusState(next);
});

for (const type of ["pointerover", "focusin"]) {
  document.addEventListener(type, (event) => {
    const a = event.target.closest?.(".choropleth.states a");
    if (!a) return;
    highlight(a);
    showTooltip(a, type === "pointerover" ? event : null);
    if (type === "focusin") stateLinks().forEach((x) => x.setAttribute("tabindex", x === a ? "0" : "-1"));
  });
}
document.addEventListener("pointermove", (event) => {
  const a = event.target.closest?.(".choropleth.states a");
  if (a && !tooltip.hidden) showTooltip(a, event);
});
for (const type of ["pointerout", "focusout"]) {
  document.addEventListener(type, (event) => {
    if (event.target.closest?.(".choropleth.states a")) hideTooltip();
  });
}

window.addEventListener("popstate", () => {
  // Moving between in-page anchors changes only the hash: nothing to load.
  if (location.pathname + location.search !== shown) load(location.href, { push: false });
});

history.replaceState({ atlas: true }, "", location.href);
setUpMap();
