// Search page only (added by dcbook.pipeline.search): rank the chapter about a term first and show readable
// sentences as snippets. The index and the query splitter (character bigrams) come from dcbook.pipeline.search.
(() => {
  "use strict";

  // The query as typed, without spaces, lower case ("5G 基站" and "5g基站" are the same term).
  const query = () =>
    (new URLSearchParams(window.location.search).get("q") || "").replace(/\s+/g, "").toLowerCase();

  // The chapter about the query: an exact entry of the term dictionary, else the one chapter that every
  // dictionary term containing the query belongs to (5G基站 → 5G基站数, 5G基站覆盖率 … → one chapter).
  function homeOf(q) {
    const terms = window.dcbookSearchTerms || {};
    if (!q) return null;
    if (Object.prototype.hasOwnProperty.call(terms, q)) return terms[q];
    const homes = new Map();
    for (const [term, doc] of Object.entries(terms)) {
      if (term.includes(q)) homes.set(doc, (homes.get(doc) || 0) + 1);
    }
    let best = null;
    let bestCount = 0;
    for (const [doc, count] of homes) {
      if (count > bestCount) [best, bestCount] = [doc, count];
    }
    return best;
  }

  const plain = (html) => new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";

  // Defined before searchtools.js, which then keeps it (it only defines a Scorer when none exists).
  window.Scorer = {
    score: (result) => {
      const [docname, title, , , score] = result;
      const q = query();
      let bonus = 0;
      if (q && docname === homeOf(q)) bonus += 1000;
      if (q && plain(title).replace(/\s+/g, "").toLowerCase().includes(q)) bonus += 100;
      return score + bonus;
    },
    objNameMatch: 11,
    objPartialMatch: 6,
    objPrio: { 0: 15, 1: 5, 2: -5 },
    objPrioDefault: 0,
    title: 15,
    partialTitle: 7,
    term: 5,
    partialTerm: 2,
  };

  // What a snippet may quote: running text, not tables, charts, code or navigation.
  const SKIP = [
    ".headerlink", "script", "style", "table", "figure", "pre", ".cell_input", ".dc-chart-alt",
    ".dc-chart-download", ".dcbook-editions", "nav", ".toggle-details", "details",
  ];
  const BLOCKS = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, caption";

  const clean = (text) => text.replace(/\s+/g, " ").trim();

  function article(htmlString, anchor) {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    const root = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!root) return null;
    return (anchor && root.querySelector(anchor)) || root;
  }

  // The page's running text, one block per line: paragraphs and list items, never table cells run together.
  function pageText(htmlString, anchor) {
    const main = article(htmlString, anchor);
    if (!main) return "";
    main.querySelectorAll(SKIP.join(", ")).forEach((el) => el.remove());
    const lines = [];
    main.querySelectorAll(BLOCKS).forEach((el) => {
      if (el.querySelector(BLOCKS)) return; // the innermost block carries the text
      const text = clean(el.textContent);
      if (text) lines.push(text);
    });
    return lines.join("\n");
  }

  // Table rows as lines ("cell · cell · cell"): the snippet when the query is only in a table.
  function tableText(htmlString, anchor) {
    const main = article(htmlString, anchor);
    if (!main) return "";
    const lines = [];
    main.querySelectorAll("table tr").forEach((row) => {
      const cells = [...row.cells].map((c) => clean(c.textContent)).filter((t) => t);
      if (cells.length) lines.push(cells.join(" · "));
    });
    return lines.join("\n");
  }

  // The sentence holding the query (or, failing that, its first bigram), cut at 。！？ or a block end.
  function summary(htmlText, keywords, anchor) {
    const q = query();
    let text = pageText(htmlText, anchor);
    if (q && !text.toLowerCase().replace(/ /g, "").includes(q)) {
      const rows = tableText(htmlText, anchor);
      if (rows.toLowerCase().replace(/ /g, "").includes(q)) text = rows;
    }
    if (!text) return null;
    const lower = text.toLowerCase();
    const compact = lower.replace(/ /g, "");
    let at = -1;
    if (q && compact.includes(q)) {
      // map the position in the space-free text back to the text
      const target = compact.indexOf(q);
      for (let i = 0, seen = 0; i < lower.length; i++) {
        if (lower[i] === " ") continue;
        if (seen === target) { at = i; break; }
        seen++;
      }
    }
    if (at < 0) {
      at = [...keywords].map((k) => lower.indexOf(String(k).toLowerCase())).filter((i) => i > -1).sort((a, b) => a - b)[0];
      if (at === undefined) at = 0;
    }
    const ends = /[。！？!?\n]/;
    let start = at;
    while (start > 0 && !ends.test(text[start - 1]) && at - start < 100) start--;
    let end = at;
    while (end < text.length && !ends.test(text[end]) && end - at < 140) end++;
    if (end < text.length && text[end] !== "\n") end++;
    const p = document.createElement("p");
    p.classList.add("context");
    const head = start > 0 && !ends.test(text[start - 1]) ? "…" : "";
    const tail = end < text.length && !ends.test(text[end - 1]) ? "…" : "";
    p.textContent = head + text.slice(start, end).trim() + tail;
    return p;
  }

  const patch = () => {
    if (typeof Search === "undefined") return;
    Search.htmlToText = pageText;
    Search.makeSearchSummary = summary;
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", patch);
  else patch();
})();
