// The tablet viewer: one document, page by page. The page image fits the width (its box has the page's aspect from
// width_pt/height_pt, so nothing jumps while it loads); swipe, arrow keys, PageUp/PageDown, the big buttons or the
// page box turn pages; pinch, double-tap or +/− zoom with a CSS transform, and past 1.3× the sharper `hd` image is
// swapped in. While the document is still rendering it is polled every 2 s and pages appear as they become ready.
// Every page shown is reported (debounced) to PUT /reading; the address keeps ?page=n.
// While the meeting is open the viewer joins the live room (room.js): it follows the presenter by default, and the
// chair or the named presenter can present from it (see "the live room" below).

import { connectRoom, throttle } from "./room.js";
import { mountVoteScreen } from "./vote-screen.js";

const config = JSON.parse(document.getElementById("viewer-config").textContent);
const T = config.strings;
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

const $ = (id) => document.getElementById(id);
const viewer = $("viewer");
const stage = $("viewer-stage");
const pageBox = $("viewer-page");
const image = $("page-image");
const placeholder = $("page-placeholder");
const placeholderText = $("page-placeholder-text");
const statusLine = $("viewer-status");
const input = $("page-input");
const countLabel = $("page-count");
const prevButton = $("page-prev");
const nextButton = $("page-next");
const strip = $("thumb-strip");
const sidebar = $("viewer-sidebar");
const toggle = $("sidebar-toggle");
const scrim = $("viewer-scrim");
const zoomInButton = $("zoom-in");
const zoomOutButton = $("zoom-out");

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const pagesText = (n) => fill(n === 1 ? T.pages_one : T.pages_other, { num: n });

let doc = config.document;
let current = 0;
let firstShown = false;

function pageCount() {
  return doc.pages.length || doc.page_count || 0;
}

function pageInfo(n) {
  return doc.pages[n - 1];
}

// ---- showing a page -----------------------------------------------------------------------------------------------

function show(n, { scroll = true } = {}) {
  const total = pageCount();
  if (!total) return;
  n = Math.max(1, Math.min(total, Math.round(n) || 1));
  const changed = n !== current;
  current = n;
  const page = pageInfo(n);
  pageBox.dataset.page = String(n);
  pageBox.style.aspectRatio = `${page.width_pt} / ${page.height_pt}`;
  input.value = String(n);
  countLabel.textContent = String(total);
  prevButton.disabled = n <= 1;
  nextButton.disabled = n >= total;
  if (changed) {
    resetZoom();
    if (scroll) stage.scrollTop = 0;
  }
  drawPage();
  markThumb();
  firstShown = true;
  if (changed) localMove("page");
  if (changed) {
    const url = new URL(window.location.href);
    url.searchParams.set("page", String(n));
    history.replaceState(history.state, "", url);
    report(n);
    preload(n + 1);
  }
}

function drawPage() {
  const page = pageInfo(current);
  if (!page.ready) {
    image.hidden = true;
    image.removeAttribute("src");
    placeholder.hidden = false;
    placeholderText.textContent = fill(T.preparing, { n: current });
    return;
  }
  placeholder.hidden = true;
  image.hidden = false;
  image.alt = fill(T.page, { n: current });
  const wanted = zoom.scale > 1.3 && doc.status === "ready" ? page.hd : page.view;
  if (wanted === page.hd) {
    // Keep the sharp-enough image until the sharper one has arrived.
    if (image.getAttribute("src") !== page.hd) {
      if (image.getAttribute("src") !== page.view) image.src = page.view;
      const hd = new Image();
      const forPage = current;
      hd.onload = () => {
        if (current === forPage && zoom.scale > 1.3) image.src = page.hd;
      };
      hd.src = page.hd;
    }
  } else if (image.getAttribute("src") !== page.view) {
    image.src = page.view;
  }
}

function preload(n) {
  // Confidential pages are watermarked per request and never cached: fetching ahead would only cost twice.
  if (doc.confidentiality !== "none" || n > pageCount() || !pageInfo(n)?.ready) return;
  new Image().src = pageInfo(n).view;
}

// ---- thumbnails ---------------------------------------------------------------------------------------------------

