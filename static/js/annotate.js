// Annotations on the tablet viewer: ink with pen pressure, highlighter, text notes; private or shared; saved at once;
// live on one's other devices and, when shared, on everyone's. A module of its own that only *observes* the viewer's
// DOM (viewer.js knows nothing of it): `#viewer-config` gives the document and its version, `#viewer-page[data-page]`
// the page shown, `#page-image` the page on screen. A transparent canvas inside the page box (so it follows the
// viewer's zoom transform) draws the page's strokes; notes are small buttons over it.
//
// Input: with no tool chosen every touch goes to the viewer (swipe, pinch, scroll). With a tool chosen a pen always
// draws; once a pen has been seen a finger never draws (it scrolls, swipes and pinches as usual), and until then a
// finger or a mouse draws. Points are fractions of the page (0..1) with the pen's pressure.
//
// Saving goes over HTTP (PUT / DELETE /api/v1/annotations/{id}); changes arrive live over the socket (`annotation`
// events, newest `updated_at` wins) and the page's list is loaded again after every reconnect. Undo of a new stroke
// deletes it, redo saves the same id again; undo of an erase saves it again.

import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";

const $ = (id) => document.getElementById(id);
const viewer = $("viewer");
const pageBox = $("viewer-page");
const image = $("page-image");
const stage = $("viewer-stage");
const S = JSON.parse($("annotate-strings")?.textContent || "{}");
const config = JSON.parse($("viewer-config")?.textContent || "{}");
const doc = config.document || {};
const versionId = doc.version_id;
const documentId = doc.id ?? Number(viewer?.dataset.documentId);
const meetingId = doc.meeting_id ?? Number(viewer?.dataset.meetingId);
const confidential = (doc.confidentiality || "none") !== "none";
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

const MIN_STEP = 0.002; // points closer than this (fraction of the page) are dropped
const MAX_POINTS = 5000;
const MAX_CANVAS_PIXELS = 12e6;
const TOOLS = {
  ink: { width: 0.0025, colors: ["#d32f2f", "#1565c0", "#212121", "#2e7d32"] },
  highlight: { width: 0.018, colors: ["#ffeb3b", "#66bb6a", "#ff80ab", "#4fc3f7"] },
};
const COLOR_NAMES = { "#d32f2f": "red", "#1565c0": "blue", "#212121": "black", "#2e7d32": "green",
                      "#ffeb3b": "yellow", "#66bb6a": "green", "#ff80ab": "pink", "#4fc3f7": "blue" };
const NOTE_COLOR = "#ffd54f";

