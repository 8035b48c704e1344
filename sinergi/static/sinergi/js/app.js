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