function buildThumbs() {
  strip.textContent = "";
  for (const page of doc.pages) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "thumb";
    button.dataset.page = String(page.number);
    button.setAttribute("aria-label", fill(T.page, { n: page.number }));
    const frame = document.createElement("span");
    frame.className = "thumb-frame";
    frame.style.aspectRatio = `${page.width_pt} / ${page.height_pt}`;
    button.append(frame);
    const number = document.createElement("span");
    number.className = "thumb-number";
    number.textContent = String(page.number);
    button.append(number);
    strip.append(button);
    fillThumb(button, page);
  }
}

function fillThumb(button, page) {
  const frame = button.querySelector(".thumb-frame");
  button.classList.toggle("is-pending", !page.ready);
  if (page.ready && !frame.querySelector("img")) {
    const img = document.createElement("img");
    img.loading = "lazy";
    img.decoding = "async";
    img.alt = "";
    img.draggable = false;
    img.src = page.thumb;
    frame.append(img);
  }
}

function markThumb() {
  for (const el of strip.querySelectorAll(".thumb.is-current")) {
    el.classList.remove("is-current");
    el.removeAttribute("aria-current");
  }
  const el = strip.querySelector(`.thumb[data-page="${current}"]`);
  if (!el) return;
  el.classList.add("is-current");
  el.setAttribute("aria-current", "page");
  const box = strip.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.left < box.left || r.right > box.right) {
    // Smooth while turning pages; at once when the viewer opens on a page far down the strip.
    strip.scrollBy({ left: r.left - box.left - (box.width - r.width) / 2, behavior: firstShown ? "smooth" : "auto" });
  }
}

strip.addEventListener("click", (event) => {
  const button = event.target.closest(".thumb");
  if (button) show(Number(button.dataset.page));
});

// ---- turning pages ------------------------------------------------------------------------------------------------

prevButton.addEventListener("click", () => show(current - 1));
nextButton.addEventListener("click", () => show(current + 1));

$("page-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const n = parseInt(input.value, 10);
  if (Number.isFinite(n)) show(n);
  else input.value = String(current);
  input.blur();
});
input.addEventListener("change", () => {
  const n = parseInt(input.value, 10);
  if (Number.isFinite(n)) show(n);
  else input.value = String(current);
});
input.addEventListener("focus", () => input.select());

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest?.("input, select, textarea")) return;
  const keys = {
    ArrowRight: () => show(current + 1), ArrowLeft: () => show(current - 1),
    PageDown: () => show(current + 1), PageUp: () => show(current - 1),
    Home: () => show(1), End: () => show(pageCount()),
    "+": () => zoomBy(1.5), "=": () => zoomBy(1.5), "-": () => zoomBy(1 / 1.5), "0": () => resetZoom(),
    Escape: () => closeSidebarIfOverlay(),
  };
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

// ---- zoom: a transform on the page, pinch, double-tap, buttons -----------------------------------------------------

const MAX_ZOOM = 4;
const zoom = { scale: 1, x: 0, y: 0 };

function applyZoom() {
  const zoomed = zoom.scale > 1.001;
  pageBox.style.transform = zoomed ? `translate(${zoom.x}px, ${zoom.y}px) scale(${zoom.scale})` : "";
  stage.classList.toggle("is-zoomed", zoomed);
  zoomOutButton.disabled = !zoomed;
  zoomInButton.disabled = zoom.scale >= MAX_ZOOM - 0.01;
  if (current) drawPage();
  if (!layoutOnly) localMove("zoom");
}

function resetZoom() {
  zoom.scale = 1;
  zoom.x = 0;
  zoom.y = 0;
  applyZoom();
}

// Zoom to `scale` keeping the screen point (px, py) where it is.
function zoomAt(scale, px, py) {
  scale = Math.max(1, Math.min(MAX_ZOOM, scale));
  if (scale <= 1.001) {
    resetZoom();
    return;
  }
  const rect = pageBox.getBoundingClientRect(); // includes the current transform (origin 0 0)
  const originX = rect.left - zoom.x;
  const originY = rect.top - zoom.y;
  const localX = (px - rect.left) / zoom.scale;
  const localY = (py - rect.top) / zoom.scale;
  zoom.scale = scale;
  zoom.x = px - originX - localX * scale;
  zoom.y = py - originY - localY * scale;
  clampPan();
  applyZoom();
}

