// Nexus dashboard behaviour that htmx does not cover. The CSP allows no inline script or
// handler, so everything here hangs off data- attributes and document-level listeners.
(() => {
  "use strict";

  // <button data-copy="#field">: copies the field's value (used for a new API key).
  async function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(field.value);
      return;
    }
    // Plain-HTTP self-hosting has no async clipboard API; fall back to the selection.
    field.select();
    if (!document.execCommand("copy")) throw new Error("copy refused");
  }

  function flash(button, text) {
    const label = button.querySelector("[data-copy-label]") ?? button;
    const original = label.dataset.original ?? label.textContent;
    label.dataset.original = original;
    label.textContent = text;
    button.classList.add("is-copied");
    clearTimeout(button.copyTimer);
    button.copyTimer = setTimeout(() => {
      label.textContent = original;
      button.classList.remove("is-copied");
    }, 2000);
  }

  document.addEventListener("click", async (event) => {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const field = document.querySelector(copy.dataset.copy);
      if (!field) return;
      try {
        await copyText(field);
        flash(copy, "Copied");
      } catch {
        field.select();
        flash(copy, "Press Ctrl+C");
      }
      return;
    }

    // data-dismiss hides an element; data-remove drops it from the page (e.g. a shown key).
    const dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) document.querySelector(dismiss.dataset.dismiss)?.setAttribute("hidden", "");
    const remove = event.target.closest("[data-remove]");
    if (remove) document.querySelector(remove.dataset.remove)?.remove();
  });

  // The create-key form: a publishable key may hold read scopes only, so switching to it
  // disables (and unticks) the others; switching back restores what was ticked.
  document.addEventListener("change", (event) => {
    const kind = event.target.closest("[data-key-form] input[name=kind]");
    if (!kind) return;
    const form = kind.form;
    const publishable = kind.value === "publishable";
    for (const box of form.querySelectorAll("input[data-write-scope=true]")) {
      if (publishable && !box.disabled) {
        box.dataset.wasChecked = box.checked ? "true" : "";
        box.checked = false;
      } else if (!publishable && box.disabled) {
        box.checked = box.dataset.wasChecked === "true";
      }
      box.disabled = publishable;
    }
    form.querySelector("[data-publishable-note]")?.toggleAttribute("hidden", !publishable);
  });

  // The webhook endpoint form: "All events" covers every type, so the single types are shown
  // ticked and disabled while it is on (disabled boxes are not posted).
  document.addEventListener("change", (event) => {
    const all = event.target.closest("input[data-all-events]");
    if (!all) return;
    for (const box of all.form.querySelectorAll("input[data-event-type]")) {
      if (all.checked) {
        box.dataset.wasChecked = box.checked ? "true" : "";
        box.checked = true;
      } else {
        box.checked = box.dataset.wasChecked === "true";
      }
      box.disabled = all.checked;
    }
  });

  // A <details data-menu> closes once one of its items is chosen, or on a click elsewhere.
  document.addEventListener("click", (event) => {
    for (const menu of document.querySelectorAll("details[data-menu][open]")) {
      const inside = menu.contains(event.target);
      if (!inside || event.target.closest("[role=menuitem]")) menu.removeAttribute("open");
    }
  });

  // Failed htmx actions would otherwise do nothing visible. Background refreshes (GETs) stay
  // quiet; an expired session is handled by the server's HX-Redirect to /login.
  const toast = () => document.getElementById("toast");

  function showToast(message) {
    const box = toast();
    if (!box) return;
    box.querySelector("#toast-message").textContent = message;
    box.removeAttribute("hidden");
  }

  function messageFor(status) {
    if (status === 400) return "This page has expired. Reload it and try again.";
    if (status === 403) return "You don't have permission to do that.";
    if (status === 404) return "That item no longer exists. Reload the page to see the latest.";
    if (status === 429) return "Too many requests. Wait a moment and try again.";
    return "Something went wrong on our side. Try again in a moment.";
  }

  document.addEventListener("htmx:responseError", (event) => {
    const { xhr, requestConfig } = event.detail;
    if (xhr.status === 401 || requestConfig?.verb === "get") return;
    // A refusal that knows why says so (X-Nexus-Message, e.g. a character that can't be saved).
    showToast(xhr.getResponseHeader("X-Nexus-Message") || messageFor(xhr.status));
  });

  document.addEventListener("htmx:sendError", (event) => {
    if (event.detail.requestConfig?.verb === "get") return;
    showToast("Can't reach Nexus. Check your connection and try again.");
  });

  document.addEventListener("htmx:beforeRequest", () => toast()?.setAttribute("hidden", ""));

  // hx-confirm asks in the page (_Confirm.cshtml's <dialog>), not with the browser's confirm():
  // the request goes out only if the dialog closes on its confirm button.
  document.addEventListener("htmx:confirm", (event) => {
    const dialog = document.getElementById("confirm-dialog");
    if (!event.detail.question || !dialog) return;
    event.preventDefault();
    const source = event.detail.elt;
    dialog.querySelector("#confirm-title").textContent = source.dataset.confirmTitle ?? "Are you sure?";
    dialog.querySelector("#confirm-message").textContent = event.detail.question;
    dialog.querySelector("[data-confirm-button]").textContent = source.dataset.confirmButton ?? "Confirm";
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "confirm") event.detail.issueRequest(true);
    }, { once: true });
    dialog.showModal();
  });

  // A click on the confirmation's backdrop (outside its box) cancels it.
  document.addEventListener("click", (event) => {
    if (event.target.id === "confirm-dialog") event.target.close();
  });

  // <details data-menu> (the phone menu): Escape closes it and gives focus back to its button.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = document.querySelector("details[data-menu][open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
})();
