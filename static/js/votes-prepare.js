// The meeting page's votes (#votes, templates/meetings/_votes.html). The chair and the secretary see every vote, prepare
// a new one, change or delete one that has not been opened (POST /api/v1/meetings/<id>/votes, PATCH and DELETE
// /api/v1/votes/<id>) and export results (CSV, JSON). A refusal is shown next to the field the server names
// (error.field), in the user's language. Others see the announced results only, and the section stays hidden until
// there is one.

const element = document.getElementById("votes-config");
const config = element ? JSON.parse(element.textContent) : null;
const $ = (id) => document.getElementById(id);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

function node(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

async function call(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { message: config.words.failed } };
  }
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  return response.ok ? { ok: true, data } : { ok: false, error: data.error ?? { message: config.words.failed } };
}

function start() {
  const W = config.words;
  const T = config.strings;
  const section = $("votes");
  const list = $("vote-list");
  const form = $("vote-form");
  let votes = [];
  let editing = null; // the id of the vote being changed, or null for a new one

  // ---- the list --------------------------------------------------------------------------------------------------------

  const kindText = (vote) => (vote.kind === "multi" ? fill(W.kinds_short.multi, { n: vote.max_choices })
    : W.kinds_short[vote.kind]);

  function outcome(result) {
    if (result.tie) return W.tie;
    return result.passed ? W.passed : W.not_passed;
  }

  function resultBlock(vote) {
    const r = vote.result;
    const box = node("div", "vote-item-result");
    box.dataset.outcome = r.tie ? "tie" : r.passed ? "passed" : "not_passed";
    box.append(node("strong", "vote-item-outcome", outcome(r)));
    const counts = node("ul", "vote-item-counts");
    const elected = new Set(r.elected || []);
    for (const option of r.options) {
      const li = node("li", elected.has(option.id) ? "is-elected" : "");
      li.append(node("span", "vote-item-count-label", option.label), " ", node("strong", "", String(option.count)));
      counts.append(li);
    }
    box.append(counts, node("p", "vote-item-turnout", fill(W.turnout, r)));
    if (vote.kind !== "yes_no") {
      const names = r.options.filter((o) => elected.has(o.id)).map((o) => o.label);
      box.append(node("p", "vote-item-turnout", names.length ? fill(W.elected, { names: names.join(", ") })
        : W.none_elected));
    }
    if (r.named?.length) {
      const labels = new Map(r.options.map((o) => [o.id, o.label]));
      const details = node("details", "vote-item-named");
      details.append(node("summary", "", T.named_title));
      const names = node("ul", "");
      for (const person of r.named) {
        names.append(node("li", "", `${person.full_name}: ${person.choices.map((c) => labels.get(c)).join(", ")}`));
      }
      details.append(names);
      box.append(details);
    }
    return box;
  }

  function row(vote) {
    const li = node("li", "vote-item");
    li.id = `vote-${vote.id}`;
    li.dataset.voteId = String(vote.id);
    li.dataset.status = vote.status;
    const head = node("div", "vote-item-head");
    head.append(node("span", `vote-state vote-state-${vote.status}`, W.statuses[vote.status] ?? vote.status));
    const item = config.items[String(vote.agenda_item_id)];
    head.append(node("span", "vote-item-where", item ? fill(W.item, { n: item }) : W.no_item));
    li.append(head, node("p", "vote-item-question", vote.question));
    const facts = [kindText(vote), vote.secret ? W.secret : W.named, W.rules[vote.rule]];
    if (vote.allow_change && !vote.secret) facts.push(T.allow_change);
    if (vote.countdown_seconds) facts.push(fill(T.countdown, { s: vote.countdown_seconds }));
    if (vote.rerun_of_id) facts.push(T.rerun_of);
    li.append(node("p", "vote-item-facts", facts.join(" · ")));
    if (vote.kind !== "yes_no" && vote.status === "draft") {
      const options = node("ol", "vote-item-options");
      for (const option of vote.options) options.append(node("li", "", option.label));
      li.append(options);
    }
    if (vote.status === "cancelled" && vote.cancel_reason) {
      li.append(node("p", "vote-item-cancelled", fill(T.cancelled, { reason: vote.cancel_reason })));
    }
    if (vote.result) li.append(resultBlock(vote));
    const actions = node("div", "vote-item-actions");
    if (vote.status === "draft" && config.can_prepare) {
      const edit = node("button", "button button-secondary button-small vote-edit", T.edit_button);
      edit.type = "button";
      const remove = node("button", "button button-quiet button-small button-danger-text vote-delete", T.delete_button);
      remove.type = "button";
      actions.append(edit, remove);
    }
    if (vote.result && config.organiser) {
      actions.append(node("span", "vote-export-label", T.export));
      for (const [format, label] of [["csv", T.csv], ["json", T.json]]) {
        const link = node("a", `button button-quiet button-small vote-export vote-export-${format}`, label);
        link.href = `${config.vote_api}${vote.id}/result.${format}`;
        if (format === "json") link.target = "_blank";
        actions.append(link);
      }
    }
    if (actions.childElementCount) li.append(actions);
    return li;
  }

  function render() {
    const shown = config.organiser ? votes : votes.filter((v) => v.status === "published");
    list.textContent = "";
    for (const vote of shown) list.append(row(vote));
    $("votes-empty").hidden = shown.length > 0;
    if (!config.organiser) section.hidden = shown.length === 0;
  }

  async function load() {
    const answer = await call("GET", config.votes_api);
    const error = $("votes-error");
    if (!answer.ok) {
      error.textContent = config.organiser ? answer.error.message || T.load_failed : "";
      error.hidden = !config.organiser;
      return;
    }
    error.hidden = true;
    votes = answer.data.votes;
    render();
  }

  // ---- the form --------------------------------------------------------------------------------------------------------

  const optionList = $("vote-option-list");
  const template = $("vote-option-template");

  function addOption(text = "", focus = false) {
    const li = template.content.firstElementChild.cloneNode(true);
    li.querySelector(".vote-option-input").value = text;
    optionList.append(li);
    renumberOptions();
    if (focus) li.querySelector(".vote-option-input").focus();
  }

  function renumberOptions() {
    const rows = [...optionList.children];
    rows.forEach((li, index) => {
      li.querySelector(".vote-option-up").disabled = index === 0;
      li.querySelector(".vote-option-down").disabled = index === rows.length - 1;
      li.querySelector(".vote-option-remove").disabled = rows.length <= 2;
    });
  }

  function kind() {
    return form.querySelector('input[name="kind"]:checked')?.value ?? "yes_no";
  }

  function syncForm() {
    const k = kind();
    $("vote-options").hidden = k === "yes_no";
    $("vote-max").hidden = k !== "multi";
    while (k !== "yes_no" && optionList.children.length < 2) addOption();
    const secret = $("vote-form-secret").checked;
    const change = $("vote-form-allow-change");
    change.disabled = secret;
    if (secret) change.checked = false;
    $("vote-form-allow-change-hint").classList.toggle("is-active", secret);
  }

  function clearErrors() {
    for (const line of form.querySelectorAll(".form-error")) {
      line.textContent = "";
      line.hidden = true;
    }
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  }

  const fieldInputs = {
    question: "vote-form-question", agenda_item_id: "vote-form-item", kind: "vote-form-kind-yes_no",
    rule: "vote-form-rule", countdown_seconds: "vote-form-countdown", max_choices: "vote-form-max",
    options: null, secret: "vote-form-secret", allow_change: "vote-form-allow-change",
  };

  function showError(error) {
    const line = error.field && $(`vote-form-${error.field}-error`);
    const target = line || $("vote-form-error");
    target.textContent = error.message || W.failed;
    target.hidden = false;
    const input = error.field === "options" ? optionList.querySelector(".vote-option-input")
      : $(fieldInputs[error.field] ?? "");
    if (input && line) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
    target.scrollIntoView({ block: "nearest" });
  }

  function openForm(vote = null) {
    editing = vote?.id ?? null;
    form.reset();
    clearErrors();
    optionList.textContent = "";
    $("vote-form-title").textContent = vote ? T.edit : T.new;
    if (vote) {
      $("vote-form-item").value = vote.agenda_item_id ? String(vote.agenda_item_id) : "";
      $("vote-form-question").value = vote.question;
      $(`vote-form-kind-${vote.kind}`).checked = true;
      if (vote.kind !== "yes_no") for (const option of vote.options) addOption(option.label);
      $("vote-form-max").value = vote.kind === "multi" ? String(vote.max_choices) : "";
      $("vote-form-secret").checked = vote.secret;
      $("vote-form-allow-change").checked = vote.allow_change;
      $("vote-form-rule").value = vote.rule;
      $("vote-form-countdown").value = vote.countdown_seconds ? String(vote.countdown_seconds) : "";
    }
    syncForm();
    form.hidden = false;
    $("vote-new").hidden = true;
    // The form sits under the list; a row being changed is marked.
    for (const li of list.children) li.classList.toggle("is-editing", Number(li.dataset.voteId) === editing);
    form.scrollIntoView({ block: "start", behavior: "smooth" });
    $("vote-form-question").focus({ preventScroll: true });
  }

  function closeForm() {
    form.hidden = true;
    editing = null;
    $("vote-new").hidden = false;
    for (const li of list.children) li.classList.remove("is-editing");
  }

  function payload() {
    const k = kind();
    const data = {
      question: $("vote-form-question").value,
      kind: k,
      agenda_item_id: $("vote-form-item").value ? Number($("vote-form-item").value) : null,
      secret: $("vote-form-secret").checked,
      allow_change: !$("vote-form-secret").checked && $("vote-form-allow-change").checked,
      rule: $("vote-form-rule").value,
      countdown_seconds: $("vote-form-countdown").value.trim() === "" ? null : $("vote-form-countdown").value.trim(),
    };
    if (k !== "yes_no") {
      data.options = [...optionList.querySelectorAll(".vote-option-input")].map((input) => input.value.trim())
        .filter(Boolean);
    }
    if (k === "multi") data.max_choices = $("vote-form-max").value.trim() || null;
    return data;
  }

  if (form) {
    for (const [id, label] of config.item_choices) $("vote-form-item").append(new Option(label, String(id)));
    $("vote-new").addEventListener("click", () => openForm());
    $("vote-form-cancel").addEventListener("click", closeForm);
    form.addEventListener("change", (event) => {
      if (event.target.name === "kind" || event.target.id === "vote-form-secret") syncForm();
    });
    $("vote-option-add").addEventListener("click", () => addOption("", true));
    optionList.addEventListener("click", (event) => {
      const li = event.target.closest(".vote-option");
      if (!li) return;
      if (event.target.closest(".vote-option-remove") && optionList.children.length > 2) {
        const next = li.nextElementSibling ?? li.previousElementSibling;
        li.remove();
        next?.querySelector(".vote-option-input").focus();
      } else if (event.target.closest(".vote-option-up") && li.previousElementSibling) {
        optionList.insertBefore(li, li.previousElementSibling);
        event.target.focus();
      } else if (event.target.closest(".vote-option-down") && li.nextElementSibling) {
        optionList.insertBefore(li.nextElementSibling, li);
        event.target.focus();
      }
      renumberOptions();
    });
    optionList.addEventListener("keydown", (event) => {
      // Enter in an option adds the next one, as in a list on paper.
      if (event.key === "Enter" && event.target.classList.contains("vote-option-input")) {
        event.preventDefault();
        const li = event.target.closest(".vote-option");
        if (!li.nextElementSibling) addOption("", true);
        else li.nextElementSibling.querySelector(".vote-option-input").focus();
      }
    });
    form.addEventListener("input", (event) => {
      const fields = event.target.classList.contains("vote-option-input")
        ? optionList.querySelectorAll("[aria-invalid]") : [event.target];
      for (const field of fields) field.removeAttribute("aria-invalid");
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors();
      const data = payload();
      if (data.options && data.options.length < 2) {
        showError({ field: "options", message: T.options_min });
        return;
      }
      const submit = $("vote-form-submit");
      submit.disabled = true;
      const answer = editing === null ? await call("POST", config.votes_api, data)
        : await call("PATCH", `${config.vote_api}${editing}`, data);
      submit.disabled = false;
      if (!answer.ok) {
        showError(answer.error);
        return;
      }
      const saved = answer.data;
      votes = [...votes.filter((v) => v.id !== saved.id), saved].sort((a, b) => a.id - b.id);
      closeForm();
      render();
      const li = $(`vote-${saved.id}`);
      li?.classList.add("is-new");
      li?.scrollIntoView({ block: "nearest" });
    });
  }

  list.addEventListener("click", async (event) => {
    const li = event.target.closest(".vote-item");
    if (!li) return;
    const vote = votes.find((v) => v.id === Number(li.dataset.voteId));
    if (!vote) return;
    if (event.target.closest(".vote-edit")) {
      openForm(vote);
    } else if (event.target.closest(".vote-delete")) {
      const short = vote.question.length > 80 ? `${vote.question.slice(0, 79)}…` : vote.question;
      if (!window.confirm(fill(T.delete_confirm, { question: short }))) return;
      const answer = await call("DELETE", `${config.vote_api}${vote.id}`);
      const error = $("votes-error");
      if (!answer.ok) {
        error.textContent = answer.error.message;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      if (editing === vote.id) closeForm();
      votes = votes.filter((v) => v.id !== vote.id);
      render();
    }
  });

  load().then(() => { section.dataset.ready = "true"; });
}

if (config) start();