function zoomBy(factor) {
  const box = stage.getBoundingClientRect();
  zoomAt(zoom.scale * factor, box.left + box.width / 2, box.top + box.height / 2);
}

// Keep the enlarged page covering the stage: no empty band can be dragged in.
function clampPan() {
  const box = stage.getBoundingClientRect();
  const rect = pageBox.getBoundingClientRect();
  const originX = rect.left - zoom.x;
  const originY = rect.top - zoom.y;
  const width = pageBox.offsetWidth * zoom.scale;
  const height = pageBox.offsetHeight * zoom.scale;
  const clamp = (value, origin, size, start, length) => {
    if (size <= length) return start + (length - size) / 2 - origin;
    return Math.min(start - origin, Math.max(start + length - size - origin, value));
  };
  zoom.x = clamp(zoom.x, originX, width, box.left, box.width);
  zoom.y = height <= box.height ? Math.min(zoom.y, box.top + box.height - height - originY)
    : clamp(zoom.y, originY, height, box.top, box.height);
}

zoomInButton.addEventListener("click", () => zoomBy(1.5));
zoomOutButton.addEventListener("click", () => (zoom.scale / 1.5 < 1.1 ? resetZoom() : zoomBy(1 / 1.5)));

// ---- touch and pointer gestures on the stage ------------------------------------------------------------------------

const pointers = new Map();
let gesture = null;
let lastTap = null;

