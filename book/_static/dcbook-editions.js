// Edition switcher ("版本：2021 年版（最新）") in the header of every page.
//
// The list of editions is not part of this file or of any page: `dcbook build` writes it to `editions.js` in
// each edition's folder (`_build/html/<year>/editions.js`, and `_build/html/editions.js` for the root copy of
// the latest). Adding an edition therefore rewrites those small files and never a page of an older edition.
// It is loaded with a <script> element, not fetch(), so that it also works when the site is opened from
// file://. Every link is relative (page → its edition root via Sphinx's data-content_root → site root →
// other edition), so the site works from any sub-path, e.g. GitHub Pages' /<repository>/.
(() => {
  "use strict";

  const contentRoot = () => document.documentElement.dataset.content_root || "";

  const label = (year, latest) => `${year} 年版` + (year === latest ? "（最新）" : "");

  // This page's path inside its edition, e.g. "book/05_economy.html" (directory URLs → index.html).
  function pagePath() {
    const editionRoot = new URL(contentRoot() || "./", window.location.href).href;
    const here = window.location.href.split(/[?#]/)[0];
    let rel = here.startsWith(editionRoot) ? here.slice(editionRoot.length) : "";
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    try {
      return decodeURIComponent(rel);
    } catch (err) {
      return rel;
    }
  }

  function render(info) {
    const rel = pagePath();
    const nav = document.createElement("nav");
    nav.className = "dcbook-editions";
    nav.setAttribute("aria-label", "版本切换");
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    // On a phone only "2021 年版" shows (the prefix and "（最新）" are hidden by CSS, still read aloud).
    const prefix = document.createElement("span");
    prefix.className = "dcbook-editions-prefix";
    prefix.textContent = "版本：";
    const latest = document.createElement("span");
    latest.className = "dcbook-editions-latest";
    latest.textContent = info.current === info.latest ? "（最新）" : "";
    summary.append(prefix, `${info.current} 年版`, latest);
    details.appendChild(summary);
    const list = document.createElement("ul");
    for (const edition of info.editions) {
      const item = document.createElement("li");
      const target = edition.pages.includes(rel) ? rel : "index.html";
      const link = document.createElement("a");
      link.href = contentRoot() + info.root + edition.path + encodeURI(target);
      link.textContent = label(edition.year, info.latest);
      link.dataset.edition = String(edition.year);
      if (edition.year === info.current) {
        link.setAttribute("aria-current", "page");
        link.classList.add("dcbook-editions-current");
      }
      if (target !== rel) link.title = "该版本没有这一页，转到该版本的首页";
      item.appendChild(link);
      list.appendChild(item);
    }
    details.appendChild(list);
    nav.appendChild(details);
    // A menu closes on Escape (focus back on its button) and on a click or focus outside it.
    details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        summary.focus();
      }
    });
    const outside = (event) => {
      if (details.open && !details.contains(event.target)) details.open = false;
    };
    document.addEventListener("click", outside);
    document.addEventListener("focusin", outside);
    if (info.current !== info.latest) banner(info, rel);
    const slot = document.querySelector(".bd-header-article .header-article-items__start");
    if (slot) {
      const wrapper = document.createElement("div");
      wrapper.className = "header-article-item";
      wrapper.appendChild(nav);
      slot.appendChild(wrapper);
    } else {
      document.body.prepend(nav);
    }
  }

  // An older edition says so above the article and links the same page (or the front page) of the newest.
  function banner(info, rel) {
    const newest = info.editions.find((e) => e.year === info.latest);
    if (!newest) return;
    const target = newest.pages.includes(rel) ? rel : "index.html";
    const box = document.createElement("div");
    box.className = "dcbook-old-edition";
    box.setAttribute("role", "note");
    box.append(`您正在阅读 ${info.current} 年版，这不是最新版。`);
    const link = document.createElement("a");
    link.href = contentRoot() + info.root + newest.path + encodeURI(target);
    link.textContent = target === rel ? `阅读 ${info.latest} 年版的这一页` : `前往 ${info.latest} 年版`;
    link.dataset.edition = String(info.latest);
    box.appendChild(link);
    const article = document.querySelector(".bd-article") || document.querySelector("main") || document.body;
    article.prepend(box);
  }

  function load() {
    const script = document.createElement("script");
    script.src = contentRoot() + "editions.js";
    script.onload = () => {
      if (window.dcbookEditions) render(window.dcbookEditions);
    };
    // No editions.js (a page opened outside a built site): no switcher, the page itself is unaffected.
    script.onerror = () => script.remove();
    document.head.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
