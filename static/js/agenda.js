// Reordering the agenda on the meeting page: drag a row by its handle (mouse, pen or finger: pointer events),
// or use the up/down buttons, which are plain forms without JavaScript and are intercepted here to avoid a reload.
// Each new order is saved through the API; if the server refuses, its message is shown and the old order comes back.

const list = document.getElementById("agenda-list");
const errorBox = document.getElementById("agenda-error");
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

function rows() {
  return [...list.querySelectorAll(":scope > .agenda-item")];
}

function order() {
  return rows().map((row) => Number(row.dataset.itemId));
}

function renumber() {
  const all = rows();
  all.forEach((row, index) => {
    for (const el of row.querySelectorAll(".agenda-number, .agenda-number-text")) el.textContent = String(index + 1);
    const up = row.querySelector(".move-up");
    const down = row.querySelector(".move-down");
    if (up) up.disabled = index === 0;
    if (down) down.disabled = index === all.length - 1;
  });
}

function arrange(ids) {
  if (!sameOrder(order(), ids)) {
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const byId = new Map(rows().map((row) => [Number(row.dataset.itemId), row]));
    for (const id of ids) {
      const row = byId.get(id);
      if (row) list.appendChild(row);
    }
    focused?.focus(); // moving a node drops the keyboard focus; give it back
  }
  renumber();
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.textContent = "";
  errorBox.hidden = true;
}

let saving = Promise.resolve();

// Save `ids`; on refusal put `previous` back. Saves run one after another so they cannot overtake each other.
function save(ids, previous) {
  saving = saving.then(async () => {
    list.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(list.dataset.reorderUrl, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ item_ids: ids }),
      });
      let body = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (!response.ok) {
        arrange(previous);
        showError(body?.error?.message || list.dataset.errorMessage);
        return;
      }
      clearError();
      if (Array.isArray(body?.agenda_items)) arrange(body.agenda_items.map((item) => item.id));
    } catch {
      arrange(previous);
      showError(list.dataset.errorMessage);
    } finally {
      list.removeAttribute("aria-busy");
    }
  });
  return saving;
}

function sameOrder(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

// ---- up / down buttons ------------------------------------------------------------------------------------------

function onMoveSubmit(event) {
  const form = event.target.closest(".move-form");
  if (!form) return;
  event.preventDefault();
  const direction = event.submitter?.value;
  const row = form.closest(".agenda-item");
  const previous = order();
  if (direction === "up" && row.previousElementSibling) {
    list.insertBefore(row, row.previousElementSibling);
  } else if (direction === "down" && row.nextElementSibling) {
    list.insertBefore(row.nextElementSibling, row);
  } else {
    return;
  }
  renumber();
  // Keep the keyboard where it was; at the top or bottom the pressed button is disabled, so use the other one.
  const pressed = row.querySelector(direction === "up" ? ".move-up" : ".move-down");
  const other = row.querySelector(direction === "up" ? ".move-down" : ".move-up");
  (pressed && !pressed.disabled ? pressed : other)?.focus();
  save(order(), previous);
}

// ---- drag and drop ----------------------------------------------------------------------------------------------

let drag = null;

function onPointerDown(event) {
  const handle = event.target.closest(".drag-handle");
  if (!handle || event.button > 0 || drag) return;
  const row = handle.closest(".agenda-item");
  event.preventDefault();
  handle.setPointerCapture(event.pointerId);
  drag = { row, handle, pointerId: event.pointerId, previous: order(), startY: event.clientY, offsetY: 0 };
  row.classList.add("is-dragging");
  list.classList.add("is-sorting");
}

function onPointerMove(event) {
  if (!drag || event.pointerId !== drag.pointerId) return;
  event.preventDefault();
  const { row } = drag;
  // Swap with a neighbour once the pointer passes its middle.
  let moved = true;
  while (moved) {
    moved = false;
    const prev = row.previousElementSibling;
    const next = row.nextElementSibling;
    if (prev) {
      const box = prev.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        list.insertBefore(row, prev);
        moved = true;
        continue;
      }
    }
    if (next) {
      const box = next.getBoundingClientRect();
      if (event.clientY > box.top + box.height / 2) {
        list.insertBefore(next, row);
        moved = true;
      }
    }
  }
  // The row follows the finger within its slot, so it feels held.
  const slot = row.getBoundingClientRect();
  const centre = slot.top - drag.offsetY + slot.height / 2;
  drag.offsetY = Math.max(-slot.height / 2, Math.min(slot.height / 2, event.clientY - centre));
  row.style.transform = `translateY(${drag.offsetY}px)`;
  renumber();
  autoScroll(event.clientY);
}

function autoScroll(y) {
  const edge = 60;
  if (y < edge) window.scrollBy(0, -12);
  else if (y > window.innerHeight - edge) window.scrollBy(0, 12);
}

function finish(event, cancelled) {
  if (!drag || event.pointerId !== drag.pointerId) return;
  const { row, handle, previous } = drag;
  drag = null;
  row.classList.remove("is-dragging");
  row.style.transform = "";
  list.classList.remove("is-sorting");
  if (handle.hasPointerCapture?.(event.pointerId)) handle.releasePointerCapture(event.pointerId);
  if (cancelled) {
    arrange(previous);
    return;
  }
  const ids = order();
  if (!sameOrder(ids, previous)) save(ids, previous);
}

// Keyboard users have the up/down buttons; Escape during a drag puts the row back.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && drag) finish({ pointerId: drag.pointerId }, true);
});

if (list && list.classList.contains("agenda-editable")) {
  list.addEventListener("submit", onMoveSubmit);
  list.addEventListener("pointerdown", onPointerDown);
  list.addEventListener("pointermove", onPointerMove);
  list.addEventListener("pointerup", (event) => finish(event, false));
  list.addEventListener("pointercancel", (event) => finish(event, true));
  list.dataset.ready = "true"; // for tests: the script is running
}