function distance(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

stage.addEventListener("pointerdown", (event) => {
  if (event.pointerType === "mouse" && event.button !== 0) return;
  pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (pointers.size === 1) {
    gesture = { kind: "one", startX: event.clientX, startY: event.clientY, startTime: event.timeStamp,
                panX: zoom.x, panY: zoom.y, moved: false };
    if (zoom.scale > 1) stage.setPointerCapture(event.pointerId);
  } else if (pointers.size === 2) {
    const [a, b] = [...pointers.values()];
    gesture = { kind: "pinch", startDistance: distance(a, b) || 1, startScale: zoom.scale };
    lastTap = null;
  }
});

stage.addEventListener("pointermove", (event) => {
  if (!pointers.has(event.pointerId)) return;
  pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (!gesture) return;
  if (gesture.kind === "pinch" && pointers.size >= 2) {
    event.preventDefault();
    const [a, b] = [...pointers.values()];
    zoomAt(gesture.startScale * (distance(a, b) / gesture.startDistance), (a.x + b.x) / 2, (a.y + b.y) / 2);
  } else if (gesture.kind === "one") {
    const dx = event.clientX - gesture.startX;
    const dy = event.clientY - gesture.startY;
    if (Math.abs(dx) > 8 || Math.abs(dy) > 8) gesture.moved = true;
    if (zoom.scale > 1) {
      event.preventDefault();
      zoom.x = gesture.panX + dx;
      zoom.y = gesture.panY + dy;
      clampPan();
      applyZoom();
    }
  }
});

function endPointer(event, cancelled) {
  if (!pointers.has(event.pointerId)) return;
  pointers.delete(event.pointerId);
  if (!gesture) return;
  if (gesture.kind === "pinch") {
    if (pointers.size === 0) gesture = null;
    return;
  }
  const g = gesture;
  gesture = null;
  if (cancelled) return;
  const dx = event.clientX - g.startX;
  const dy = event.clientY - g.startY;
  const quick = event.timeStamp - g.startTime < 800;
  if (zoom.scale <= 1 && quick && Math.abs(dx) > 60 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
    show(current + (dx < 0 ? 1 : -1)); // swipe left: next page
    return;
  }
  if (!g.moved && event.timeStamp - g.startTime < 350) {
    const tap = { x: event.clientX, y: event.clientY, time: event.timeStamp };
    if (lastTap && tap.time - lastTap.time < 350 && distance(tap, lastTap) < 40) {
      lastTap = null;
      if (zoom.scale > 1) resetZoom();
      else zoomAt(2.5, tap.x, tap.y);
    } else {
      lastTap = tap;
    }
  }
}

stage.addEventListener("pointerup", (event) => endPointer(event, false));
stage.addEventListener("pointercancel", (event) => endPointer(event, true));
stage.addEventListener("dblclick", (event) => event.preventDefault());
// Ctrl + wheel (and a trackpad pinch, which arrives as one) zooms too.
stage.addEventListener("wheel", (event) => {
  if (!event.ctrlKey) return;
  event.preventDefault();
  zoomAt(zoom.scale * Math.exp(-event.deltaY / 200), event.clientX, event.clientY);
}, { passive: false });
// A new width re-lays the page out; a browser bar sliding in or out (height only) must not undo a zoom.
let lastWidth = window.innerWidth;
let layoutOnly = false; // a zoom reset by a new window width is not the reader's doing
window.addEventListener("resize", () => {
  if (window.innerWidth !== lastWidth) {
    layoutOnly = true;
    resetZoom();
    layoutOnly = false;
  }
  lastWidth = window.innerWidth;
});

// ---- reading: how far this person got ------------------------------------------------------------------------------

let reportTimer = null;
let pendingPage = null;

function report(n) {
  pendingPage = n;
  clearTimeout(reportTimer);
  reportTimer = setTimeout(flushReport, 600);
}

function flushReport(keepalive = false) {
  clearTimeout(reportTimer);
  if (pendingPage == null) return;
  const page = pendingPage;
  pendingPage = null;
  fetch(config.reading_api, {
    method: "PUT", credentials: "same-origin", keepalive,
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify({ page }),
  }).catch(() => {}); // reading statistics are not worth an error on a tablet
}

window.addEventListener("pagehide", () => flushReport(true));

// ---- rendering progress ----------------------------------------------------------------------------------------------

function showStatus() {
  viewer.dataset.status = doc.status;
  if (doc.status === "processing") {
    statusLine.hidden = false;
    statusLine.className = "viewer-status";
    statusLine.textContent = fill(T.rendering, { done: doc.pages_ready, total: doc.page_count });
  } else if (doc.status === "failed") {
    statusLine.hidden = false;
    statusLine.className = "viewer-status is-error";
    statusLine.textContent = doc.error?.message || T.failed;
  } else {
    statusLine.hidden = true;
  }
}

async function poll() {
  try {
    const response = await fetch(config.document_api, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok) {
      const fresh = await response.json();
      const wasReady = pageInfo(current)?.ready;
      doc = { ...fresh, pages: fresh.pages?.length ? fresh.pages : doc.pages };
      for (const page of doc.pages) {
        const button = strip.querySelector(`.thumb[data-page="${page.number}"]`);
        if (button) fillThumb(button, page);
      }
      if (!wasReady && pageInfo(current)?.ready) drawPage();
      showStatus();
      const meta = document.querySelector(`.viewer-doc[data-document-id="${doc.id}"] .viewer-doc-meta`);
      if (meta) meta.textContent = docMeta(doc);
    }
  } catch {
    // the room's Wi-Fi: try again on the next tick
  }
  if (doc.status === "processing") setTimeout(poll, 2000);
}

function docMeta(d) {
  if (d.status === "ready") return pagesText(d.page_count);
  return d.status === "failed" ? T.failed : fill(T.processing, { done: d.pages_ready, total: d.page_count });
}

// ---- the agenda at the side ---------------------------------------------------------------------------------------

const portrait = window.matchMedia("(max-width: 900px), (orientation: portrait)");

function setSidebar(open) {
  viewer.classList.toggle("sidebar-closed", !open);
  viewer.classList.toggle("sidebar-open", open);
  toggle.setAttribute("aria-expanded", String(open));
  scrim.hidden = !(open && portrait.matches);
}

function closeSidebarIfOverlay() {
  if (portrait.matches && viewer.classList.contains("sidebar-open")) setSidebar(false);
}

toggle.addEventListener("click", () => setSidebar(!viewer.classList.contains("sidebar-open")));
scrim.addEventListener("click", () => setSidebar(false));
portrait.addEventListener("change", () => setSidebar(!portrait.matches));

async function loadAgenda() {
  const list = $("viewer-agenda");
  try {
    const response = await fetch(config.meeting_documents, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    list.textContent = "";
    for (const item of body.agenda_items) {
      const li = document.createElement("li");
      li.className = "viewer-agenda-item";
      li.dataset.itemId = String(item.id);
      if (item.id === doc.agenda_item_id) li.classList.add("is-current");
      const head = document.createElement("div");
      head.className = "viewer-agenda-head";
      const number = document.createElement("span");
      number.className = "viewer-agenda-number";
      number.textContent = String(item.number);
      number.setAttribute("aria-label", fill(T.item, { number: item.number }));
      const title = document.createElement("span");
      title.className = "viewer-agenda-title";
      title.textContent = item.title;
      head.append(number, title);
      li.append(head);
      const docs = document.createElement("ul");
      docs.className = "viewer-docs";
      for (const other of item.documents) {
        const row = document.createElement("li");
        const ready = other.status === "ready";
        const link = document.createElement(ready || other.status === "processing" ? "a" : "span");
        link.className = "viewer-doc";
        link.dataset.documentId = String(other.id);
        if (link.tagName === "A") link.href = `${config.viewer_base}${other.id}`;
        if (other.id === doc.id) {
          link.classList.add("is-current");
          link.setAttribute("aria-current", "page");
        }
        const name = document.createElement("span");
        name.className = "viewer-doc-title";
        name.textContent = other.title;
        const meta = document.createElement("span");
        meta.className = "viewer-doc-meta";
        meta.textContent = docMeta(other);
        link.append(name, meta);
        if (other.confidentiality !== "none") {
          const badge = document.createElement("span");
          badge.className = `conf-badge conf-${other.confidentiality}`;
          badge.textContent = other.confidentiality_label;
          link.append(badge);
        }
        row.append(link);
        docs.append(row);
      }
      if (!item.documents.length) {
        const none = document.createElement("li");
        none.className = "viewer-docs-empty";
        none.textContent = T.no_documents;
        docs.append(none);
      }
      li.append(docs);
      list.append(li);
    }
  } catch {
    list.textContent = "";
    const li = document.createElement("li");
    li.className = "viewer-docs-empty";
    li.textContent = T.agenda_failed;
    list.append(li);
  } finally {
    list.removeAttribute("aria-busy");
  }
}

// ---- the live room: follow the presenter, or present ----------------------------------------------------------------
// Following (the default): a presented page is opened here (another document: navigate to it), with its zoom and
// scroll. Turning a page or zooming by hand stops following; the banner offers one tap back to the presenter's place.
// Presenting (the chair or the named presenter, "Present" on): every page turn is sent at once, zoom and scroll at
// most 5 a second; in pointer mode pressing and dragging on the page moves a red dot on every screen (20 a second).

const live = config.room; // null: the meeting is not open
const R = live?.strings ?? {};
const followToggle = $("follow-toggle");
const presentToggle = $("present-toggle");
const pointerToggle = $("pointer-toggle");
const banner = $("follow-banner");
const bannerText = $("follow-banner-text");
const roomMessage = $("room-message");
const dot = $("pointer-dot");
const presentingKey = live ? `room-presenting-${live.meeting_id}` : "";
const PRESENT_EVERY_MS = 200;
const POINTER_EVERY_MS = 50;

let room = null;
let following = true;
let presenting = false; // this tablet shows the room what it shows
let pointerMode = false;
let pointing = false;
let autoPresentTried = false;
let leaving = false;
let remote = false; // the page or zoom is being changed by the follow code, not by the reader

function quietly(fn) {
  const was = remote;
  remote = true;
  try {
    fn();
  } finally {
    remote = was;
  }
}

function presentation() {
  return room?.state?.presentation ?? null;
}

function mayPresent(state = room?.state) {
  const me = state?.me;
  return Boolean(me && (me.role === "chair" || state.presentation?.presenter?.user_id === me.user_id));
}

const round = (value, places) => Math.round(value * 10 ** places) / 10 ** places;
const clamp01 = (value) => Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0));

