// The meeting page's live-room parts: checking in (a participant: in the room or online) and, for the secretary, the
// wall-screen links (make one, show its address once to copy, revoke). Plain HTTP: the same services as the sockets.

const element = document.getElementById("live-config");
const config = element ? JSON.parse(element.textContent) : null;
const T = config?.strings ?? {};
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const $ = (id) => document.getElementById(id);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

async function call(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error?.message || T.failed);
  return data;
}

function showError(id, error) {
  const line = $(id);
  line.textContent = error ? error.message || T.failed : "";
  line.hidden = !error;
}

// ---- checking in -----------------------------------------------------------------------------------------------------

function showCheckIn(status) {
  const box = $("check-in");
  box.dataset.status = status;
  $("check-in-status").textContent = T.status[status] ?? "";
  for (const button of box.querySelectorAll(".check-in-button")) {
    const chosen = button.dataset.status === status;
    button.classList.toggle("is-chosen", chosen);
    button.setAttribute("aria-pressed", String(chosen));
  }
}

async function startCheckIn() {
  const box = $("check-in");
  try {
    const snapshot = await call("GET", config.room_api);
    const me = snapshot.attendance.participants.find((p) => p.participant_id === snapshot.me?.participant_id);
    showCheckIn(me?.status ?? "unknown");
  } catch {
    showCheckIn("unknown");
  }
  box.addEventListener("click", async (event) => {
    const button = event.target.closest(".check-in-button");
    if (!button) return;
    button.disabled = true;
    try {
      await call("POST", config.check_in_api, { status: button.dataset.status });
      showCheckIn(button.dataset.status);
      showError("check-in-error", null);
    } catch (error) {
      showError("check-in-error", error);
    } finally {
      button.disabled = false;
    }
  });
}

// ---- wall-screen links -------------------------------------------------------------------------------------------------

const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || "vi",
                                                    { dateStyle: "short", timeStyle: "short" });

async function loadLinks() {
  const list = $("wall-link-list");
  try {
    const { wall_links: links } = await call("GET", config.wall_links_api);
    list.textContent = "";
    for (const link of links) {
      const li = document.createElement("li");
      li.className = "wall-link";
      li.id = `wall-link-${link.id}`;
      li.dataset.revoked = String(link.revoked);
      const label = document.createElement("span");
      label.className = "wall-link-label";
      label.textContent = fill(T.link, { n: link.id, at: when(link.created_at) });
      li.append(label);
      if (link.revoked) {
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.textContent = T.revoked;
        li.append(chip);
      } else {
        const revoke = document.createElement("button");
        revoke.type = "button";
        revoke.className = "button button-quiet button-small button-danger-text wall-link-revoke";
        revoke.textContent = T.revoke;
        revoke.addEventListener("click", async () => {
          if (!window.confirm(T.revoke_confirm)) return;
          try {
            await call("DELETE", `${config.wall_link_api}${link.id}`);
            showError("wall-link-error", null);
          } catch (error) {
            showError("wall-link-error", error);
          }
          loadLinks();
        });
        li.append(revoke);
      }
      list.append(li);
    }
    if (!links.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = T.no_links;
      list.append(li);
    }
  } catch (error) {
    showError("wall-link-error", error);
  }
}

function startWallLinks() {
  const input = $("wall-link-url");
  $("wall-link-create").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const link = await call("POST", config.wall_links_api);
      input.value = link.url;
      $("wall-link-new").hidden = false;
      input.focus();
      input.select();
      showError("wall-link-error", null);
      loadLinks();
    } catch (error) {
      showError("wall-link-error", error);
    } finally {
      button.disabled = false;
    }
  });
  $("wall-link-copy").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      document.execCommand?.("copy");
    }
    button.textContent = T.copied;
  });
  loadLinks();
}

if (config?.check_in) startCheckIn();
if (config?.wall_links) startWallLinks();
