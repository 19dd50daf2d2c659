// The chair's console: the agenda with the item in progress, start an item or go to the next one (set_item), present a
// document (present page 1, then open the viewer presenting), name the presenter (set_presenter), attendance and
// quorum live, who is connected; the secretary also records anyone's attendance (set_attendance). Votes: console-votes.js.

import { mountVotePanel } from "./console-votes.js";
import { connectRoom } from "./room.js";

const config = JSON.parse(document.getElementById("console-config").textContent);
const T = config.strings;
const $ = (id) => document.getElementById(id);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

const root = $("console");
const errorLine = $("console-error");
const presenterSelect = $("presenter-select");
let state = config.snapshot;

function showError(ack) {
  if (ack?.ok) {
    errorLine.hidden = true;
    return true;
  }
  errorLine.textContent = ack?.error?.message || T.failed;
  errorLine.hidden = false;
  return false;
}

async function send(event, payload, button) {
  if (button) button.disabled = true;
  try {
    return showError(await room.emit(event, payload));
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- agenda ----------------------------------------------------------------------------------------------------------

const items = [...document.querySelectorAll(".console-item")];

function renderAgenda() {
  const currentId = state.item?.id ?? null;
  for (const li of items) {
    const isCurrent = Number(li.dataset.itemId) === currentId;
    li.classList.toggle("is-current", isCurrent);
    if (isCurrent) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
  const index = items.findIndex((li) => Number(li.dataset.itemId) === currentId);
  $("next-item").disabled = index >= items.length - 1;
  const p = state.presentation;
  for (const li of document.querySelectorAll(".console-doc")) {
    li.classList.toggle("is-presented", p.presenting && Number(li.dataset.documentId) === p.document_id);
  }
  for (const button of document.querySelectorAll(".present-doc")) button.hidden = !mayPresent();
}

function mayPresent() {
  const me = state.me;
  return me.role === "chair" || state.presentation.presenter?.user_id === me.user_id;
}

root.addEventListener("click", async (event) => {
  const start = event.target.closest(".start-item");
  if (start) {
    await send("set_item", { item_id: Number(start.dataset.itemId) }, start);
    return;
  }
  const present = event.target.closest(".present-doc");
  if (present) {
    const documentId = Number(present.dataset.documentId);
    const ok = await send("present", { document_id: documentId, version_id: Number(present.dataset.versionId), page: 1 },
                          present);
    if (ok) window.location.assign(`${config.viewer_base}${documentId}?page=1&present=1`);
  }
});

$("next-item").addEventListener("click", (event) => {
  const index = items.findIndex((li) => Number(li.dataset.itemId) === (state.item?.id ?? null));
  const next = items[index + 1];
  if (next) send("set_item", { item_id: Number(next.dataset.itemId) }, event.currentTarget);
});

// ---- what is on screen, and who presents -------------------------------------------------------------------------------

function renderPresentation() {
  const p = state.presentation;
  const now = $("presentation-now");
  const open = $("open-presented");
  now.textContent = p.presenting ? fill(T.presenting, { title: p.title ?? "", n: p.page }) : T.nothing;
  now.classList.toggle("is-live", p.presenting);
  open.hidden = !p.presenting;
  if (p.presenting) open.href = `${config.viewer_base}${p.document_id}?page=${p.page}`;
  $("stop-presenting").hidden = !p.presenting;
  const wanted = String(p.presenter?.user_id ?? "");
  const options = [["", T.chair_presents], ...state.attendance.participants.filter((person) => person.role !== "chair")
    .map((person) => [String(person.user_id), person.full_name])];
  const signature = JSON.stringify(options);
  if (presenterSelect.dataset.options !== signature) {
    presenterSelect.textContent = "";
    for (const [value, label] of options) presenterSelect.append(new Option(label, value));
    presenterSelect.dataset.options = signature;
  }
  if (document.activeElement !== presenterSelect) presenterSelect.value = wanted;
}

presenterSelect.addEventListener("change", async () => {
  const value = presenterSelect.value;
  const ok = await send("set_presenter", { user_id: value ? Number(value) : null }, presenterSelect);
  if (!ok) renderPresentation();
});

$("stop-presenting").addEventListener("click", (event) => send("stop_presenting", {}, event.currentTarget));

// ---- attendance and quorum -------------------------------------------------------------------------------------------

function renderQuorum() {
  const { counts, quorum, by_site: sites } = state.attendance;
  const bar = $("quorum-bar");
  bar.dataset.reached = String(quorum.reached);
  const total = Math.max(1, quorum.voting_members);
  $("quorum-fill").style.width = `${(100 * quorum.checked_in) / total}%`;
  $("quorum-mark").style.left = `${(100 * quorum.required) / total}%`;
  $("quorum-count").textContent = fill(T.checked_in, { in: quorum.checked_in, total: quorum.voting_members });
  $("quorum-state").textContent = fill(quorum.reached ? T.reached : T.not_reached, { required: quorum.required });
  $("attendance-counts").textContent = fill(T.counts, counts);
  const list = $("quorum-sites");
  list.textContent = "";
  for (const site of sites) {
    const li = document.createElement("li");
    li.dataset.siteId = String(site.site_id);
    li.textContent = fill(T.site, site);
    list.append(li);
  }
}

const isSecretary = config.snapshot.me.role === "secretary";

function attendeeRow(person) {
  const li = document.createElement("li");
  li.className = "attendee";
  li.id = `attendee-${person.participant_id}`;
  li.dataset.participantId = String(person.participant_id);
  li.dataset.userId = String(person.user_id);
  const main = document.createElement("div");
  main.className = "attendee-main";
  const dot = document.createElement("span");
  dot.className = "presence-dot";
  const name = document.createElement("span");
  name.className = "attendee-name";
  name.textContent = person.full_name;
  const role = document.createElement("span");
  role.className = `role-chip role-${person.role}`;
  role.textContent = T.roles[person.role] ?? person.role;
  const status = document.createElement("span");
  status.className = "attendance-chip";
  main.append(dot, name, role, status);
  li.append(main);
  if (isSecretary) {
    const form = document.createElement("form");
    form.className = "attendance-form";
    const select = document.createElement("select");
    select.className = "attendance-status";
    select.setAttribute("aria-label", person.full_name);
    for (const value of ["unknown", "present", "online", "absent"]) select.append(new Option(T.status[value], value));
    select.options[0].disabled = true;
    const reason = document.createElement("input");
    reason.type = "text";
    reason.className = "attendance-reason";
    reason.maxLength = 300;
    reason.placeholder = T.reason;
    reason.setAttribute("aria-label", T.reason);
    const save = document.createElement("button");
    save.type = "submit";
    save.className = "button button-secondary button-small attendance-save";
    save.textContent = T.save;
    select.addEventListener("change", () => { reason.hidden = select.value !== "absent"; });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await send("set_attendance", { participant_id: person.participant_id, status: select.value,
                                                reason: select.value === "absent" ? reason.value.trim() : "" }, save);
      if (ok) li.dataset.dirty = "";
    });
    form.addEventListener("input", () => { li.dataset.dirty = "true"; });
    form.append(select, reason, save);
    li.append(form);
  }
  return li;
}

function renderAttendance() {
  const list = $("attendance-list");
  const connected = new Set(state.connected || []);
  const seen = new Set();
  for (const person of state.attendance.participants) {
    let li = $(`attendee-${person.participant_id}`);
    if (!li) {
      li = attendeeRow(person);
      list.append(li);
    }
    seen.add(li);
    const online = connected.has(person.user_id);
    li.classList.toggle("is-connected", online);
    const dot = li.querySelector(".presence-dot");
    dot.title = online ? T.connected_dot : T.offline_dot;
    dot.setAttribute("aria-label", dot.title);
    li.dataset.status = person.status;
    li.querySelector(".attendance-chip").textContent = T.status[person.status] + (person.reason ? ` – ${person.reason}` : "");
    if (isSecretary && li.dataset.dirty !== "true") {
      const select = li.querySelector(".attendance-status");
      select.value = person.status;
      const reason = li.querySelector(".attendance-reason");
      reason.value = person.reason || "";
      reason.hidden = person.status !== "absent";
    }
  }
  for (const li of [...list.children]) if (!seen.has(li)) li.remove();
}

function render() {
  renderAgenda();
  renderPresentation();
  renderQuorum();
  renderAttendance();
}

render();
const votes = mountVotePanel({ config, getState: () => state });
const room = connectRoom({
  meetingId: config.meeting_id, indicator: $("live-status"),
  strings: { connected: T.connected, reconnecting: T.reconnecting },
  onState: (fresh, delta) => {
    state = fresh;
    render();
    votes.onState(fresh, delta);
  },
  onPresence: (_presence, fresh) => {
    state = fresh;
    renderAttendance();
  },
});
votes.attach(room);
root.room = room;
root.dataset.ready = "true";