// Where this screen is in the page: zoom, and the page point (0..1) at the top left of what is visible.
function place() {
  const box = stage.getBoundingClientRect();
  const rect = pageBox.getBoundingClientRect();
  return { zoom: round(zoom.scale, 2), scroll_x: round(clamp01((box.left - rect.left) / rect.width), 3),
           scroll_y: round(clamp01((box.top - rect.top) / rect.height), 3) };
}

function applyPlace(p) {
  const scale = Math.max(1, Math.min(MAX_ZOOM, Number(p.zoom) || 1));
  const box = stage.getBoundingClientRect();
  if (scale <= 1.001) {
    resetZoom();
    const rect = pageBox.getBoundingClientRect();
    stage.scrollTop += rect.top + clamp01(p.scroll_y) * rect.height - box.top;
    return;
  }
  const rect = pageBox.getBoundingClientRect();
  const originX = rect.left - zoom.x;
  const originY = rect.top - zoom.y;
  zoom.scale = scale;
  zoom.x = box.left - originX - clamp01(p.scroll_x) * pageBox.offsetWidth * scale;
  zoom.y = box.top - originY - clamp01(p.scroll_y) * pageBox.offsetHeight * scale;
  clampPan();
  applyZoom();
}

// Open the presenter's document, page and place.
function goTo(p) {
  if (!p?.presenting || !p.document_id || leaving) return;
  if (p.document_id !== doc.id) {
    leaving = true;
    window.location.assign(`${config.viewer_base}${p.document_id}?page=${p.page}`);
    return;
  }
  quietly(() => {
    show(p.page, { scroll: false });
    applyPlace(p);
  });
}

