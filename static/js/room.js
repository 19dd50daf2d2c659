// The live room, shared by the tablet viewer, the chair's console and the wall screen (docs/PROTOCOL.md).
// Connects, joins the meeting, keeps its snapshot, applies the numbered `room` deltas in order, asks for a fresh
// snapshot (`sync`) when a number is missing, and joins again after every reconnect: python-socketio does not replay
// what a tablet missed while its Wi-Fi was down.
//
//   const room = connectRoom({ meetingId, onState, onDelta, onPointer, onPresence, indicator, strings });
//   room.state          the current snapshot (null until joined)
//   room.status         "connecting" | "connected" | "reconnecting"
//   await room.emit("present", { document_id, page })   → the acknowledgement ({ok, ...}); meeting_id is added
//   room.on("state", (state, delta) => ...)   more listeners (the vote screen): delta null after a (re)join or sync
//   room.on("vote_progress" | "vote_ballot" | "vote_result", (payload, state) => ...)   after state.vote took it in
//
// strings: { connected, reconnecting } (already translated, from the template); indicator: an element whose text and
// data-state show the connection.

import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";

const ACK_TIMEOUT_MS = 8000;

export function applyDelta(state, delta) {
  const data = delta.data || {};
  if (delta.type === "item") {
    state.item = data.item ?? null;
  } else if (delta.type === "presentation") {
    const { item, ...presentation } = data;
    state.presentation = presentation;
    if (item !== undefined) state.item = item;
  } else if (delta.type === "attendance") {
    state.attendance = mergeAttendance(state.attendance, data, state.me);
  } else if (delta.type === "vote") {
    state.vote = mergeVote(state.vote, data);
  }
  state.seq = delta.seq;
  return state;
}

// An `attendance` delta has the counts, sites and quorum, and only the rows that changed (`changed`): replace them in
// the list this client has (the consoles have everyone; a tablet only its own row). A row the console does not know
// yet (someone invited during the meeting) is added.
export function mergeAttendance(known, data, me) {
  const { changed = [], ...totals } = data;
  const participants = [...(known?.participants ?? [])];
  for (const row of changed) {
    const at = participants.findIndex((p) => p.participant_id === row.participant_id);
    if (at >= 0) participants[at] = row;
    else if (me?.may_run || row.participant_id === me?.participant_id) participants.push(row);
  }
  return { ...totals, participants };
}

// A `vote` delta is the public view of the vote (what everyone may see): it has no `my_ballot` or `may_vote`, and no
// `result` before it is announced. Keep what this viewer already knew about the same vote.
export function mergeVote(known, data) {
  if (!data) return null;
  if (!known || known.id !== data.id) return { my_ballot: null, ...data };
  const vote = { ...known, ...data };
  if (!("my_ballot" in data)) vote.my_ballot = known.my_ballot ?? null;
  if (!("may_vote" in data) && "may_vote" in known) vote.may_vote = known.may_vote;
  if (data.result == null && data.status === "closed" && known.status === "closed") vote.result = known.result;
  return vote;
}

// Per-vote events that are not numbered: fold them into the snapshot's vote, if it is that vote.
function foldVoteEvent(state, event, payload) {
  const vote = state?.vote;
  if (!vote || vote.id !== payload.vote_id && vote.id !== payload.id) return;
  if (event === "vote_progress") {
    vote.voted_count = Math.max(vote.voted_count ?? 0, payload.voted);
    vote.eligible_count = payload.eligible;
  } else if (event === "vote_ballot") {
    vote.my_ballot = { ballot_id: payload.ballot_id, choices: payload.choices ?? null };
  } else if (event === "vote_result" && payload.status === vote.status) {
    vote.result = payload.result;
  }
}

