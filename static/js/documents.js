// Documents on the meeting page. For the secretary: upload several files per agenda item (chosen or dropped), one
// progress bar per file (upload progress, then rendering progress from the socket), replace and remove. For the
// secretary and the chair: live rendering progress of every document, and "who has read it" per document.
// Messages come translated from the page (#documents-config); refusals show the server's own message.
import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";

const configEl = document.getElementById("documents-config");
const config = configEl ? JSON.parse(configEl.textContent) : null;
const T = config?.strings ?? {};
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const pagesText = (n) => fill(n === 1 ? T.pages_one : T.pages_other, { num: n });
const percentOf = (done, total) => (total ? Math.round((100 * done) / total) : 0);

// The latest state of each document, from the server (upload answers, socket, polling).
const latest = new Map();
// Upload rows waiting for their document to finish rendering: document id -> row.
const uploadRows = new Map();

// ---- document rows ------------------------------------------------------------------------------------------------

function rowOf(documentId) {
  return document.getElementById(`document-${documentId}`);
}

function makeRow(doc) {
  const template = document.getElementById("document-row-template");
  const row = template.content.firstElementChild.cloneNode(true);
  row.id = `document-${doc.id}`;
  row.dataset.documentId = String(doc.id);
  const form = row.querySelector(".remove-document-form");
  if (form) form.dataset.confirm = fill(T.remove_confirm, { title: doc.title });
  const readers = row.querySelector(".readers");
  if (readers) readers.dataset.url = `${config.document_api}${doc.id}/readers`;
  return row;
}

// Draw a document's state into its row, creating the row under its agenda item if it is new here.
function drawDocument(doc) {
  let row = rowOf(doc.id);
  if (!row) {
    const list = document.getElementById(`document-list-${doc.agenda_item_id}`);
    if (!list || !doc.title) return;
    row = makeRow(doc);
    list.append(row);
    list.hidden = false;
  }
  const status = doc.status;
  row.dataset.status = status;
  if (doc.version_id) row.dataset.versionId = String(doc.version_id);
  const title = row.querySelector(".document-title");
  if (doc.title) title.textContent = doc.title;
  if (status === "ready") title.href = `${config.viewer_base}${doc.id}`;
  else title.removeAttribute("href");
  row.querySelector(".document-pages").textContent = pagesText(doc.page_count);
  if (doc.confidentiality) {
    row.dataset.confidentiality = doc.confidentiality;
    const badge = row.querySelector(".conf-badge");
    badge.className = `conf-badge conf-${doc.confidentiality}`;
    if (doc.confidentiality_label) badge.textContent = doc.confidentiality_label;
    badge.hidden = doc.confidentiality === "none";
  }
  const chip = row.querySelector(".doc-status");
  chip.className = `doc-status doc-status-${status}`;
  chip.textContent = status === "ready" ? T.ready : status === "failed" ? T.failed
    : fill(T.processing, { done: doc.pages_ready, total: doc.page_count });
  const bar = row.querySelector(".document-progress");
  if (!row.classList.contains("is-uploading")) {
    bar.hidden = status !== "processing";
    bar.value = percentOf(doc.pages_ready, doc.page_count);
  }
  const error = row.querySelector(".document-error");
  const message = status === "failed" ? doc.error?.message : null;
  error.textContent = message || "";
  error.hidden = !message;
}

// Socket payloads carry progress but no translated failure message: fetch the document then.
async function refresh(documentId) {
  try {
    const response = await fetch(`${config.document_api}${documentId}`, { credentials: "same-origin",
      headers: { Accept: "application/json" } });
    if (response.ok) update(await response.json());
  } catch {
    // the next event or poll will do
  }
}

const fetching = new Set();

function update(state) {
  const id = state.document_id ?? state.id;
  const previous = latest.get(id);
  const merged = { ...(previous ?? {}), ...state, id };
  delete merged.document_id;
  // Events can overtake each other (a socket event before the upload's answer): never go back in time.
  if (previous && (previous.version_id > state.version_id || (previous.version_id === state.version_id
      && (previous.status !== "processing" || previous.pages_ready > state.pages_ready)
      && state.status === "processing"))) {
    for (const key of ["version_id", "status", "pages_ready", "page_count", "error"]) merged[key] = previous[key];
  }
  latest.set(id, merged);
  if (!rowOf(id) && !merged.title) {
    // Someone else's upload: fetch it whole once, which draws its row.
    if (!fetching.has(id)) {
      fetching.add(id);
      refresh(id);
    }
    return;
  }
  drawDocument(merged);
  drawUploadRow(merged);
}

