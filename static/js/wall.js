// The wall screen: what the presenter shows, fitted to the screen, with the presenter's pointer, the meeting and its
// current item, and attendance and quorum along the bottom. No controls: it follows the room (room.js) by itself.
// Page images come through the room link (/wall/<token>/pages/<version>/<n>); a confidential document is never sent
// to a wall, the screen says so instead.
// A vote takes the stage while it is open (question, progress, countdown), closed ("counting the ballots": the wall
// gets no counts before they are announced) and announced (a bar per option, the rule, the outcome), until the room
// moves on (the presenter turns a page or the chair changes the item).

import { connectRoom } from "./room.js";
import { describeResult, formatClock, h, percent, secondsLeft } from "./vote-screen.js";

const config = JSON.parse(document.getElementById("wall-config").textContent);
const T = config.strings;
const V = JSON.parse(document.getElementById("vote-strings").textContent);
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

// ---- the vote ----------------------------------------------------------------------------------------------------------

const voteBox = $("wall-vote");
const lang = document.documentElement.lang || "vi";
const FRESH_MS = 15 * 60 * 1000; // a vote announced this recently is shown on a wall that (re)loads
const NAMES_FIT = 40; // named votes: who chose what, when it fits
const movedOnKey = `wall-vote-done:${config.meeting_id}`;
let voteShown = null; // "id:status" on screen

function voteVisible(v, delta) {
  if (!v || v.status === "draft") return false;
  if (v.status === "open" || v.status === "closed") return true;
  if (sessionStorage.getItem(movedOnKey) === String(v.id)) return false;
  if (delta && (delta.type === "presentation" || delta.type === "item")) {
    sessionStorage.setItem(movedOnKey, String(v.id)); // the room moved on: back to the page
    return false;
  }
  if (voteShown?.startsWith(`${v.id}:`) || delta?.type === "vote") return true;
  const ended = Date.parse(v.closed_at || v.opened_at || "");
  return Number.isFinite(ended) && Date.now() - ended < FRESH_MS;
}

function voteTop(v) {
  const left = secondsLeft(v);
  return h("div", { class: "wall-vote-top" },
    h("span", { class: "wall-vote-kicker" }, V.title),
    h("span", { class: "wall-vote-badge" }, v.secret ? V.secret : V.named),
    left != null ? h("span", { class: "wall-vote-countdown", id: "wall-vote-countdown" }) : null);
}

function voteChart(v) {
  const d = describeResult(v, V);
  const named = (v.result.named ?? []).length <= NAMES_FIT;
  const chart = h("ul", { class: "wall-chart", id: "wall-chart" });
  for (const row of d.rows) {
    const width = d.base > 0 ? 100 * row.count / d.base : 0;
    chart.append(h("li", { class: `wall-chart-row${row.elected ? " is-elected" : ""}`, dataset: { code: row.code || "", count: String(row.count) } },
      h("span", { class: "wall-chart-label" }, row.label),
      h("span", { class: "wall-chart-track" }, h("span", { class: "wall-chart-fill", style: { width: `${width}%` } })),
      h("span", { class: "wall-chart-count" }, String(row.count), h("small", {}, percent(row.count, d.base, lang))),
      named && row.names.length ? h("p", { class: "wall-chart-names" }, row.names.join(", ")) : null));
  }
  const r = v.result;
  voteBox.dataset.outcome = d.state;
  return [h("div", { class: "wall-vote-main" }, chart),
    h("div", { class: "wall-vote-foot" },
      h("p", { class: "wall-outcome", id: "wall-outcome" }, d.outcome),
      h("p", { class: "wall-vote-rule", id: "wall-vote-rule" }, fill(V.rule_needed, { rule: d.rule, n: r.needed }),
        h("span", {}, fill(V.turnout, { ballots: r.ballots, eligible: r.eligible, not_voted: r.not_voted,
                                         members: r.members }), " · ", d.baseText)))];
}

function voteProgress(v) {
  const voted = v.voted_count ?? 0;
  const eligible = v.eligible_count ?? 0;
  return h("div", { class: "wall-vote-main" },
    h("div", { class: "wall-vote-progress-track" },
      h("div", { class: "wall-vote-progress-fill", style: { width: `${eligible ? 100 * voted / eligible : 0}%` } })),
    h("p", { class: "wall-vote-progress-text", id: "wall-vote-progress" }, fill(V.wall_voted, { voted, eligible })));
}

function renderVote(state, delta) {
  const v = state.vote;
  if (!voteVisible(v, delta)) {
    voteShown = null;
    voteBox.hidden = true;
    voteBox.dataset.status = "";
    return;
  }
  voteShown = `${v.id}:${v.status}`;
  voteBox.dataset.status = v.status;
  voteBox.dataset.voteId = String(v.id);
  voteBox.dataset.kind = v.kind;
  delete voteBox.dataset.outcome;
  const parts = [voteTop(v), h("h2", { class: `wall-vote-question${v.question.length > 160 ? " is-long" : ""}`,
                                        id: "wall-vote-question" }, v.question)];
  if (v.status === "open") parts.push(voteProgress(v));
  else if (v.status === "closed" || (v.status === "published" && !v.result)) {
    parts.push(h("div", { class: "wall-vote-main" }, h("p", { class: "wall-vote-counting", id: "wall-vote-counting" }, V.counting)));
  } else if (v.status === "published") parts.push(...voteChart(v));
  else if (v.status === "cancelled") {
    parts.push(h("div", { class: "wall-vote-main" },
      h("p", { class: "wall-vote-cancelled" }, fill(V.cancelled, { reason: v.cancel_reason ?? "" }))));
  }
  voteBox.replaceChildren(...parts);
  voteBox.hidden = false;
  voteTick();
}

function voteTick() {
  const el = $("wall-vote-countdown");
  const left = secondsLeft(room?.state?.vote ?? config.snapshot.vote);
  if (!el || left == null) return;
  el.textContent = left > 0 ? formatClock(left) : V.time_up;
  el.classList.toggle("is-ending", left <= 10);
}
setInterval(voteTick, 1000);

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

let room = null;
render(config.snapshot);
renderVote(config.snapshot, null);
window.addEventListener("resize", fit);
room = connectRoom({
  meetingId: config.meeting_id, wallToken: config.token, indicator: $("live-status"),
  strings: { connected: T.connected, reconnecting: T.reconnecting },
  onState: (state, delta) => {
    if (delta?.type === "presentation") dot.hidden = true;
    render(state);
    renderVote(state, delta);
  },
  onPointer,
});
room.on("vote_progress", (progress, state) => {
  const el = $("wall-vote-progress");
  if (!el || state.vote?.status !== "open") return;
  el.closest(".wall-vote-main").replaceWith(voteProgress(state.vote));
});
wall.room = room;
wall.dataset.ready = "true";