// Called after every page turn, zoom or pan on this screen.
function localMove(kind) {
  if (kind === "page") hidePointer();
  if (remote || !room?.state) return;
  if (presenting) {
    sendPresent(kind === "page");
    return;
  }
  if (following && presentation()?.presenting && kind !== "scroll") {
    following = false;
    render();
  }
}

// Page turns go at once; zoom and scroll at most every PRESENT_EVERY_MS, the last one always sent.
let presentTimer = null;
let lastPresent = 0;

function sendPresent(now) {
  clearTimeout(presentTimer);
  presentTimer = null;
  const wait = lastPresent + PRESENT_EVERY_MS - Date.now();
  if (now || wait <= 0) return presentNow();
  presentTimer = setTimeout(presentNow, wait);
  return null;
}

async function presentNow() {
  clearTimeout(presentTimer);
  presentTimer = null;
  lastPresent = Date.now();
  if (!presenting || !current) return { ok: false };
  const ack = await room.emit("present", { document_id: doc.id, version_id: doc.version_id, page: current, ...place() });
  if (!ack.ok) showMessage(ack.error?.message);
  return ack;
}

function showMessage(text) {
  if (!roomMessage) return;
  roomMessage.textContent = text || "";
  roomMessage.hidden = !text;
  clearTimeout(showMessage.timer);
  if (text) showMessage.timer = setTimeout(() => { roomMessage.hidden = true; }, 6000);
}

async function startPresenting() {
  presenting = true;
  following = false;
  sessionStorage.setItem(presentingKey, "1");
  render();
  const ack = await presentNow();
  if (!ack.ok) {
    stopPresenting(false);
  }
}

function stopPresenting(tellRoom) {
  presenting = false;
  pointerMode = false;
  sessionStorage.removeItem(presentingKey);
  hidePointer();
  render();
  if (tellRoom) room.emit("stop_presenting");
}

function resume() {
  following = true;
  render();
  goTo(presentation());
}

function render() {
  if (!live) return;
  const p = presentation();
  const joined = Boolean(room?.state);
  viewer.dataset.follow = following ? "on" : "off";
  viewer.dataset.presenting = presenting ? "true" : "false";
  presentToggle.hidden = !joined || !mayPresent();
  presentToggle.setAttribute("aria-pressed", String(presenting));
  pointerToggle.hidden = !presenting;
  pointerToggle.setAttribute("aria-pressed", String(pointerMode));
  stage.classList.toggle("is-pointing", pointerMode);
  followToggle.hidden = !joined || presenting;
  followToggle.setAttribute("aria-pressed", String(following));
  const away = Boolean(p?.presenting && !following && !presenting);
  banner.hidden = !away;
  if (away) {
    bannerText.textContent = p.document_id === doc.id ? fill(R.presenting_page, { n: p.page })
      : fill(R.presenting_other, { title: p.title ?? "", n: p.page });
  }
}