// ---- socket: rendering progress for the secretary and the chair ------------------------------------------------------

let socket = null;
if (config?.live) {
  socket = io({ transports: ["websocket", "polling"] });
  socket.on("document_progress", (payload) => {
    if (payload.status === "failed") {
      update({ ...payload, error: null });
      refresh(payload.document_id);
    } else {
      update(payload);
    }
  });
  const agenda = document.getElementById("agenda");
  socket.on("disconnect", () => agenda?.removeAttribute("data-live"));
  socket.on("connect_error", (error) => agenda?.setAttribute("data-live-error", String(error?.message ?? error)));
  socket.on("connect", () => {
    agenda?.setAttribute("data-live", "connected"); // for tests: progress now arrives live
    // Whatever happened while disconnected: bring every unfinished document up to date.
    for (const [id, doc] of latest) if (doc.status === "processing") refresh(id);
  });
}

// Without a live socket, unfinished documents are polled.
setInterval(() => {
  if (socket?.connected) return;
  for (const [id, doc] of latest) if (doc.status === "processing") refresh(id);
}, 2000);

for (const row of document.querySelectorAll(".document-row[data-document-id]")) {
  if (row.dataset.status === "processing") {
    latest.set(Number(row.dataset.documentId), { id: Number(row.dataset.documentId), status: "processing",
      version_id: Number(row.dataset.versionId), pages_ready: 0 });
    refresh(row.dataset.documentId);
  }
}

// ---- uploading ----------------------------------------------------------------------------------------------------

function send(url, file, fields, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve({ ok: true, body });
      else resolve({ ok: false, message: body?.error?.message || T.network });
    });
    xhr.addEventListener("error", () => resolve({ ok: false, message: T.network }));
    xhr.addEventListener("abort", () => resolve({ ok: false, message: T.network }));
    const data = new FormData();
    data.append("file", file, file.name);
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    xhr.send(data);
  });
}

function addUploadRow(list, file) {
  const row = document.createElement("li");
  row.className = "upload-row is-waiting";
  const name = document.createElement("span");
  name.className = "upload-name";
  name.textContent = file.name;
  const bar = document.createElement("progress");
  bar.className = "upload-bar";
  bar.max = 100;
  bar.value = 0;
  const status = document.createElement("span");
  status.className = "upload-status";
  status.textContent = T.waiting;
  row.append(name, bar, status);
  list.append(row);
  return row;
}

function setUploadRow(row, kind, text, value) {
  row.className = `upload-row is-${kind}`;
  row.dataset.state = kind;
  row.querySelector(".upload-status").textContent = text;
  const bar = row.querySelector(".upload-bar");
  bar.hidden = kind === "error";
  if (value != null) bar.value = value;
}

function drawUploadRow(doc) {
  const row = uploadRows.get(doc.id);
  if (!row) return;
  if (doc.status === "ready") {
    setUploadRow(row, "done", T.ready, 100);
    uploadRows.delete(doc.id);
  } else if (doc.status === "failed") {
    setUploadRow(row, "error", doc.error?.message || T.failed);
    uploadRows.delete(doc.id);
  } else {
    setUploadRow(row, "rendering", fill(T.processing, { done: doc.pages_ready, total: doc.page_count }),
      percentOf(doc.pages_ready, doc.page_count));
  }
}

// Files go one after another: on the room's Wi-Fi that finishes the first ones soonest.
let queue = Promise.resolve();

function uploadFiles(zone, files) {
  const list = zone.querySelector(".upload-list");
  const level = zone.querySelector(".upload-confidentiality")?.value || "none";
  for (const file of files) {
    const row = addUploadRow(list, file);
    if (file.size > config.max_bytes) {
      setUploadRow(row, "error", T.too_large);
      continue;
    }
    queue = queue.then(async () => {
      setUploadRow(row, "uploading", fill(T.uploading, { percent: 0 }), 0);
      const result = await send(zone.dataset.uploadUrl, file, { confidentiality: level }, (fraction) => {
        setUploadRow(row, "uploading", fill(T.uploading, { percent: Math.round(100 * fraction) }), 100 * fraction);
      });
      if (!result.ok) {
        setUploadRow(row, "error", result.message);
        return;
      }
      row.dataset.documentId = String(result.body.id);
      uploadRows.set(result.body.id, row);
      setUploadRow(row, "rendering", fill(T.processing, { done: 0, total: result.body.page_count }), 0);
      update({ ...result.body, pages: undefined });
    });
  }
}

