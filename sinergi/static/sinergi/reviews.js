// Contribution capture during a review conference: autosave every few seconds and on blur,
// an unsent copy in localStorage (a reload or a lost connection loses nothing), and
// Ctrl+Enter to save and start the next contribution, Alt+1…6 to pick the type. Without this
// script the form posts.
(function () {
  "use strict";

  const FIELDS = ["speaker", "kind", "area", "task", "text"];
  const INTERVAL = 3000;

  function newKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function setup(form) {
    const url = form.dataset.autosaveUrl;
    const storageKey = form.dataset.storageKey;
    const status = document.getElementById("capture-status");
    const list = document.getElementById("captured");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const keyInput = form.querySelector("input[name=client_key]");
    const field = (name) => form.elements.namedItem(name);
    let dirty = false;
    let sending = false;

    function load() {
      try {
        return JSON.parse(window.localStorage.getItem(storageKey)) || { pending: [] };
      } catch (error) {
        return { pending: [] };
      }
    }
    function store(state) {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(state));
      } catch (error) {
        // Private browsing or a full store: the autosave still runs.
      }
    }
    function readForm() {
      const item = { client_key: keyInput.value };
      for (const name of FIELDS) item[name] = field(name) ? field(name).value : "";
      return item;
    }
    function writeForm(item) {
      keyInput.value = item.client_key;
      for (const name of FIELDS) if (field(name) && item[name] !== undefined) field(name).value = item[name];
    }
    function remember() {
      const state = load();
      state.current = readForm();
      store(state);
    }
    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.dataset.state = kind;
    }
    function show(item, answer) {
      if (!list) return;
      const empty = document.getElementById("captured-empty");
      if (empty) empty.remove();
      let entry = list.querySelector(`li[data-key="${item.client_key}"]`);
      if (!entry) {
        entry = document.createElement("li");
        entry.dataset.key = item.client_key;
        list.prepend(entry);
      }
      entry.dataset.contribution = answer.id;
      entry.replaceChildren();
      const head = document.createElement("strong");
      head.textContent = answer.kind;
      const text = document.createElement("p");
      text.textContent = item.text;
      entry.append(head, ` · ${answer.speaker || ""}`, text);
    }

    async function send(item) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", csrf);
      body.append("client_key", item.client_key);
      for (const name of FIELDS) body.append(name, item[name] || "");
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      const answer = await response.json().catch(() => ({ ok: false }));
      if (!response.ok || !answer.ok) {
        const error = new Error("not saved");
        error.answer = answer;
        error.final = response.status === 400 || response.status === 403;
        throw error;
      }
      show(item, answer);
      return answer;
    }

    async function flush() {
      if (sending) return;
      sending = true;
      try {
        const state = load();
        for (const item of [...(state.pending || [])]) {
          try {
            await send(item);
          } catch (error) {
            if (!error.final) throw error;
          }
          const now = load();
          now.pending = (now.pending || []).filter((p) => p.client_key !== item.client_key);
          store(now);
        }
        const current = readForm();
        if (dirty && current.text.trim()) {
          dirty = false;
          const answer = await send(current);
          say(`${form.dataset.savedText} ${answer.saved_at}`, "saved");
        }
      } catch (error) {
        dirty = true;
        const detail = error.answer && error.answer.errors ? Object.values(error.answer.errors).flat() : [];
        const messages = detail.map((d) => (typeof d === "string" ? d : d.message)).join(" ");
        say(error.final ? `${form.dataset.errorText}: ${messages}` : form.dataset.pendingText, "pending");
      } finally {
        sending = false;
      }
    }

    function next() {
      const current = readForm();
      if (!current.text.trim()) return;
      const state = load();
      state.pending = [...(state.pending || []), current];
      writeForm({ client_key: newKey(), text: "", speaker: "", task: "" });
      state.current = readForm();
      store(state);
      dirty = false;
      flush();
      (field("speaker") || field("text")).focus();
    }

    // A copy left by a reload or a lost connection comes back first.
    const saved = load();
    if (saved.current && saved.current.text && saved.current.text.trim()) {
      writeForm(saved.current);
      dirty = true;
    }
    if (!saved.current || !saved.current.client_key) remember();

    form.addEventListener("input", () => {
      dirty = true;
      remember();
      say(form.dataset.pendingText, "pending");
    });
    form.addEventListener("change", () => {
      dirty = true;
      remember();
    });
    if (field("text")) field("text").addEventListener("blur", () => flush());
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        next();
        return;
      }
      // Alt+1 … Alt+6 pick the type (result, limitation, difficulty, cause, lesson, proposal).
      const kind = field("kind");
      const digit = /^Digit([1-9])$/.exec(event.code || "");
      if (event.altKey && digit && kind && kind.options) {
        const choices = Array.from(kind.options).filter((option) => option.value);
        const chosen = choices[Number(digit[1]) - 1];
        if (chosen) {
          event.preventDefault();
          kind.value = chosen.value;
          dirty = true;
          remember();
        }
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      next();
    });
    window.setInterval(flush, INTERVAL);
    flush();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("capture-form");
    if (form && window.fetch && window.localStorage) setup(form);
  });
})();