export function connectRoom({
  meetingId, wallToken = null, onState = () => {}, onDelta = () => {}, onPointer = () => {},
  onPresence = () => {}, onStatus = () => {}, indicator = null, strings = {},
}) {
  const options = { transports: ["websocket", "polling"] };
  if (wallToken) options.auth = { wall_token: wallToken };
  const socket = io(options);
  const listeners = {};
  const room = { socket, state: null, status: "connecting", emit, on };
  let syncing = false;
  let behind = 0; // the highest seq seen while a sync was under way

  function on(event, fn) {
    (listeners[event] ??= []).push(fn);
    return room;
  }

  function tell(event, ...args) {
    for (const fn of listeners[event] ?? []) {
      try {
        fn(...args);
      } catch (error) {
        console.error(error); // one listener's bug must not stop the others
      }
    }
  }

  function setStatus(status) {
    room.status = status;
    if (indicator) {
      indicator.dataset.state = status;
      indicator.textContent = status === "connected" ? strings.connected ?? "" : strings.reconnecting ?? "";
      indicator.hidden = false;
    }
    onStatus(status);
  }

  async function emit(event, payload = {}) {
    try {
      return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, { meeting_id: meetingId, ...payload });
    } catch {
      return { ok: false, error: { code: "timeout", message: strings.reconnecting ?? "" } };
    }
  }

  function replace(snapshot) {
    room.state = snapshot;
    onState(snapshot, null);
    tell("state", snapshot, null);
  }

  // join (on every connect) and sync (after a gap) both answer with a whole snapshot; deltas that arrive meanwhile
  // are only counted, and if they went past the snapshot we ask again.
  async function refresh(event) {
    if (syncing && event === "sync") return null;
    syncing = true;
    let ack;
    try {
      ack = await emit(event);
      if (ack.ok) replace(ack.snapshot);
    } finally {
      syncing = false;
    }
    if (room.state && behind > room.state.seq) {
      behind = 0;
      refresh("sync");
    }
    return ack;
  }

  const sync = () => refresh("sync");

  socket.on("connect", async () => {
    // Also after every reconnect: join again and take the whole state, whatever was missed meanwhile.
    const ack = await refresh("join");
    setStatus(ack?.ok ? "connected" : "reconnecting");
  });

  socket.on("disconnect", () => setStatus("reconnecting"));
  socket.on("connect_error", () => setStatus("reconnecting"));

  socket.on("room", (delta) => {
    if (delta.meeting_id !== meetingId) return;
    if (syncing || !room.state) {
      behind = Math.max(behind, delta.seq);
      return;
    }
    if (delta.seq <= room.state.seq) return; // old news
    if (delta.seq !== room.state.seq + 1) {
      sync(); // something was missed: start again from a snapshot
      return;
    }
    applyDelta(room.state, delta);
    onDelta(delta, room.state);
    onState(room.state, delta);
    tell("state", room.state, delta);
  });

  for (const event of ["vote_progress", "vote_ballot", "vote_result"]) {
    socket.on(event, (payload) => {
      if (!room.state) return;
      foldVoteEvent(room.state, event, payload);
      tell(event, payload, room.state);
    });
  }

  socket.on("pointer", (pointer) => {
    if (pointer.meeting_id === meetingId) onPointer(pointer);
  });

  socket.on("presence", (presence) => {
    if (presence.meeting_id !== meetingId || !room.state) return;
    const ids = new Set(room.state.connected || []);
    if (presence.connected) ids.add(presence.user_id);
    else ids.delete(presence.user_id);
    room.state.connected = [...ids];
    onPresence(presence, room.state);
  });

  setStatus("connecting");
  if (indicator) indicator.textContent = strings.reconnecting ?? "";
  return room;
}

// A throttle that always delivers the last call: at most one call per `ms`, the latest arguments win.
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  let pending = null;
  return (...args) => {
    pending = args;
    const wait = last + ms - Date.now();
    if (wait <= 0 && !timer) {
      last = Date.now();
      fn(...pending);
      pending = null;
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        if (pending) fn(...pending);
        pending = null;
      }, Math.max(0, wait));
    }
  };
}