for (const zone of document.querySelectorAll(".upload-zone")) {
  const input = zone.querySelector(".upload-input");
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = ""; // the same file can be chosen again after a refusal
    if (files.length) uploadFiles(zone, files);
  });
  zone.addEventListener("dragenter", (event) => {
    if (!event.dataTransfer?.types?.includes("Files")) return;
    event.preventDefault();
    zone.classList.add("is-dragover");
  });
  zone.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types?.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("is-dragover");
  });
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("is-dragover");
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-dragover");
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) uploadFiles(zone, files);
  });
}
// A file dropped beside a zone must not make the browser leave the page to open it.
if (config?.can_edit) {
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
}

// ---- replace and remove -------------------------------------------------------------------------------------------

function rowError(row, message) {
  const error = row.querySelector(".document-error");
  error.textContent = message || "";
  error.hidden = !message;
}

document.addEventListener("change", async (event) => {
  const input = event.target.closest?.(".replace-input");
  if (!input || !input.files.length) return;
  const file = input.files[0];
  input.value = "";
  const row = input.closest(".document-row");
  const id = Number(row.dataset.documentId);
  rowError(row, "");
  if (file.size > config.max_bytes) {
    rowError(row, T.too_large);
    return;
  }
  const chip = row.querySelector(".doc-status");
  const bar = row.querySelector(".document-progress");
  row.classList.add("is-uploading");
  bar.hidden = false;
  const result = await send(`${config.document_api}${id}/versions`, file, {}, (fraction) => {
    chip.className = "doc-status doc-status-processing";
    chip.textContent = fill(T.uploading, { percent: Math.round(100 * fraction) });
    bar.value = 100 * fraction;
  });
  row.classList.remove("is-uploading");
  if (!result.ok) {
    const known = latest.get(id);
    if (known) drawDocument(known);
    else {
      chip.className = `doc-status doc-status-${row.dataset.status}`;
      chip.textContent = row.dataset.status === "ready" ? T.ready : chip.textContent;
      bar.hidden = row.dataset.status !== "processing";
    }
    rowError(row, result.message);
    return;
  }
  update({ ...result.body, pages: undefined });
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest?.(".remove-document-form");
  if (!form) return;
  event.preventDefault(); // site.js has already asked for confirmation (data-confirm)
  const row = form.closest(".document-row");
  const button = form.querySelector("button");
  button.disabled = true;
  rowError(row, "");
  try {
    const response = await fetch(`${config.document_api}${row.dataset.documentId}`, {
      method: "DELETE", credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
    });
    if (response.ok) {
      const list = row.parentElement;
      latest.delete(Number(row.dataset.documentId));
      row.remove();
      if (!list.children.length) list.hidden = true;
      return;
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    rowError(row, body?.error?.message || T.remove_failed);
  } catch {
    rowError(row, T.remove_failed);
  } finally {
    button.disabled = false;
  }
});

// ---- who has read it ----------------------------------------------------------------------------------------------

async function loadReaders(details) {
  const body = details.querySelector(".readers-body");
  body.textContent = T.loading;
  details.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(details.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error(data?.error?.message || T.readers_failed);
    body.textContent = "";
    if (!data.readers.length) {
      body.textContent = T.no_readers;
      return;
    }
    const list = document.createElement("ul");
    list.className = "reader-list";
    for (const reader of data.readers) {
      const li = document.createElement("li");
      li.className = `reader${reader.opened ? " is-opened" : ""}`;
      li.dataset.username = reader.user.username ?? "";
      const name = document.createElement("span");
      name.className = "reader-name";
      name.textContent = reader.user.full_name;
      const state = document.createElement("span");
      state.className = "reader-state";
      state.textContent = reader.opened ? `${T.opened} · ${fill(T.read_percent, { percent: reader.percent })}` : T.not_opened;
      const meter = document.createElement("span");
      meter.className = "reader-meter";
      meter.setAttribute("aria-hidden", "true");
      const fillBar = document.createElement("span");
      fillBar.style.width = `${reader.percent}%`;
      meter.append(fillBar);
      li.append(name, meter, state);
      list.append(li);
    }
    body.append(list);
  } catch (error) {
    body.textContent = error?.message || T.readers_failed;
  } finally {
    details.removeAttribute("aria-busy");
  }
}

// Loaded each time it is opened: reading goes on during the meeting.
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (details instanceof HTMLDetailsElement && details.classList.contains("readers") && details.open) loadReaders(details);
}, true);

if (configEl) document.getElementById("agenda")?.setAttribute("data-documents-ready", "true"); // for tests
