// The chair's console, votes (#vote-panel): the prepared votes (the item in progress first) with "open"; a vote made on
// the spot (vote_create); the open vote with its progress (vote_progress, the `vote` room delta), its countdown and who
// has and has not voted (vote_voter, GET /api/v1/votes/<id>/voters: names only, for secret votes too); close (asks
// first while someone has not voted: #vote-close then #vote-close-confirm), cancel with a reason (#vote-cancel, then
// #vote-cancel-reason and #vote-cancel-confirm); the result before it is announced (vote_result, the close ack) and
// announce it (#vote-publish); a cancelled vote is voted again as a new prepared vote (.vote-rerun, HTTP).
// Refusals (no_quorum, another_open, ...) are shown in #cvote-error with the server's own message.
//
//   const votes = mountVotePanel({ config, getState });   // before connectRoom
//   votes.attach(room);                                    // after: listens to the vote events, loads the list
//   votes.onState(state, delta);                           // from connectRoom's onState (join, sync, every delta)

const $ = (id) => document.getElementById(id);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function mountVotePanel({ config, getState }) {
  const W = config.words;
  const T = config.strings.vote;
  const panel = $("vote-panel");
  const votes = new Map(); // id → vote, as the chair sees it
  let room = null;
  let voters = { voteId: null, voted: [], not_voted: [] };
  let highlight = null; // a vote to bring into view after it was made
  let ticking = null;

  // The agenda as the console shows it: item id → number.
  const itemNumbers = new Map([...document.querySelectorAll(".console-item")].map((li) => [
    Number(li.dataset.itemId), li.querySelector(".agenda-number")?.textContent.trim() ?? ""]));
  const itemOrder = [...itemNumbers.keys()];

  // ---- talking to the server ---------------------------------------------------------------------------------------

  async function http(method, url) {
    let response;
    try {
      response = await fetch(url, {
        method, credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      });
    } catch {
      return { ok: false, error: { message: W.failed } };
    }
    const body = await response.json().catch(() => ({}));
    return response.ok ? { ok: true, body } : { ok: false, error: body.error ?? { message: W.failed } };
  }

  function showError(error) {
    const line = $("cvote-error");
    line.textContent = error ? error.message || W.failed : "";
    line.hidden = !error;
    if (error) line.scrollIntoView({ block: "nearest" });
  }

  function fieldError(id, message) {
    const line = $(id);
    line.textContent = message || "";
    line.hidden = !message;
    const field = line.previousElementSibling?.querySelector("textarea, input, select");
    if (field) {
      if (message) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
  }

  async function act(button, event, payload) {
    if (button) button.disabled = true;
    panel.dataset.busy = "true";
    try {
      const ack = await room.emit(event, payload);
      if (ack.ok) {
        showError(null);
        if (ack.vote) remember(ack.vote);
        render();
      } else if (!ack.error?.field) {
        showError(ack.error);
      }
      return ack;
    } finally {
      if (button) button.disabled = false;
      panel.dataset.busy = "";
    }
  }

  // ---- what we know ----------------------------------------------------------------------------------------------------

  // A vote from any source. The room's `vote` delta is the public view (no counts before they are announced); keep
  // the result we already have for the same status.
  function remember(vote) {
    const known = votes.get(vote.id);
    const result = vote.result ?? (known && known.status === vote.status ? known.result : null);
    votes.set(vote.id, { ...known, ...vote, result });
  }

  let loading = null;
  async function loadList() {
    if (loading) return loading;
    loading = (async () => {
      const answer = await http("GET", config.votes_api);
      if (answer.ok) {
        votes.clear();
        for (const vote of answer.body.votes) votes.set(vote.id, vote);
        render();
      }
    })();
    try {
      await loading;
    } finally {
      loading = null;
    }
  }

  let votersTimer = null;
  function refreshVoters(soon = true) {
    if (votersTimer) return;
    votersTimer = setTimeout(async () => {
      votersTimer = null;
      const vote = live();
      if (!vote || vote.status !== "open") return;
      const answer = await http("GET", `${config.vote_api}${vote.id}/voters`);
      if (answer.ok) {
        voters = { voteId: vote.id, voted: answer.body.voted, not_voted: answer.body.not_voted };
        renderVoters(vote);
      }
    }, soon ? 300 : 0);
  }

  // The vote the room is busy with: the open one, else one closed and waiting to be announced, else the latest.
  function live() {
    const held = [...votes.values()].filter((v) => v.status !== "draft");
    const rank = (v) => (v.status === "open" ? 2 : v.status === "closed" ? 1 : 0);
    held.sort((a, b) => rank(b) - rank(a) || String(b.opened_at ?? "").localeCompare(String(a.opened_at ?? ""))
      || b.id - a.id);
    return held[0] ?? null;
  }

  const rerunOf = () => new Set([...votes.values()].map((v) => v.rerun_of_id).filter(Boolean));

  // ---- drawing -------------------------------------------------------------------------------------------------------

  function kindText(vote) {
    return vote.kind === "multi" ? fill(W.kinds_short.multi, { n: vote.max_choices }) : W.kinds_short[vote.kind];
  }

  function facts(vote) {
    // Agree / Disagree / Abstain goes without saying; the other kinds are named.
    const kind = vote.kind === "yes_no" ? [] : [kindText(vote)];
    return [...kind, vote.secret ? W.secret : W.named, W.rules[vote.rule]].join(" · ");
  }

  function itemText(vote) {
    return vote.agenda_item_id && itemNumbers.has(vote.agenda_item_id)
      ? fill(W.item, { n: itemNumbers.get(vote.agenda_item_id) }) : W.no_item;
  }

  function badge(status) {
    const chip = element("span", `cvote-badge cvote-badge-${status}`, W.statuses[status] ?? status);
    return chip;
  }

  function row(vote, reruns) {
    const li = element("li", "cvote-row");
    li.dataset.voteId = String(vote.id);
    li.dataset.status = vote.status;
    const main = element("div", "cvote-row-main");
    main.append(element("p", "cvote-row-question", vote.question));
    const meta = element("p", "cvote-row-meta");
    if (vote.status !== "draft") meta.append(badge(vote.status), " ");
    meta.append([itemText(vote), ...(vote.kind === "yes_no" ? [] : [kindText(vote)]), ...(vote.secret ? [W.secret] : [])]
      .join(" · "));
    if (vote.rerun_of_id) meta.append(element("span", "cvote-row-rerun", ` · ${T.rerun_of}`));
    if (vote.status === "published" && vote.result) {
      meta.append(" · ", element("strong", "cvote-row-outcome", outcomeText(vote)));
    }
    main.append(meta);
    li.append(main);
    if (vote.status === "draft") {
      const open = element("button", "button button-primary button-small vote-open", T.open);
      open.type = "button";
      li.append(open);
    } else if (vote.status === "cancelled" && !reruns.has(vote.id)) {
      const again = element("button", "button button-secondary button-small vote-rerun", T.rerun);
      again.type = "button";
      li.append(again);
    }
    if (vote.id === highlight) li.classList.add("is-new");
    return li;
  }

  function fillList(id, list, reruns) {
    const ul = $(id);
    ul.textContent = "";
    for (const vote of list) ul.append(row(vote, reruns));
    $(`${id}-title`).hidden = list.length === 0;
  }

  function renderLists() {
    const current = getState()?.item?.id ?? null;
    const shown = live();
    const reruns = rerunOf();
    const all = [...votes.values()];
    const position = (v) => {
      const at = itemOrder.indexOf(v.agenda_item_id);
      return at < 0 ? itemOrder.length : at;
    };
    const drafts = all.filter((v) => v.status === "draft").sort((a, b) => position(a) - position(b) || a.id - b.id);
    fillList("cvote-list-here", drafts.filter((v) => current !== null && v.agenda_item_id === current), reruns);
    fillList("cvote-list-other", drafts.filter((v) => current === null || v.agenda_item_id !== current), reruns);
    fillList("cvote-list-done", all.filter((v) => v.status !== "draft" && v.id !== shown?.id)
      .sort((a, b) => b.id - a.id), reruns);
    $("cvote-list-empty").hidden = all.length > 0;
    $("cvote-lists").hidden = all.length > 0 && all.every((v) => v.id === shown?.id);
    if (highlight !== null) {
      panel.querySelector(`.cvote-row[data-vote-id="${highlight}"]`)?.scrollIntoView({ block: "nearest" });
      highlight = null;
    }
  }

  function outcomeText(vote) {
    const r = vote.result;
    if (r.tie) return W.tie;
    return r.passed ? W.passed : W.not_passed;
  }

  function renderResult(vote) {
    const box = $("cvote-result");
    const r = vote.result;
    box.hidden = !r;
    if (!r) return;
    box.dataset.outcome = r.tie ? "tie" : r.passed ? "passed" : "not_passed";
    const outcome = $("cvote-outcome");
    outcome.textContent = "";
    outcome.append(element("span", "cvote-outcome-label", vote.status === "published" ? T.announced : T.preview),
                   element("strong", "cvote-outcome-value", outcomeText(vote)));
    const list = $("cvote-counts");
    list.textContent = "";
    const base = Math.max(1, r.ballots);
    const elected = new Set(r.elected || []);
    for (const option of r.options) {
      const li = element("li", "cvote-count");
      li.dataset.code = option.code ?? "";
      if (elected.has(option.id)) li.classList.add("is-elected");
      const label = element("span", "cvote-count-label", option.label);
      const number = element("span", "cvote-count-number", String(option.count));
      const bar = element("span", "cvote-count-bar");
      bar.append(element("span", "cvote-count-fill"));
      bar.firstChild.style.width = `${(100 * option.count) / base}%`;
      li.append(label, number, bar);
      list.append(li);
    }
    const lines = [fill(W.turnout, r), fill(W.needed, { n: r.needed, rule: W.rules[vote.rule] })];
    if (vote.kind !== "yes_no") {
      const names = r.options.filter((o) => elected.has(o.id)).map((o) => o.label);
      lines.push(names.length ? fill(W.elected, { names: names.join(", ") }) : W.none_elected);
    }
    $("cvote-result-facts").textContent = lines.join("\n");
  }

  function renderVoters(vote) {
    const box = $("cvote-voters");
    box.hidden = vote.status !== "open" || voters.voteId !== vote.id;
    if (box.hidden) return;
    const fillNames = (id, people) => {
      const ul = $(id);
      ul.textContent = "";
      if (!people.length) ul.append(element("li", "cvote-name is-none", T.nobody));
      for (const person of people) {
        const li = element("li", "cvote-name", person.full_name);
        li.dataset.userId = String(person.user_id);
        ul.append(li);
      }
    };
    $("cvote-voters-not-title").textContent = fill(T.not_voted, { n: voters.not_voted.length });
    $("cvote-voters-yes-title").textContent = fill(T.voted, { n: voters.voted.length });
    fillNames("cvote-voters-not-list", voters.not_voted);
    fillNames("cvote-voters-yes-list", voters.voted);
    box.title = vote.secret ? T.secret_names : "";
  }

  function renderProgress(vote) {
    const showing = vote.status === "open";
    $("cvote-progress").hidden = !showing;
    if (!showing) return;
    const eligible = Math.max(0, vote.eligible_count);
    $("cvote-progress").dataset.voted = String(vote.voted_count);
    $("cvote-progress").dataset.eligible = String(eligible);
    $("cvote-progress-count").textContent = fill(T.progress, { voted: vote.voted_count, eligible });
    $("cvote-meter-fill").style.width = `${eligible ? (100 * vote.voted_count) / eligible : 0}%`;
    renderCountdown(vote);
  }

  function renderCountdown(vote) {
    const clock = $("cvote-countdown");
    const ends = vote.status === "open" && vote.closes_at ? Date.parse(vote.closes_at) : NaN;
    clock.hidden = Number.isNaN(ends);
    if (clock.hidden) {
      clearInterval(ticking);
      ticking = null;
      return;
    }
    const tick = () => {
      const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      clock.textContent = left > 0
        ? fill(T.left, { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` }) : T.time_up;
      clock.dataset.urgent = String(left <= 10);
    };
    tick();
    if (!ticking) ticking = setInterval(() => { const v = live(); if (v) renderCountdown(v); }, 500);
  }

  function renderLive() {
    const vote = live();
    const box = $("cvote-live");
    box.hidden = !vote;
    if (!vote) {
      renderCountdown({ status: "none" });
      return;
    }
    if (box.dataset.liveVoteId !== String(vote.id)) {
      // Another vote: nothing half-done of the previous one stays on screen.
      $("cvote-close-confirm-box").hidden = true;
      $("cvote-cancel-form").hidden = true;
      fieldError("vote-cancel-reason-error", null);
      $("vote-cancel-reason").value = "";
      voters = { voteId: null, voted: [], not_voted: [] };
    }
    box.dataset.liveVoteId = String(vote.id);
    box.dataset.status = vote.status;
    const chip = $("cvote-live-badge");
    chip.className = `cvote-badge cvote-badge-${vote.status}`;
    chip.textContent = W.statuses[vote.status];
    $("cvote-live-facts").textContent = `${itemText(vote)} · ${facts(vote)}`;
    $("cvote-live-question").textContent = vote.question;
    renderProgress(vote);
    renderVoters(vote);
    renderResult(vote);
    const cancelled = $("cvote-cancelled");
    cancelled.hidden = vote.status !== "cancelled";
    const rerunDone = rerunOf().has(vote.id);
    if (vote.status === "cancelled") {
      cancelled.textContent = fill(T.cancelled, { reason: vote.cancel_reason ?? "" })
        + (rerunDone ? `\n${T.rerun_made}` : "");
    }
    const busyForm = !$("cvote-cancel-form").hidden || !$("cvote-close-confirm-box").hidden;
    $("vote-close").hidden = vote.status !== "open" || busyForm;
    $("vote-publish").hidden = vote.status !== "closed" || busyForm;
    $("vote-cancel").hidden = !["open", "closed"].includes(vote.status) || busyForm;
    const rerun = $("cvote-live-rerun");
    rerun.hidden = vote.status !== "cancelled" || rerunDone;
    rerun.dataset.voteId = String(vote.id);
    if (vote.status !== "open") $("cvote-close-confirm-box").hidden = true;
    if (!["open", "closed"].includes(vote.status)) $("cvote-cancel-form").hidden = true;
    if (vote.status === "open" && voters.voteId !== vote.id) refreshVoters(false);
  }

  function render() {
    renderLive();
    renderLists();
  }

  // ---- actions ---------------------------------------------------------------------------------------------------------

  panel.addEventListener("click", async (event) => {
    const open = event.target.closest(".vote-open");
    if (open) {
      const id = Number(open.closest("[data-vote-id]").dataset.voteId);
      const ack = await act(open, "vote_open", { vote_id: id });
      if (ack.ok) {
        refreshVoters(false);
        $("cvote-live").scrollIntoView({ block: "nearest" });
      }
      return;
    }
    const again = event.target.closest(".vote-rerun");
    if (again) {
      const id = Number(again.dataset.voteId || again.closest("[data-vote-id]")?.dataset.voteId);
      again.disabled = true;
      const answer = await http("POST", `${config.vote_api}${id}/rerun`);
      again.disabled = false;
      if (!answer.ok) {
        showError(answer.error);
        return;
      }
      showError(null);
      remember(answer.body);
      highlight = answer.body.id;
      render();
    }
  });

  $("vote-close").addEventListener("click", (event) => {
    const vote = live();
    const missing = Math.max(0, vote.eligible_count - vote.voted_count);
    $("cvote-close-question").textContent = missing ? fill(T.close_confirm, { n: missing }) : T.close_all;
    $("cvote-close-confirm-box").hidden = false;
    event.currentTarget.hidden = true;
    $("vote-cancel").hidden = true;
    $("vote-close-confirm").focus();
  });

  $("cvote-close-back").addEventListener("click", () => {
    $("cvote-close-confirm-box").hidden = true;
    renderLive();
  });

  $("vote-close-confirm").addEventListener("click", async (event) => {
    const ack = await act(event.currentTarget, "vote_close", { vote_id: live().id });
    if (ack.ok || ack.error?.code === "not_open") {
      $("cvote-close-confirm-box").hidden = true;
      renderLive();
    }
  });

  $("vote-publish").addEventListener("click", (event) => act(event.currentTarget, "vote_publish",
                                                             { vote_id: live().id }));

  $("vote-cancel").addEventListener("click", () => {
    $("cvote-cancel-form").hidden = false;
    $("cvote-close-confirm-box").hidden = true;
    renderLive();
    $("vote-cancel-reason").focus();
  });

  $("cvote-cancel-back").addEventListener("click", () => {
    $("cvote-cancel-form").hidden = true;
    fieldError("vote-cancel-reason-error", null);
    renderLive();
  });

  $("cvote-cancel-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = $("vote-cancel-reason").value.trim();
    if (!reason) {
      fieldError("vote-cancel-reason-error", T.reason_required);
      $("vote-cancel-reason").focus();
      return;
    }
    const ack = await act($("vote-cancel-confirm"), "vote_cancel", { vote_id: live().id, reason });
    if (ack.ok) {
      $("cvote-cancel-form").hidden = true;
      $("vote-cancel-reason").value = "";
      fieldError("vote-cancel-reason-error", null);
      renderLive();
    } else if (ack.error?.field) {
      fieldError("vote-cancel-reason-error", ack.error.message);
    }
  });

  // A vote made on the spot: Agree / Disagree / Abstain, for the item in progress.
  const quick = $("cvote-quick");
  const toggle = $("cvote-quick-toggle");
  function showQuick(show) {
    quick.hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
    if (show) $("cvote-quick-question").focus();
    else fieldError("cvote-quick-question-error", null);
  }
  toggle.addEventListener("click", () => showQuick(quick.hidden));
  $("cvote-quick-cancel").addEventListener("click", () => showQuick(false));
  quick.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = $("cvote-quick-question").value.trim();
    if (!question) {
      fieldError("cvote-quick-question-error", T.question_required);
      $("cvote-quick-question").focus();
      return;
    }
    const ack = await act($("cvote-quick-submit"), "vote_create", {
      question, kind: "yes_no", rule: $("cvote-quick-rule").value, secret: $("cvote-quick-secret").checked,
      agenda_item_id: getState()?.item?.id ?? null,
    });
    if (ack.ok) {
      quick.reset();
      showQuick(false);
      highlight = ack.vote.id;
      render();
    } else if (ack.error?.field === "question") {
      fieldError("cvote-quick-question-error", ack.error.message);
    } else if (ack.error?.field) {
      showError(ack.error);
    }
  });

  // ---- live ------------------------------------------------------------------------------------------------------------

  function attach(connected) {
    room = connected;
    const socket = room.socket;
    socket.on("vote_progress", (progress) => {
      const vote = votes.get(progress.vote_id);
      if (!vote) return;
      // Paced by the server and not numbered: never let an older count undo a newer one.
      vote.voted_count = Math.max(vote.status === "open" ? vote.voted_count : 0, progress.voted);
      vote.eligible_count = progress.eligible;
      if (live()?.id === vote.id) renderProgress(vote);
      refreshVoters();
    });
    socket.on("vote_voter", ({ vote_id: voteId, user_id: userId }) => {
      if (voters.voteId === voteId) {
        const person = voters.not_voted.find((p) => p.user_id === userId);
        if (person) {
          voters.not_voted = voters.not_voted.filter((p) => p !== person);
          voters.voted = [...voters.voted, person].sort((a, b) => a.full_name.localeCompare(b.full_name, "vi"));
          const vote = votes.get(voteId);
          if (vote) renderVoters(vote);
          return; // applied here; vote_progress refreshes the lists from the server anyway
        }
      }
      refreshVoters();
    });
    socket.on("vote_result", (vote) => {
      if (vote.meeting_id !== config.meeting_id) return;
      remember(vote);
      render();
    });
    loadList();
  }

  function onState(state, delta) {
    if (!room) return;
    if (!delta) {
      loadList(); // joined or re-synced: anything may have changed meanwhile
      return;
    }
    if (delta.type === "vote" && delta.data?.id) {
      remember(delta.data);
      render();
      loadList(); // the organisers' view (counts once closed) and other prepared votes
    } else if (delta.type === "item") {
      renderLists();
    }
  }

  render();
  return { attach, onState, render };
}
