// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  // A table wider than its box scrolls sideways: keyboard users reach it with Tab and scroll
  // it with the arrow keys (WCAG 2.1.1); a table that fits is no extra stop.
  const scrollers = document.querySelectorAll(".table-container");
  const markScrollable = () => {
    for (const box of scrollers) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          const table = box.querySelector("table");
          const caption = table && table.caption ? table.caption.textContent.trim() : "";
          const heading = caption || (box.previousElementSibling && /^H[1-6]$/.test(box.previousElementSibling.tagName) ? box.previousElementSibling.textContent.trim() : "");
          box.setAttribute("aria-label", heading || document.title);
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    }
  };
  // Secondary columns are folded away while a table's box is narrow (see app.css); the table's
  // "Columns" toggle shows or hides each of them, remembered in this browser for that kind of
  // table. Each box's place is the column's index among the table's cells.
  for (const toggle of document.querySelectorAll("details[data-column-toggle]")) {
    const box = toggle.nextElementSibling;
    const table = box ? box.querySelector("table") : null;
    if (!table || !table.rows.length) continue;
    const key = "sinergi.columns." + toggle.dataset.columnToggle;
    let choices = {};
    try {
      const stored = JSON.parse(window.localStorage.getItem(key) || "{}");
      if (stored && typeof stored === "object") choices = stored;
    } catch {
      // No storage (or an unreadable entry): the defaults, for this page.
    }
    const width = table.rows[0].cells.length;
    const cellsAt = (index) => Array.from(table.rows, (row) => (row.cells.length === width ? row.cells[index] : null)).filter(Boolean);
    const inputs = Array.from(toggle.querySelectorAll("input[data-column]"));
    const apply = (input, shown) => {
      for (const cell of cellsAt(Number(input.dataset.index))) {
        cell.classList.toggle("column-shown", shown === true);
        cell.classList.toggle("column-hidden", shown === false);
      }
    };
    // Each box says whether its column is shown now (chosen, or by the box's width).
    const sync = () => {
      for (const input of inputs) {
        const header = cellsAt(Number(input.dataset.index))[0];
        input.checked = Boolean(header) && getComputedStyle(header).display !== "none";
      }
    };
    for (const input of inputs) {
      const name = input.dataset.column;
      if (Object.hasOwn(choices, name)) apply(input, choices[name] === true);
      input.addEventListener("change", () => {
        choices[name] = input.checked;
        apply(input, input.checked);
        try {
          window.localStorage.setItem(key, JSON.stringify(choices));
        } catch {
          // No storage: the choice holds for this page only.
        }
        markScrollable();
      });
    }
    sync();
    toggle.addEventListener("toggle", sync);
    window.addEventListener("resize", sync);
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
  // A page watching background work reloads itself while the work runs (a page-level
  // <meta name="sinergi-refresh" content="seconds">; without a script the page says so).
  const refresh = document.querySelector('meta[name="sinergi-refresh"]');
  if (refresh) {
    const seconds = Number.parseFloat(refresh.getAttribute("content")) || 2;
    window.setTimeout(() => window.location.reload(), seconds * 1000);
  }
});
