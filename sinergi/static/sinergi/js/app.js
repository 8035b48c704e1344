// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // On a phone the results matter more than the filters: start with the filters folded.
  if (window.matchMedia("(max-width: 52rem)").matches) {
    for (const panel of document.querySelectorAll("details[data-collapse-on-phone]")) {
      const filtered = new URLSearchParams(window.location.search).size > 0;
      if (!filtered) panel.open = false;
    }
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
});