function onRoomState(state, delta) {
  const p = state.presentation;
  if (presenting && (!mayPresent(state) || (!p.presenting && (!delta || delta.type === "presentation")))) {
    stopPresenting(false); // stopped from the console, or the chair named someone else
  }
  if (!autoPresentTried) {
    autoPresentTried = true;
    if ((live.present || sessionStorage.getItem(presentingKey)) && mayPresent(state)) {
      startPresenting();
      return;
    }
  }
  if (!presenting && following && p.presenting && (!delta || delta.type === "presentation")) goTo(p);
  if (delta?.type === "presentation" && p.page !== current) hidePointer();
  render();
}

// ---- the presenter's pointer -----------------------------------------------------------------------------------------

function showPointer(x, y) {
  dot.style.left = `${x * 100}%`;
  dot.style.top = `${y * 100}%`;
  dot.hidden = false;
}

function hidePointer() {
  if (dot) dot.hidden = true;
}

function onPointer(pointer) {
  const p = presentation();
  if (presenting || pointer.x == null || pointer.y == null || p?.document_id !== doc.id
      || (pointer.page != null && pointer.page !== current)) {
    hidePointer();
    return;
  }
  showPointer(pointer.x, pointer.y);
}

const sendPointer = throttle((x, y) => room.emit("pointer", { x, y, page: current }), POINTER_EVERY_MS);

function pointAt(event) {
  const rect = pageBox.getBoundingClientRect();
  const x = round(clamp01((event.clientX - rect.left) / rect.width), 4);
  const y = round(clamp01((event.clientY - rect.top) / rect.height), 4);
  showPointer(x, y);
  sendPointer(x, y);
}

// In pointer mode the page does not turn or zoom under the finger: these run first (capture) and keep the event.
function pointerHandlers() {
  stage.addEventListener("pointerdown", (event) => {
    if (!pointerMode) return;
    event.stopPropagation();
    event.preventDefault();
    pointing = true;
    stage.setPointerCapture(event.pointerId);
    pointAt(event);
  }, { capture: true });
  stage.addEventListener("pointermove", (event) => {
    if (!pointing) return;
    event.stopPropagation();
    event.preventDefault();
    pointAt(event);
  }, { capture: true });
  const release = (event) => {
    if (!pointing) return;
    event.stopPropagation();
    pointing = false;
    hidePointer();
    sendPointer(null, null);
  };
  stage.addEventListener("pointerup", release, { capture: true });
  stage.addEventListener("pointercancel", release, { capture: true });
}

function startRoom() {
  if (!live) return;
  followToggle.addEventListener("click", () => {
    if (following) {
      following = false;
      render();
    } else {
      resume();
    }
  });
  $("follow-back").addEventListener("click", resume);
  presentToggle.addEventListener("click", () => (presenting ? stopPresenting(true) : startPresenting()));
  pointerToggle.addEventListener("click", () => {
    pointerMode = !pointerMode;
    if (!pointerMode) hidePointer();
    render();
  });
  stage.addEventListener("scroll", () => {
    if (presenting) localMove("scroll");
  }, { passive: true });
  pointerHandlers();
  room = connectRoom({
    meetingId: live.meeting_id, indicator: $("live-status"),
    strings: { connected: R.connected, reconnecting: R.reconnecting },
    onState: onRoomState, onPointer,
  });
  viewer.room = room; // for tests and the console of a curious developer
  const votes = $("vote-screen"); // the voting panel comes up over the page when a vote opens
  if (votes) mountVoteScreen(room, { container: votes, strings: JSON.parse($("vote-strings").textContent) });
}

// ---- start ---------------------------------------------------------------------------------------------------------

setSidebar(!portrait.matches);
buildThumbs();
showStatus();
show(config.start_page || 1, { scroll: false });
if (doc.status === "processing") setTimeout(poll, 2000);
loadAgenda();
startRoom();
viewer.dataset.ready = "true"; // for tests: the script is running