const fill = (template, values) => String(template ?? "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
  : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

// ---- state ---------------------------------------------------------------------------------------------------------

const byId = new Map(); // id → annotation as the server last described it (deleted ones kept as tombstones)
let me = null; // my user id
let tool = null; // null | "ink" | "highlight" | "note" | "eraser"
const colorIndex = { ink: 0, highlight: 0 };
let penSeen = false;
let sharedAll = false;
let current = null; // the stroke being drawn
const undoStack = [];
const redoStack = [];

const pageNumber = () => Number(pageBox.dataset.page) || 0;
const mine = (a) => me != null && a.author?.user_id === me;
const visible = (a) => !a.deleted && a.version_id === versionId && a.page === pageNumber();

// ---- the layer: canvas and notes over the page ---------------------------------------------------------------------

const layer = document.createElement("div");
layer.className = "annotation-layer";
layer.id = "annotation-layer";
layer.dataset.count = "0";
layer.dataset.loaded = "false";
const canvas = document.createElement("canvas");
canvas.className = "annotation-canvas";
canvas.setAttribute("aria-hidden", "true");
const notesBox = document.createElement("div");
notesBox.className = "annotation-notes";
layer.append(canvas, notesBox);
pageBox.append(layer);
const ctx = canvas.getContext("2d");

// ---- the toolbar ---------------------------------------------------------------------------------------------------

const ICONS = {
  ink: '<path d="M4 20l1-5L16 4l4 4L9 19z M14 6l4 4" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
  highlight: '<path d="M6 14l7-10 5 4-7 10H6z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>'
    + '<rect x="3" y="19" width="18" height="3" fill="currentColor" opacity="0.55"/>',
  note: '<path d="M5 4h14v11l-5 5H5z M14 20v-5h5" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>'
    + '<path d="M8 9h8M8 12h5" stroke="currentColor" stroke-width="1.6"/>',
  eraser: '<path d="M3 16l9-10 8 7-7 8H7z M9 10l7 7 M13 21h8" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
  undo: '<path d="M9 7H4V2 M4 7a8 8 0 1 1-1 6" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>',
  redo: '<path d="M15 7h5V2 M20 7a8 8 0 1 0 1 6" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>',
  copy: '<path d="M12 3v12 M7 10l5 5 5-5 M5 20h14" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>',
};
const icon = (name) => `<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;

function button(id, label, iconName, extraClass = "") {
  const b = document.createElement("button");
  b.type = "button";
  b.id = id;
  b.className = `annotate-button ${extraClass}`.trim();
  b.setAttribute("aria-label", label);
  b.title = label;
  b.innerHTML = icon(iconName);
  return b;
}

const toolbar = document.createElement("div");
toolbar.className = "annotate-toolbar";
toolbar.id = "annotate-toolbar";
toolbar.setAttribute("role", "toolbar");
toolbar.setAttribute("aria-label", S.tools || "");
const toolButtons = {
  ink: button("annotate-pen", S.pen, "ink"),
  highlight: button("annotate-highlighter", S.highlighter, "highlight"),
  note: button("annotate-note", S.note, "note"),
  eraser: button("annotate-eraser", S.eraser, "eraser"),
};
for (const [name, b] of Object.entries(toolButtons)) {
  b.dataset.tool = name;
  b.setAttribute("aria-pressed", "false");
  b.addEventListener("click", () => setTool(tool === name ? null : name));
}
const undoButton = button("annotate-undo", S.undo, "undo");
const redoButton = button("annotate-redo", S.redo, "redo");
undoButton.addEventListener("click", () => undo());
redoButton.addEventListener("click", () => redo());

const colors = document.createElement("div");
colors.className = "annotate-colors";
colors.setAttribute("role", "radiogroup");
colors.setAttribute("aria-label", S.colour || "");
colors.hidden = true;

const shareButton = document.createElement("button");
shareButton.type = "button";
shareButton.id = "annotate-share";
shareButton.className = "annotate-button annotate-share";
shareButton.addEventListener("click", () => shareAll(!sharedAll));

const group = (...children) => {
  const g = document.createElement("div");
  g.className = "annotate-group";
  g.append(...children);
  return g;
};
toolbar.append(group(...Object.values(toolButtons)), colors, group(undoButton, redoButton), group(shareButton));
if (!confidential && documentId) {
  const copy = document.createElement("a");
  copy.id = "annotate-copy";
  copy.className = "annotate-button annotate-copy";
  copy.href = `/api/v1/documents/${documentId}/annotated-copy`;
  copy.setAttribute("download", "");
  copy.title = S.annotated_copy || "";
  copy.innerHTML = `${icon("copy")}<span class="annotate-label">${S.annotated_copy || ""}</span>`;
  toolbar.append(group(copy));
}
const toast = document.createElement("p");
toast.className = "annotate-toast";
toast.id = "annotate-toast";
toast.setAttribute("role", "alert");
toast.hidden = true;
toolbar.append(toast);
(stage.parentElement || document.body).append(toolbar);

function placeToolbar() {
  // Top-right of the page area (the stage), whatever sits above it in the reader (banners come and go).
  toolbar.style.top = `${stage.offsetTop + 8}px`;
}

function renderColors() {
  colors.replaceChildren();
  const palette = TOOLS[tool]?.colors;
  colors.hidden = !palette;
  if (!palette) return;
  palette.forEach((color, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "annotate-swatch";
    b.setAttribute("role", "radio");
    b.setAttribute("aria-checked", String(i === colorIndex[tool]));
    b.setAttribute("aria-label", S[`color_${COLOR_NAMES[color]}`] || color);
    b.title = b.getAttribute("aria-label");
    b.dataset.color = color;
    b.style.setProperty("--swatch", color);
    b.addEventListener("click", () => {
      colorIndex[tool] = i;
      renderColors();
    });
    colors.append(b);
  });
}

function renderToolbar() {
  for (const [name, b] of Object.entries(toolButtons)) b.setAttribute("aria-pressed", String(tool === name));
  undoButton.disabled = undoStack.length === 0;
  redoButton.disabled = redoStack.length === 0;
  shareButton.textContent = sharedAll ? S.private : S.share_all;
  shareButton.setAttribute("aria-pressed", String(sharedAll));
  shareButton.title = sharedAll ? S.shared_hint : S.private_hint;
  layer.dataset.tool = tool || "";
  layer.classList.toggle("is-active", !!tool);
  layer.dataset.shared = String(sharedAll);
  canvas.style.cursor = tool === "eraser" ? "cell" : tool ? "crosshair" : "";
}

function setTool(name) {
  tool = name;
  renderColors();
  renderToolbar();
}

let toastTimer = null;
function complain(text) {
  toast.textContent = text || S.save_failed || "";
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 5000);
}

// ---- drawing -------------------------------------------------------------------------------------------------------

let frame = 0;
function schedule() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
}

function fitCanvas() {
  // The box on screen includes the viewer's zoom transform: draw at that resolution so zoomed ink stays sharp.
  const rect = (image.hidden || !image.naturalWidth ? pageBox : image).getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  let w = Math.max(1, Math.round(rect.width * dpr));
  let h = Math.max(1, Math.round(rect.height * dpr));
  if (w * h > MAX_CANVAS_PIXELS) {
    const k = Math.sqrt(MAX_CANVAS_PIXELS / (w * h));
    w = Math.round(w * k);
    h = Math.round(h * k);
  }
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
}

function strokePath(a, W, H) {
  const pts = a.points || [];
  const base = Math.max(0.5, (a.width || TOOLS[a.kind]?.width || 0.003) * W);
  ctx.strokeStyle = a.color;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  if (a.kind === "highlight") {
    // One path, so the stroke's own overlaps do not darken; a flat, see-through marker.
    ctx.save();
    ctx.globalAlpha *= 0.45;
    ctx.lineWidth = base;
    ctx.lineCap = "butt";
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x * W, y * H) : ctx.moveTo(x * W, y * H)));
    if (pts.length === 1) ctx.lineTo(pts[0][0] * W + 0.5, pts[0][1] * H);
    ctx.stroke();
    ctx.restore();
    return;
  }
  // Ink: thicker where the pen pressed harder (0.5 → the nominal width).
  const widthAt = (p) => base * (0.4 + 1.2 * (p ?? 0.5));
  if (pts.length === 1) {
    ctx.fillStyle = a.color;
    ctx.beginPath();
    ctx.arc(pts[0][0] * W, pts[0][1] * H, widthAt(pts[0][2]) / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0, p0] = pts[i - 1];
    const [x1, y1, p1] = pts[i];
    ctx.lineWidth = widthAt(((p0 ?? 0.5) + (p1 ?? 0.5)) / 2);
    ctx.beginPath();
    ctx.moveTo(x0 * W, y0 * H);
    ctx.lineTo(x1 * W, y1 * H);
    ctx.stroke();
  }
}

function draw() {
  fitCanvas();
  const W = canvas.width;
  const H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  let count = 0;
  const list = [...byId.values()].filter(visible);
  // Highlights under ink, others' under mine.
  list.sort((a, b) => (a.kind === "highlight" ? 0 : 1) - (b.kind === "highlight" ? 0 : 1)
    || (mine(a) ? 1 : 0) - (mine(b) ? 1 : 0));
  for (const a of list) {
    count += 1;
    if (a.kind === "note") continue;
    ctx.globalAlpha = mine(a) ? 1 : 0.55;
    strokePath(a, W, H);
  }
  ctx.globalAlpha = 1;
  if (current) strokePath(current, W, H);
  layer.dataset.count = String(count);
  renderNotes(list.filter((a) => a.kind === "note"));
}

// ---- notes ---------------------------------------------------------------------------------------------------------

function renderNotes(notes) {
  const keep = new Set(notes.map((n) => n.id));
  for (const el of [...notesBox.children]) if (!keep.has(el.dataset.id)) el.remove();
  for (const n of notes) {
    let el = notesBox.querySelector(`[data-id="${CSS.escape(n.id)}"]`);
    if (!el) {
      el = document.createElement("button");
      el.type = "button";
      el.className = "annotation-note";
      el.dataset.id = n.id;
      el.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3 3h18v13l-5 5H3z" fill="currentColor"/>'
        + '<path d="M16 21v-5h5z" fill="rgba(0,0,0,0.25)"/><path d="M7 8h10M7 12h7" stroke="rgba(0,0,0,0.45)" stroke-width="1.6"/></svg>';
      el.addEventListener("pointerdown", (event) => event.stopPropagation());
      el.addEventListener("click", (event) => {
        event.stopPropagation();
        const note = byId.get(el.dataset.id);
        if (!note) return;
        if (tool === "eraser" && mine(note)) erase(note);
        else openNote(note, el);
      });
      notesBox.append(el);
    }
    el.style.left = `${n.x * 100}%`;
    el.style.top = `${n.y * 100}%`;
    el.style.color = n.color || NOTE_COLOR;
    el.classList.toggle("is-others", !mine(n));
    el.classList.toggle("is-shared", !!n.shared);
    const who = mine(n) ? "" : fill(S.note_by, { name: n.author?.full_name ?? "" });
    el.title = who ? `${who}: ${n.text}` : n.text;
    el.setAttribute("aria-label", who || S.note || "");
  }
}

const popover = document.createElement("div");
popover.className = "annotate-popover";
popover.id = "annotate-popover";
popover.setAttribute("role", "dialog");
popover.hidden = true;
document.body.append(popover);
let popoverFor = null;

function closeNote() {
  popover.hidden = true;
  popover.replaceChildren();
  popoverFor = null;
}

// Opens a note to read (someone else's) or to write (mine, or a new one at x, y).
function openNote(note, anchor, { x, y } = {}) {
  closeNote();
  const isNew = !note;
  const editable = isNew || mine(note);
  popoverFor = note?.id ?? null;
  const heading = document.createElement("p");
  heading.className = "annotate-popover-title";
  heading.textContent = !editable ? fill(S.note_by, { name: note.author?.full_name ?? "" }) : S.note;
  popover.append(heading);
  let area = null;
  if (editable) {
    area = document.createElement("textarea");
    area.id = "annotate-note-text";
    area.maxLength = 2000;
    area.rows = 4;
    area.placeholder = S.write_note || "";
    area.value = note?.text ?? "";
    popover.append(area);
  } else {
    const text = document.createElement("p");
    text.className = "annotate-popover-text";
    text.textContent = note.text;
    popover.append(text);
  }
  const actions = document.createElement("div");
  actions.className = "annotate-popover-actions";
  const add = (label, cls, fn) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `annotate-popover-button ${cls}`;
    b.textContent = label;
    b.addEventListener("click", fn);
    actions.append(b);
    return b;
  };
  if (editable) {
    add(S.save, "is-primary annotate-note-save", () => {
      const text = area.value.trim();
      if (!text) {
        if (!isNew) erase(note);
        closeNote();
        return;
      }
      if (isNew) {
        create({ kind: "note", x: clamp01(x), y: clamp01(y), text, color: NOTE_COLOR });
      } else if (text !== note.text) {
        const before = { ...note };
        const after = { ...note, text };
        push({ type: "edit", before, after });
        save(after);
      }
      closeNote();
    });
    if (!isNew) add(S.delete, "is-danger annotate-note-delete", () => { erase(note); closeNote(); });
  }
  add(S.close, "annotate-note-close", closeNote);
  popover.append(actions);
  popover.hidden = false;
  // Next to the note (or where it will be), kept on screen.
  const r = anchor ? anchor.getBoundingClientRect() : null;
  const box = canvas.getBoundingClientRect();
  const ax = r ? r.right : box.left + x * box.width;
  const ay = r ? r.top : box.top + y * box.height;
  const pw = popover.offsetWidth;
  const ph = popover.offsetHeight;
  popover.style.left = `${Math.max(8, Math.min(window.innerWidth - pw - 8, ax + 8))}px`;
  popover.style.top = `${Math.max(8, Math.min(window.innerHeight - ph - 8, ay))}px`;
  (area || actions.lastChild).focus({ preventScroll: true });
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !popover.hidden) {
    event.stopPropagation();
    closeNote();
  }
}, true);
document.addEventListener("pointerdown", (event) => {
  if (!popover.hidden && !popover.contains(event.target) && !event.target.closest?.(".annotation-note")) closeNote();
}, true);
// Keys typed into a note are not page turns for the viewer.
popover.addEventListener("keydown", (event) => event.stopPropagation());

// ---- saving --------------------------------------------------------------------------------------------------------

async function http(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data?.error?.message || ""), { data, status: response.status });
  return data;
}

function payload(a) {
  const out = { id: a.id, version_id: a.version_id, page: a.page, kind: a.kind, color: a.color, shared: !!a.shared };
  if (a.kind === "note") Object.assign(out, { x: a.x, y: a.y, text: a.text });
  else Object.assign(out, { points: a.points, width: a.width });
  return out;
}

function newer(a, b) {
  // ISO times from the same server compare as text; equal means the same version.
  return !b || !b.updated_at || (a.updated_at && a.updated_at > b.updated_at);
}

function apply(a) {
  if (!a || a.version_id !== versionId) return;
  if (!newer(a, byId.get(a.id))) return;
  byId.set(a.id, a);
  if (mine(a) && popoverFor === a.id && a.deleted) closeNote();
  schedule();
}

async function save(a) {
  byId.set(a.id, { ...byId.get(a.id), ...a, deleted: false }); // at once; the answer brings updated_at
  schedule();
  try {
    apply(await http("PUT", `/api/v1/annotations/${a.id}`, payload(a)));
  } catch (error) {
    complain(error.message);
    load();
  }
}

async function remove(a) {
  const known = byId.get(a.id);
  if (known) byId.set(a.id, { ...known, deleted: true });
  schedule();
  try {
    await http("DELETE", `/api/v1/annotations/${a.id}`);
  } catch (error) {
    if (error.status !== 404) {
      complain(error.message);
      load();
    }
  }
}

function push(entry) {
  undoStack.push(entry);
  if (undoStack.length > 100) undoStack.shift();
  redoStack.length = 0;
  renderToolbar();
}

function create(fields) {
  const a = { id: uuid(), version_id: versionId, page: pageNumber(), shared: sharedAll,
              author: { user_id: me }, updated_at: null, deleted: false, ...fields };
  push({ type: "add", ann: a });
  save(a);
}

function erase(a) {
  push({ type: "erase", ann: { ...a } });
  remove(a);
}

function undo() {
  const entry = undoStack.pop();
  if (!entry) return;
  redoStack.push(entry);
  if (entry.type === "add") remove(entry.ann);
  else if (entry.type === "erase") save(entry.ann);
  else if (entry.type === "edit") save(entry.before);
  renderToolbar();
}

function redo() {
  const entry = redoStack.pop();
  if (!entry) return;
  undoStack.push(entry);
  if (entry.type === "add") save(entry.ann);
  else if (entry.type === "erase") remove(entry.ann);
  else if (entry.type === "edit") save(entry.after);
  renderToolbar();
}

async function shareAll(shared) {
  try {
    await http("PUT", `/api/v1/documents/${documentId}/annotations/shared`, { shared });
    sharedAll = shared;
    renderToolbar();
    await load();
  } catch (error) {
    complain(error.message);
  }
}

let loading = null;
async function load() {
  if (!versionId) return;
  const run = (async () => {
    try {
      const data = await http("GET", `/api/v1/document-versions/${versionId}/annotations`);
      if (loading !== run) return;
      byId.clear();
      for (const a of data.annotations || []) byId.set(a.id, a);
      const own = [...byId.values()].filter(mine);
      if (own.length) sharedAll = own.every((a) => a.shared);
      layer.dataset.loaded = "true";
      renderToolbar();
      schedule();
    } catch {
      /* offline: what we have stays; a reconnect loads again */
    }
  })();
  loading = run;
  return run;
}

// ---- pointer input on the canvas -----------------------------------------------------------------------------------

const clamp01 = (v) => Math.max(0, Math.min(1, v));
let fingerScroll = null;

function at(event) {
  const r = canvas.getBoundingClientRect();
  const pressure = event.pressure > 0 ? event.pressure : 0.5;
  return [clamp01((event.clientX - r.left) / r.width), clamp01((event.clientY - r.top) / r.height),
          Math.round(pressure * 1000) / 1000];
}

function drawsWith(event) {
  if (event.pointerType === "pen") return true;
  if (event.pointerType === "touch") return !penSeen;
  return event.button === 0 || event.buttons === 1;
}

function hit(point) {
  const r = canvas.getBoundingClientRect();
  const [px, py] = [point[0] * r.width, point[1] * r.height];
  const candidates = [...byId.values()].filter((a) => visible(a) && mine(a) && a.kind !== "note").reverse();
  for (const a of candidates) {
    const tolerance = Math.max(12, ((a.width || 0.003) * r.width) / 2 + 4);
    const pts = a.points || [];
    for (let i = 0; i < pts.length; i++) {
      const [x1, y1] = [pts[i][0] * r.width, pts[i][1] * r.height];
      const [x0, y0] = i ? [pts[i - 1][0] * r.width, pts[i - 1][1] * r.height] : [x1, y1];
      const dx = x1 - x0;
      const dy = y1 - y0;
      const len = dx * dx + dy * dy;
      const t = len ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len)) : 0;
      if (Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy)) <= tolerance) return a;
    }
  }
  return null;
}

function addPoint(event) {
  const p = at(event);
  const pts = current.points;
  const last = pts[pts.length - 1];
  if (Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP) {
    last[2] = Math.max(last[2], p[2]);
    return;
  }
  if (pts.length < MAX_POINTS) pts.push(p);
}

canvas.addEventListener("pointerdown", (event) => {
  if (!tool) return;
  if (event.pointerType === "pen" && !penSeen) {
    penSeen = true;
    layer.dataset.pen = "seen";
  }
  if (!drawsWith(event)) {
    // A finger once a pen is known: the viewer's swipe and pinch (it bubbles on), and scrolling, done here because
    // the canvas has to keep touch-action: none for the pen.
    if (event.pointerType === "touch") fingerScroll = { id: event.pointerId, y: event.clientY, top: stage.scrollTop };
    return;
  }
  if (current) {
    // A second finger while drawing with a finger: a pinch, not a stroke.
    if (event.pointerType === "touch") current = null;
    schedule();
    return;
  }
  event.preventDefault();
  event.stopPropagation();
  canvas.setPointerCapture?.(event.pointerId);
  const point = at(event);
  if (tool === "eraser") {
    current = { eraser: true, pointerId: event.pointerId, points: [] };
    const a = hit(point);
    if (a) erase(a);
    return;
  }
  if (tool === "note") {
    current = { note: true, pointerId: event.pointerId, points: [point] };
    return;
  }
  const t = TOOLS[tool];
  current = { pointerId: event.pointerId, kind: tool, color: t.colors[colorIndex[tool]], width: t.width,
              points: [point], shared: sharedAll, author: { user_id: me } };
  schedule();
});

canvas.addEventListener("pointermove", (event) => {
  if (fingerScroll && event.pointerId === fingerScroll.id && !stage.classList.contains("is-zoomed")) {
    stage.scrollTop = fingerScroll.top - (event.clientY - fingerScroll.y);
    return;
  }
  if (!current || event.pointerId !== current.pointerId) return;
  event.preventDefault();
  event.stopPropagation();
  if (current.eraser) {
    const a = hit(at(event));
    if (a) erase(a);
    return;
  }
  if (current.note) return;
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
  for (const e of events.length ? events : [event]) addPoint(e);
  schedule();
});

function finish(event, cancelled) {
  if (fingerScroll && event.pointerId === fingerScroll.id) fingerScroll = null;
  if (!current || event.pointerId !== current.pointerId) return;
  event.stopPropagation();
  const stroke = current;
  current = null;
  schedule();
  if (cancelled || stroke.eraser) return;
  if (stroke.note) {
    const [x, y] = stroke.points[0];
    openNote(null, null, { x, y });
    return;
  }
  create({ kind: stroke.kind, color: stroke.color, width: stroke.width,
           points: stroke.points.slice(0, MAX_POINTS).map(([x, y, p]) => [round5(x), round5(y), p]) });
}
const round5 = (v) => Math.round(v * 1e5) / 1e5;

canvas.addEventListener("pointerup", (event) => finish(event, false));
canvas.addEventListener("pointercancel", (event) => finish(event, true));

// Ctrl/Cmd+Z and Ctrl+Y / Ctrl+Shift+Z.
document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.target.closest?.("input, textarea, select")) return;
  const key = event.key.toLowerCase();
  if (key === "z" && !event.shiftKey) undo();
  else if (key === "y" || (key === "z" && event.shiftKey)) redo();
  else return;
  event.preventDefault();
});

// ---- following the viewer ------------------------------------------------------------------------------------------

new MutationObserver((records) => {
  if (records.some((r) => r.attributeName === "data-page")) {
    current = null;
    closeNote();
  }
  schedule();
}).observe(pageBox, { attributes: true, attributeFilter: ["data-page", "style", "class"] });
image.addEventListener("load", schedule);
new ResizeObserver(() => {
  schedule();
  placeToolbar();
}).observe(pageBox);
new ResizeObserver(placeToolbar).observe(stage);
window.addEventListener("resize", () => {
  schedule();
  placeToolbar();
});

// ---- live --------------------------------------------------------------------------------------------------------

function connect() {
  let socket;
  try {
    socket = io({ transports: ["websocket", "polling"] });
  } catch {
    return;
  }
  socket.on("connect", () => {
    // The meeting's room brings others' shared notes; my own room (joined on connect) my other devices' changes.
    if (meetingId) socket.timeout(10000).emit("join", { meeting_id: meetingId }, () => {});
    load();
  });
  socket.on("annotation", (a) => apply(a));
}

async function start() {
  try {
    const session = await http("GET", "/api/v1/session");
    me = session?.user?.id ?? null;
  } catch {
    me = null;
  }
  layer.dataset.me = me == null ? "" : String(me);
  renderColors();
  renderToolbar();
  placeToolbar();
  await load();
  connect();
  toolbar.dataset.ready = "true";
}

if (versionId) start();
else toolbar.hidden = true;
