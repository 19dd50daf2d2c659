// The wall screen: what the presenter shows, fitted to the screen, with the presenter's pointer, the meeting and its
// current item, and attendance and quorum along the bottom. No controls: it follows the room (room.js) by itself.
// Page images come through the room link (/wall/<token>/pages/<version>/<n>); a confidential document is never sent
// to a wall, the screen says so instead.

import { connectRoom } from "./room.js";

const config = JSON.parse(document.getElementById("wall-config").textContent);
const T = config.strings;
const $ = (id) => document.getElementById(id);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

const wall = $("wall");
const stage = $("wall-stage");
const pageBox = $("wall-page");
const image = $("wall-image");
const dot = $("wall-pointer");
const message = $("wall-message");
const docLine = $("wall-doc");

let shown = null; // "version/page" on screen
let loading = 0;
let objectUrl = null;

function fit() {
  if (pageBox.hidden || !image.naturalWidth) return;
  const style = getComputedStyle(stage);
  const width = stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = stage.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
    - (docLine.hidden ? 0 : docLine.offsetHeight + parseFloat(getComputedStyle(docLine).marginTop));
  const scale = Math.min(width / image.naturalWidth, height / image.naturalHeight);
  pageBox.style.width = `${Math.floor(image.naturalWidth * scale)}px`;
  pageBox.style.height = `${Math.floor(image.naturalHeight * scale)}px`;
}

function say(text) {
  message.textContent = text;
  message.hidden = !text;
}

async function showPage(p) {
  const key = `${p.version_id}/${p.page}`;
  if (key === shown) return;
  shown = key;
  const ticket = ++loading;
  docLine.hidden = false;
  docLine.textContent = fill(T.doc_page, { title: p.title ?? "", n: p.page });
  let response;
  try {
    response = await fetch(`${config.page_url}${p.version_id}/${p.page}`, { credentials: "same-origin" });
  } catch {
    response = null;
  }
  if (ticket !== loading) return; // a newer page was asked for meanwhile
  if (!response?.ok) {
    pageBox.hidden = true;
    wall.dataset.show = response?.status === 403 ? "confidential" : "unavailable";
    say(response?.status === 403 ? T.confidential : T.unavailable);
    if (!response || response.status >= 500) shown = null; // try again on the next change
    return;
  }
  const blob = await response.blob();
  if (ticket !== loading) return;
  const url = URL.createObjectURL(blob);
  image.onload = () => {
    if (objectUrl && objectUrl !== url) URL.revokeObjectURL(objectUrl);
    objectUrl = url;
    pageBox.hidden = false;
    say("");
    pageBox.dataset.page = String(p.page);
    wall.dataset.show = "page";
    fit();
  };
  image.alt = docLine.textContent;
  image.src = url;
}

function render(state) {
  $("wall-title").textContent = state.title;
  const item = $("wall-item");
  item.hidden = !state.item;
  item.textContent = state.item ? fill(T.item, { number: state.item.number, title: state.item.title }) : "";
  const p = state.presentation;
  if (p.presenting && p.version_id) {
    showPage(p);
  } else {
    shown = null;
    loading += 1;
    pageBox.hidden = true;
    docLine.hidden = true;
    dot.hidden = true;
    wall.dataset.show = "nothing";
    say(T.nothing);
  }
  const quorum = state.attendance.quorum;
  $("wall-attendance").textContent = fill(T.present, { in: quorum.checked_in, total: quorum.voting_members });
  const reached = $("wall-quorum");
  reached.dataset.reached = String(quorum.reached);
  reached.textContent = quorum.reached ? T.reached : fill(T.not_reached, { required: quorum.required });
  const sites = state.attendance.by_site.filter((s) => s.present + s.online + s.absent + s.unknown > 0);
  $("wall-sites").textContent = sites.length > 1
    ? sites.map((s) => fill(T.site, { name: s.name, n: s.present + s.online })).join(" · ") : "";
}

function onPointer(pointer) {
  const p = room.state?.presentation;
  if (pointer.x == null || pointer.y == null || !p?.presenting || pageBox.hidden
      || (pointer.page != null && pointer.page !== p.page)) {
    dot.hidden = true;
    return;
  }
  dot.style.left = `${pointer.x * 100}%`;
  dot.style.top = `${pointer.y * 100}%`;
  dot.hidden = false;
}

render(config.snapshot);
window.addEventListener("resize", fit);
const room = connectRoom({
  meetingId: config.meeting_id, wallToken: config.token, indicator: $("live-status"),
  strings: { connected: T.connected, reconnecting: T.reconnecting },
  onState: (state, delta) => {
    if (delta?.type === "presentation") dot.hidden = true;
    render(state);
  },
  onPointer,
});
wall.room = room;
wall.dataset.ready = "true";
