// The delegate's voting panel (docs/PROTOCOL.md, "Votes"). Shown over the document viewer or the meeting page as soon
// as a vote opens: the question in full, big buttons, a confirmation step, and "recorded" only after the server's
// acknowledgement. Then "ended", the announced result, or the reason it was cancelled.
//
//   mountVoteScreen(room, { container, strings })   room: from connectRoom (room.js); container: the #vote-screen element
//
// A ballot has a ballot_id made here, one per decision. Until it is acknowledged it is kept in localStorage and sent
// again, with the same id, after every reconnect or reload: the server counts it once. After the acknowledgement the
// record stays, because a secret vote keeps no link to the voter: only this device can show what it sent.

const fill = (template, values) => (template ?? "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const RETRY_MS = 2500;
const KEEP_RECORDS_MS = 3 * 24 * 3600 * 1000;
const RETRYABLE = new Set(["timeout", "rate_limited", "server_error"]);

function uuid4() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID(); // only in secure contexts (https, localhost)
  const b = crypto.getRandomValues(new Uint8Array(16)); // a meeting-room LAN is often plain http
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// h("p", { class: "x", onclick }, "text", child...): a small element builder; text is always text, never HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function formatClock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// Seconds left before closes_at, or null without a countdown. Never more than the countdown itself (a tablet whose
// clock is ahead would otherwise show more time than there is).
export function secondsLeft(vote, now = Date.now()) {
  if (!vote?.closes_at || vote.status !== "open") return null;
  const left = (Date.parse(vote.closes_at) - now) / 1000;
  return vote.countdown_seconds ? Math.min(left, vote.countdown_seconds) : left;
}

export const percent = (n, base, lang) => (base > 0 ? (100 * n / base) : 0)
  .toLocaleString(lang, { maximumFractionDigits: 1 }) + "%";

// The result as rows and an outcome, for the tablet and the wall. base: members for the members and two-thirds rules
// (as a People's Council announces it: "x% of all delegates"), ballots cast for the cast rule.
export function describeResult(vote, T) {
  const r = vote.result;
  const base = vote.rule === "cast" ? r.ballots : r.members;
  const labels = Object.fromEntries(r.options.map((o) => [o.id, o.label]));
  const names = {};
  for (const person of r.named ?? []) {
    for (const id of person.choices ?? []) (names[id] ??= []).push(person.full_name);
  }
  const rows = r.options.map((o) => ({ ...o, base, names: names[o.id] ?? [], elected: r.elected.includes(o.id) }));
  let outcome;
  let state;
  if (vote.kind === "yes_no") {
    state = r.tie ? "tie" : r.passed ? "passed" : "not_passed";
    outcome = T[state];
  } else {
    state = r.passed ? "passed" : r.tie ? "tie" : "not_passed";
    outcome = r.passed ? fill(vote.kind === "multi" ? T.elected : T.chosen,
                              { names: r.elected.map((id) => labels[id]).join(", ") })
      : r.tie ? T.tie_choice : T.none_elected;
  }
  return { rows, base, outcome, state, rule: T.rules?.[vote.rule] ?? vote.rule,
           baseText: vote.rule === "cast" ? T.of_ballots : T.of_members };
}

export function mountVoteScreen(room, { container, strings: T }) {
  const lang = document.documentElement.lang || "vi";
  const ui = { voteId: null, picked: [], step: "choose", changing: false, error: "", errorCode: "", view: "open",
               sending: false, retryTimer: null, lastStatus: null, notEligible: "" };
  const banner = h("div", { class: "ballot-banner", id: "ballot-banner", role: "status", hidden: true });
  container.after(banner);
  container.classList.add("vote-screen");
  container.setAttribute("role", "dialog");
  container.setAttribute("aria-modal", "true");
  container.setAttribute("aria-labelledby", "ballot-question");

  const vote = () => room.state?.vote ?? null;
  const me = () => room.state?.me ?? null;
  const recordKey = (v) => `vote-ballot:${v.meeting_id}:${me()?.user_id ?? 0}:${v.id}`;
  const viewKey = (v) => `vote-view:${v.meeting_id}:${v.id}`;

  function record(v) {
    try {
      return JSON.parse(localStorage.getItem(recordKey(v)) || "null");
    } catch {
      return null;
    }
  }
  function saveRecord(v, value) {
    if (value) localStorage.setItem(recordKey(v), JSON.stringify(value));
    else localStorage.removeItem(recordKey(v));
  }
  function forgetOldRecords() {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const key = localStorage.key(i);
      if (!key?.startsWith("vote-ballot:")) continue;
      try {
        const r = JSON.parse(localStorage.getItem(key));
        if (!r?.sent || Date.now() - r.sent > KEEP_RECORDS_MS) localStorage.removeItem(key);
      } catch {
        localStorage.removeItem(key);
      }
    }
  }

  // "open", "min" (minimised to the banner) or "dismissed" (a finished vote closed by the reader): per tab, so it
  // survives the viewer moving to another document.
  function view(v) {
    return sessionStorage.getItem(viewKey(v));
  }
  function setView(v, value) {
    sessionStorage.setItem(viewKey(v), value);
    ui.view = value;
  }

  // Whether this person may vote: the server says so in their own view (snapshot); for a vote that opened while
  // joined, the same rule from the attendance at that moment; a `not_eligible` answer settles it.
  function mayVote(v) {
    if (ui.notEligible && ui.voteId === v.id) return false;
    if (typeof v.may_vote === "boolean") return v.may_vote;
    const m = me();
    if (!m?.can_vote || m.role === "secretary") return false;
    const att = room.state.attendance;
    const mine = att?.participants?.find((p) => p.participant_id === m.participant_id);
    const counted = att?.quorum?.online_counts ? ["present", "online"] : ["present"];
    return Boolean(mine && counted.includes(mine.status));
  }

  function myBallot(v) {
    const r = record(v);
    const server = v.my_ballot;
    if (r && !r.acked && server?.ballot_id === r.ballot_id) { // acknowledged while this device was away
      r.acked = true;
      r.at = r.at ?? Date.now();
      saveRecord(v, r);
    }
    if (r?.acked && (!server || server.ballot_id === r.ballot_id)) return { choices: r.choices, at: r.at, local: true };
    if (server) return { choices: server.choices, at: null, local: false };
    return null;
  }

  function pending(v) {
    const r = record(v);
    return r && !r.acked ? r : null;
  }

  const label = (v, ids) => (ids ?? []).map((id) => v.options.find((o) => o.id === id)?.label ?? "?").join(", ");
  const timeText = (ms) => new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  // ---- sending ------------------------------------------------------------------------------------------------------

  async function send(v) {
    const r = pending(v);
    if (!r || ui.sending) return;
    clearTimeout(ui.retryTimer);
    if (!room.socket.connected) {
      render(); // "waiting for the connection"; the next join sends it
      return;
    }
    ui.sending = true;
    render();
    const ack = await room.emit("vote_cast", { vote_id: v.id, ballot_id: r.ballot_id, choices: r.choices });
    ui.sending = false;
    const now = vote();
    if (record(v)?.ballot_id !== r.ballot_id) return render(); // replaced meanwhile
    if (ack.ok) {
      saveRecord(v, { ...r, acked: true, at: Date.now() });
      if (now?.id === v.id) {
        now.my_ballot = { ballot_id: r.ballot_id, choices: v.secret ? null : r.choices };
        // Counted now; vote_progress (paced) confirms it a moment later.
        if (!ack.duplicate && !r.previous) now.voted_count = Math.min((now.voted_count ?? 0) + 1, now.eligible_count ?? Infinity);
      }
      ui.changing = false;
      ui.error = "";
    } else if (RETRYABLE.has(ack.error?.code)) {
      ui.retryTimer = setTimeout(() => send(v), RETRY_MS); // the same ballot_id: counted once
    } else {
      const code = ack.error?.code ?? "";
      saveRecord(v, r.previous ?? null); // not stored: forget it (a change that failed keeps the earlier ballot)
      ui.error = ack.error?.message ?? T.failed;
      ui.errorCode = code;
      ui.step = "choose";
      ui.picked = [];
      if (code === "not_eligible") ui.notEligible = ui.error;
      if (code === "already_voted") refreshMine(v);
    }
    render();
  }

  async function refreshMine(v) {
    try {
      const response = await fetch(`/api/v1/votes/${v.id}`, { credentials: "same-origin",
                                                               headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const fresh = await response.json();
      const now = vote();
      if (now?.id === v.id) {
        now.my_ballot = fresh.my_ballot;
        if (typeof fresh.may_vote === "boolean") now.may_vote = fresh.may_vote;
      }
      render();
    } catch {
      // the next snapshot brings it
    }
  }

  function confirm() {
    const v = vote();
    if (!v || v.status !== "open" || !ui.picked.length) return;
    const before = record(v);
    saveRecord(v, { ballot_id: uuid4(), choices: [...ui.picked], acked: false, sent: Date.now(),
                    previous: before?.acked ? { ...before, previous: undefined } : null });
    ui.error = "";
    ui.step = "choose";
    send(v);
  }

  // ---- what to show -------------------------------------------------------------------------------------------------

  function pick(v, id) {
    ui.error = "";
    if (v.kind === "multi") {
      const at = ui.picked.indexOf(id);
      if (at >= 0) ui.picked.splice(at, 1);
      else if (ui.picked.length < v.max_choices) ui.picked.push(id);
      else ui.error = fill(T.at_most_reached, { k: v.max_choices });
    } else {
      ui.picked = [id];
      ui.step = "confirm";
    }
    render();
  }

  function head(v) {
    const left = secondsLeft(v);
    return h("header", { class: "ballot-head" },
      h("span", { class: "ballot-kicker" }, T.title),
      h("span", { class: `ballot-badge ballot-badge-${v.secret ? "secret" : "named"}` }, v.secret ? T.secret : T.named),
      v.status === "open" && left != null ? h("span", { class: "ballot-countdown", id: "ballot-countdown",
                                                        dataset: { left: String(Math.ceil(left)) } }) : null,
      h("span", { class: "ballot-head-gap" }),
      v.status === "open" || v.status === "closed"
        ? h("button", { type: "button", class: "ballot-minimise", id: "ballot-minimise", onclick: minimise }, T.minimise)
        : h("button", { type: "button", class: "ballot-minimise", id: "ballot-dismiss", onclick: dismiss }, T.close));
  }

  function progress(v) {
    const voted = v.voted_count ?? 0;
    const eligible = v.eligible_count ?? 0;
    return h("div", { class: "ballot-progress", id: "ballot-progress" },
      h("div", { class: "ballot-progress-track", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": eligible,
                 "aria-valuenow": voted },
        h("div", { class: "ballot-progress-fill", style: { width: `${eligible ? (100 * voted / eligible) : 0}%` } })),
      h("span", { class: "ballot-progress-text" }, fill(T.progress, { voted, eligible })));
  }

  function choices(v) {
    const box = h("div", { class: `ballot-choices ballot-choices-${v.kind}`, id: "ballot-choices" });
    for (const o of v.options) {
      const chosen = ui.picked.includes(o.id);
      const attrs = { type: "button", class: `ballot-choice ballot-choice-${o.code || "option"}${chosen ? " is-chosen" : ""}`,
                      dataset: { optionId: String(o.id), code: o.code || "" }, onclick: () => pick(v, o.id) };
      if (v.kind === "multi") attrs["aria-pressed"] = String(chosen);
      box.append(h("button", attrs, v.kind === "multi" ? h("span", { class: "ballot-tick", "aria-hidden": "true" }) : null,
                   h("span", { class: "ballot-choice-label" }, o.label)));
    }
    const parts = [h("p", { class: "ballot-hint" }, v.kind === "multi" ? fill(T.at_most, { k: v.max_choices })
      : v.kind === "single" ? T.choose_one : T.tap_choice), box];
    if (v.kind === "multi") {
      parts.push(h("div", { class: "ballot-multi-bar" },
        h("span", { class: "ballot-counter", id: "ballot-counter" }, fill(T.counter, { n: ui.picked.length, k: v.max_choices })),
        h("button", { type: "button", class: "ballot-next", id: "ballot-next", disabled: !ui.picked.length,
                      onclick: () => { ui.step = "confirm"; render(); } }, T.next)));
    }
    return parts;
  }

  function confirmation(v) {
    return h("div", { class: "ballot-confirm", id: "ballot-confirm" },
      h("p", { class: "ballot-confirm-text" }, T.you_chose, " ",
        h("strong", { class: "ballot-confirm-choice", dataset: { codes: ui.picked.map((id) => v.options.find((o) => o.id === id)?.code).join(",") } },
          label(v, ui.picked))),
      h("div", { class: "ballot-confirm-buttons" },
        h("button", { type: "button", class: "ballot-confirm-yes", id: "ballot-confirm-yes", onclick: confirm }, T.confirm),
        h("button", { type: "button", class: "ballot-confirm-back", id: "ballot-confirm-back",
                      onclick: () => { ui.step = "choose"; if (v.kind !== "multi") ui.picked = []; render(); } }, T.again)));
  }

  function recorded(v, mine) {
    const text = mine.choices ? fill(T.recorded, { choice: label(v, mine.choices) }) : T.recorded_secret;
    return h("div", { class: "ballot-done", id: "ballot-done" },
      h("p", { class: "ballot-done-text" }, h("span", { class: "ballot-done-mark", "aria-hidden": "true" }, "✓"), " ", text),
      mine.at ? h("p", { class: "ballot-done-time" }, fill(T.at_time, { time: timeText(mine.at) })) : null,
      v.status === "open" && v.allow_change && !v.secret
        ? [h("p", { class: "ballot-hint" }, T.may_change),
           h("button", { type: "button", class: "ballot-change", id: "ballot-change",
                         onclick: () => { ui.changing = true; ui.step = "choose"; ui.picked = []; render(); } }, T.change)]
        : null);
  }

  function sendingBox(v, r) {
    return h("div", { class: "ballot-sending", id: "ballot-sending" },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      h("p", {}, room.socket.connected ? T.sending : T.waiting),
      h("p", { class: "ballot-confirm-text" }, T.you_chose, " ", h("strong", {}, label(v, r.choices))));
  }

  function resultBox(v) {
    const d = describeResult(v, T);
    const r = v.result;
    const list = h("ul", { class: "ballot-result-rows" });
    for (const row of d.rows) {
      const width = d.base > 0 ? (100 * row.count / d.base) : 0;
      list.append(h("li", { class: `ballot-result-row${row.elected ? " is-elected" : ""}`, dataset: { code: row.code || "" } },
        h("span", { class: "ballot-result-label" }, row.label),
        h("span", { class: "ballot-result-track" }, h("span", { class: "ballot-result-fill", style: { width: `${width}%` } })),
        h("span", { class: "ballot-result-count" }, fill(T.count, { n: row.count }), " ",
          h("small", {}, percent(row.count, d.base, lang)))));
    }
    return h("div", { class: "ballot-result", id: "ballot-result", dataset: { outcome: d.state, kind: v.kind } },
      h("p", { class: "ballot-outcome", id: "ballot-outcome" }, d.outcome),
      list,
      h("p", { class: "ballot-result-facts" }, fill(T.turnout, { ballots: r.ballots, eligible: r.eligible,
                                                               not_voted: r.not_voted, members: r.members })),
      h("p", { class: "ballot-result-facts" }, fill(T.rule_needed, { rule: d.rule, n: r.needed }), " · ", d.baseText));
  }

  function body(v) {
    const parts = [h("h2", { class: "ballot-question", id: "ballot-question" }, v.question)];
    const mine = myBallot(v);
    const r = pending(v);
    let step;
    if (v.status === "open") {
      parts.push(progress(v));
      if (!mayVote(v) && !mine) {
        step = "ineligible";
        parts.push(h("div", { class: "ballot-ineligible", id: "ballot-ineligible" },
          h("p", { class: "ballot-ineligible-title" }, T.not_eligible),
          h("p", { class: "ballot-hint" }, ui.notEligible || T.not_eligible_why)));
      } else if (r) {
        step = "sending";
        parts.push(sendingBox(v, r));
      } else if (mine && !ui.changing) {
        step = "done";
        parts.push(recorded(v, mine));
      } else if (ui.step === "confirm" && ui.picked.length) {
        step = "confirm";
        parts.push(confirmation(v));
      } else {
        step = "choose";
        parts.push(...choices(v));
        if (ui.changing) {
          parts.push(h("button", { type: "button", class: "ballot-confirm-back", id: "ballot-change-cancel",
                                   onclick: () => { ui.changing = false; render(); } }, T.keep));
        }
      }
    } else {
      step = v.status;
      if (v.status === "closed") parts.push(h("p", { class: "ballot-ended", id: "ballot-ended" }, T.ended));
      if (v.status === "published" && v.result) parts.push(resultBox(v));
      if (v.status === "cancelled") {
        parts.push(h("p", { class: "ballot-cancelled", id: "ballot-cancelled" }, fill(T.cancelled, { reason: v.cancel_reason ?? "" })));
      }
      if (mine) parts.push(recorded(v, mine));
      else if (r) parts.push(sendingBox(v, r));
      else if (v.status !== "cancelled" && mayVote(v)) parts.push(h("p", { class: "ballot-hint" }, T.did_not_vote));
    }
    if (ui.error) parts.push(h("p", { class: "ballot-error", id: "ballot-error", role: "alert",
                                     dataset: { code: ui.errorCode } }, ui.error));
    return { parts, step, mine };
  }

  function render() {
    const v = vote();
    if (!v || v.status === "draft") {
      container.hidden = true;
      banner.hidden = true;
      container.dataset.voteId = "";
      return;
    }
    if (ui.voteId !== v.id) {
      Object.assign(ui, { voteId: v.id, picked: [], step: "choose", changing: false, error: "", errorCode: "",
                          notEligible: "" });
    }
    const { parts, step, mine } = body(v);
    container.dataset.voteId = String(v.id);
    container.dataset.status = v.status;
    container.dataset.step = step;
    container.dataset.kind = v.kind;
    container.replaceChildren(h("div", { class: "ballot-panel" }, head(v), h("div", { class: "ballot-body" }, parts)));
    tick();
    const shown = ui.view === "open";
    container.hidden = !shown;
    document.documentElement.classList.toggle("vote-screen-open", shown);
    banner.hidden = ui.view !== "min";
    if (!banner.hidden) {
      const state = v.status === "open" ? (mine ? T.banner_voted : mayVote(v) ? T.banner_not_voted : "")
        : v.status === "published" ? T.banner_result : v.status === "closed" ? T.ended : "";
      banner.dataset.status = v.status;
      banner.replaceChildren(
        h("span", { class: "ballot-banner-kicker" }, v.status === "open" ? T.banner_open : T.title),
        h("span", { class: "ballot-banner-question" }, v.question),
        state ? h("span", { class: "ballot-banner-state" }, state) : null,
        h("button", { type: "button", class: "ballot-banner-open", id: "ballot-banner-open",
                      onclick: () => { setView(v, "open"); render(); } }, T.open_panel));
    }
  }

  function minimise() {
    const v = vote();
    if (v) setView(v, "min");
    render();
  }

  function dismiss() {
    const v = vote();
    if (v) setView(v, "dismissed");
    render();
  }

  // The countdown, once a second, without redrawing the panel.
  function tick() {
    const v = vote();
    const el = container.querySelector("#ballot-countdown");
    if (!el || !v) return;
    const left = secondsLeft(v);
    el.textContent = left > 0 ? fill(T.time_left, { time: formatClock(left) }) : T.time_up;
    el.classList.toggle("is-ending", left != null && left <= 10);
  }
  setInterval(tick, 1000);

  // A change of the vote's status (a live delta) brings the panel up; a snapshot (joining, reconnecting, another
  // page) shows an open vote, and a finished one only if this tab was showing it.
  function onState(state, delta) {
    const v = state.vote;
    if (!v || v.status === "draft") {
      render();
      return;
    }
    const stored = view(v);
    const changed = ui.lastStatus !== `${v.id}:${v.status}`;
    ui.lastStatus = `${v.id}:${v.status}`;
    if (delta?.type === "vote" && changed) {
      setView(v, stored === "min" && v.status === "closed" ? "min" : "open");
    } else if (v.status === "open") {
      ui.view = stored === "min" ? "min" : "open";
    } else {
      ui.view = stored && stored !== "dismissed" ? stored : "dismissed";
    }
    if (!delta && pending(v)) send(v); // (re)joined: send what is still unacknowledged, with the same ballot_id
    render();
  }

  room.on("state", onState);
  room.on("vote_progress", () => {
    const el = container.querySelector("#ballot-progress");
    const v = vote();
    if (el && v) el.replaceWith(progress(v));
  });
  room.on("vote_ballot", () => render());
  room.socket.on("disconnect", () => render());
  forgetOldRecords();
  if (room.state) onState(room.state, null);
  container.dataset.ready = "true";
  return { render };
}
