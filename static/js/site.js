// Every page: forms marked data-confirm ask before they are sent (closing a meeting, deleting, removing).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || event.defaultPrevented) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Flash messages fade after a while, except errors.
for (const flash of document.querySelectorAll(".flash:not(.flash-error)")) {
  setTimeout(() => flash.classList.add("is-fading"), 6000);
}

// A page redrawn after a refused form: bring its error into view and put the cursor in the field it names.
const firstError = document.querySelector("main .form-error:not([hidden])");
if (firstError) {
  const form = firstError.closest("form, li, section") ?? firstError;
  const field = form.querySelector('[aria-invalid="true"]');
  (field ?? firstError).scrollIntoView({ block: "center" });
  field?.focus({ preventScroll: true });
}

// Logging out forgets the ballots this device kept (static/js/vote-screen.js): a tablet may be handed to someone else,
// and a secret choice must not outlive its voter's session on it.
document.getElementById("logout-form")?.addEventListener("submit", () => {
  try {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const key = localStorage.key(i);
      if (key?.startsWith("vote-ballot:")) localStorage.removeItem(key);
    }
  } catch {
    // storage blocked: nothing was kept
  }
});
