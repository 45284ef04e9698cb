/* The chat page: asks POST /api/ask/stream with the conversation so far and shows the
 * answer as it streams, its [n] markers as buttons that open the cited passage, and its
 * sources. Corpus text and user input only ever reach the page as text nodes.
 *
 * The conversation is kept in localStorage (so a reload keeps it), every answer can be
 * copied, asked again, rated and exported, and the page speaks English or Spanish. */
"use strict";

(() => {
  const ENDPOINT = "/api/ask/stream";
  const FEEDBACK = "/api/feedback";
  const TIMEOUT_MS = 30000;
  // The server's request limits come from GET /api/limits (loadLimits); until they arrive no
  // history is sent and the question length is left to the server to judge.
  const NO_LIMITS = { max_question_chars: Infinity, max_history_turns: 0, max_turn_chars: 0, max_history_chars: 0 };
  const MAX_COMMENT_CHARS = 1000;
  const MAX_STORED_TURNS = 50; // localStorage holds a few MB; citations make a turn a few kB
  const STORE = { turns: "qa-chat.turns.v1", lang: "qa-chat.lang", theme: "qa-chat.theme" };
  const MARKER = /\[(\d+)\]/g;
  const STRINGS = window.QA_STRINGS;

  const state = { turns: [], controller: null, current: null, seq: 0, lang: "en", openView: null, sourcesUpTo: null, limits: NO_LIMITS };

  const $ = (id) => document.getElementById(id);
  const form = $("ask-form");
  const input = $("question");
  const sendButton = $("send");
  const log = $("log");
  const welcome = $("welcome");
  const exportButton = $("export");
  const themeButton = $("theme");
  const langButton = $("language");
  const upTo = $("sources-up-to");
  const counter = $("question-count");

  /* ---------- small helpers ---------- */

  /** The string `key` in the page language with `{name}` filled from `vars`. */
  function t(key, vars) {
    const table = STRINGS[state.lang] || STRINGS.en;
    let s = key in table ? table[key] : STRINGS.en[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  }

  /** An element with an optional class and text (always set as text, never parsed). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(className, text, label) {
    const b = el("button", className, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  /** A problem to show the reader: a title and a sentence in plain words; `dev` is for developers. */
  class ChatError extends Error {
    constructor(kind, vars = {}, dev = "", status = 0) {
      super(kind);
      this.kind = kind;
      this.vars = vars;
      this.dev = dev;
      this.status = status;
    }
  }

  /** Each error kind's title and text keys (i18n.js), so a stored error can be shown in either language. */
  const ERROR_TEXT = {
    unreachable: ["errUnreachableTitle", "errUnreachableText"],
    timeout: ["errTimeoutTitle", "errTimeoutText"],
    tooLong: ["errTooLongTitle", "errTooLongText"],
    conversation: ["errConversationTitle", "errConversationText"],
    bad: ["errBadTitle", "errBadText"],
    rate: ["errRateTitle", "errRateText"],
    rateMinute: ["errRateTitle", "errRateTextMinute"],
    server: ["errServerTitle", "errServerText"],
    stream: ["errStreamTitle", "errStreamText"],
    lost: ["errLostTitle", "errLostText"],
    unknown: ["errUnknownTitle", "errUnknownText"],
  };

  /** "2012-02-01" -> "1 February 2012" / "1 de febrero de 2012"; anything else as given. */
  function formatDate(iso) {
    if (!iso) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    if (!m) return iso;
    const locale = state.lang === "es" ? "es-ES" : "en-GB";
    const fmt = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return fmt.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  }

  /** Only http(s) links from the corpus become clickable. */
  function safeUrl(url) {
    if (!url) return null;
    try {
      const u = new URL(url, window.location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch {
      return null;
    }
  }

  function stripMarkers(text) {
    return text.replace(/\s*\[\d+\]/g, "").trim();
  }

  /** Where `needle` stands in `hay`: exactly, or with any run of whitespace matching any other. */
  function findSpan(hay, needle) {
    const exact = hay.indexOf(needle);
    if (exact >= 0) return [exact, exact + needle.length];
    const words = needle.split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!words.length) return null;
    const m = new RegExp(words.join("\\s+")).exec(hay);
    return m ? [m.index, m.index + m[0].length] : null;
  }

  /** The answer as parts: an optional preface and sentences each with its citation number.
   * Read from the API's `preface`/`sentences` when it gives them; older servers only give
   * the `answer` string, whose markers are read as a fallback. */
  function answerParts(resp) {
    // a declined answer has no sentences to cite: its text is shown as it is
    if (Array.isArray(resp.sentences) && resp.sentences.length) {
      return { preface: resp.preface || "", sentences: resp.sentences.map((s) => ({ ...s })) };
    }
    const lines = (resp.answer || "").split("\n").filter((l) => l.trim());
    let preface = "";
    if (lines.length > 1 && !/\[\d+\]/.test(lines[0])) preface = lines.shift().trim();
    const sentences = [];
    let rest = "";
    for (const line of lines) {
      let last = 0;
      for (const m of line.matchAll(MARKER)) {
        sentences.push({ text: (rest + line.slice(last, m.index)).trim(), n: Number(m[1]) });
        rest = "";
        last = m.index + m[0].length;
      }
      rest += line.slice(last);
    }
    if (rest.trim()) sentences.push({ text: rest.trim(), n: null });
    return { preface, sentences };
  }

  /** What the server is sent as an earlier assistant turn: the answer's words without markers. */
  function historyText(resp) {
    if (Array.isArray(resp.sentences) && resp.sentences.length) {
      return [resp.preface || "", ...resp.sentences.map((s) => s.text)].filter(Boolean).join(" ").trim();
    }
    return stripMarkers(resp.answer || "");
  }

  /** The sources a citation's sentence stands on, its own first (falls back to the document's URL). */
  function citeSources(cite) {
    const list = Array.isArray(cite.sources) ? cite.sources.filter((s) => s && s.url) : [];
    if (list.length) return list;
    return cite.url ? [{ title: cite.title, url: cite.url }] : [];
  }

  /* ---------- the conversation kept in the browser ---------- */

  function saveTurns() {
    const keep = state.turns
      .filter((turn) => turn.status !== "pending")
      .slice(-MAX_STORED_TURNS)
      .map(({ question, status, response, error, feedback, partial }) => ({ question, status, response, error, feedback, partial }));
    for (let drop = 0; drop <= keep.length; drop += 1) {
      try {
        if (keep.length - drop === 0) localStorage.removeItem(STORE.turns);
        else localStorage.setItem(STORE.turns, JSON.stringify(keep.slice(drop)));
        return;
      } catch {
        // storage full or off: keep fewer turns, oldest dropped first
      }
    }
  }

  function loadTurns() {
    try {
      const raw = JSON.parse(localStorage.getItem(STORE.turns) || "[]");
      return Array.isArray(raw) ? raw.filter((x) => x && typeof x.question === "string") : [];
    } catch {
      return [];
    }
  }

  function stored(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // private mode: the choice lasts for this visit only
    }
  }

  /** The last answered turns that fit the server's limits, oldest first. */
  function historyFor(turns) {
    const msgs = [];
    for (const turn of turns) {
      if (turn.status !== "done" || !turn.response) continue;
      msgs.push({ role: "user", content: turn.question }, { role: "assistant", content: historyText(turn.response) });
    }
    const { max_history_turns: turnsMax, max_turn_chars: turnMax, max_history_chars: sizeMax } = state.limits;
    const recent = turnsMax > 0 ? msgs.slice(-turnsMax).map((m) => ({ role: m.role, content: m.content.slice(0, turnMax) })) : [];
    let size = recent.reduce((n, m) => n + m.content.length, 0);
    while (recent.length && size > sizeMax) size -= recent.shift().content.length;
    return recent;
  }

  /* ---------- server-sent events over fetch ---------- */

  function parseEvent(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (!data.length) return null;
    return { event, data: JSON.parse(data.join("\n")) };
  }

  /** The events of a text/event-stream body, as they arrive. */
  async function* readEvents(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = (buffer + value).replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const ev = parseEvent(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (ev) yield ev;
      }
    }
    const last = buffer.trim() ? parseEvent(buffer) : null;
    if (last) yield last;
  }

  /** An HTTP refusal in plain words; the server's `detail` is kept for developers. */
  async function httpError(res, question) {
    let detail = "";
    try {
      const body = await res.json();
      if (typeof body.detail === "string") detail = body.detail;
      else if (Array.isArray(body.detail)) detail = body.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    } catch {
      detail = "";
    }
    const dev = `HTTP ${res.status}${detail ? `: ${detail}` : ""}`;
    if (res.status === 429) {
      const wait = parseInt(res.headers.get("Retry-After") || "", 10);
      return wait > 0 ? new ChatError("rate", { s: wait }, dev, 429) : new ChatError("rateMinute", {}, dev, 429);
    }
    const maxQuestion = state.limits.max_question_chars;
    if (res.status === 413 || (res.status === 422 && question.length > maxQuestion)) {
      return new ChatError("tooLong", { max: maxQuestion.toLocaleString(state.lang) }, dev, res.status);
    }
    if (res.status === 422 && /^history/.test(detail)) return new ChatError("conversation", {}, dev, 422);
    if (res.status >= 500) return new ChatError("server", {}, dev, res.status);
    return new ChatError("bad", {}, dev, res.status);
  }

  /* ---------- the conversation view ---------- */

  function userTurnView(question) {
    const li = el("li", "turn turn-user");
    const bubble = el("div", "bubble");
    bubble.append(el("span", "visually-hidden", t("youAsked")), document.createTextNode(question));
    li.append(bubble);
    return li;
  }

  /** One assistant answer: loading, then streaming, then done, stopped or error. */
  class AnswerView {
    constructor(turn) {
      this.turn = turn;
      this.id = ++state.seq;
      this.text = "";
      this.citations = new Map();
      this.found = true;
      this.deltas = 0;
      this.openButton = null;
      this.resp = null;

      this.li = el("li", "turn turn-assistant");
      this.li.dataset.state = "loading";
      this.li.setAttribute("aria-busy", "true");
      this.card = el("article", "card");
      this.card.setAttribute("aria-label", t("answer"));
      this.label = el("p", "card-label", t("answer"));
      this.loading = el("p", "loading");
      const dots = el("span", "dots");
      dots.setAttribute("aria-hidden", "true");
      dots.append(el("span"), el("span"), el("span"));
      this.loading.append(dots, document.createTextNode(` ${t("searching")}`));
      this.body = el("div", "answer-text");
      this.passage = el("aside", "passage");
      this.passage.id = `passage-${this.id}`;
      this.passage.hidden = true;
      this.sources = el("section", "sources");
      this.sources.hidden = true;
      this.meta = el("p", "meta");
      this.meta.hidden = true;
      this.actions = el("div", "actions");
      this.actions.hidden = true;
      this.status = el("p", "action-status");
      this.status.setAttribute("role", "status");
      this.card.append(this.label, this.loading, this.body, this.passage, this.sources, this.meta, this.actions);
      this.li.append(this.card);
    }

    setCitations(data) {
      this.found = Boolean(data.found);
      for (const c of data.citations || []) this.citations.set(c.n, c);
      this.li.dataset.found = String(this.found);
      if (!this.found) {
        this.card.classList.add("card-notfound");
        this.label.textContent = t("notCovered");
      }
      this.li.dataset.state = "streaming";
      this.loading.hidden = true;
      this.renderSources();
    }

    appendText(piece) {
      this.deltas += 1;
      this.li.dataset.deltas = String(this.deltas);
      this.text += piece;
      this.renderParts(answerParts({ answer: this.text }));
    }

    /** The finished answer: from the `done` event, or from storage after a reload. */
    finish(resp) {
      this.resp = resp;
      if (!this.citations.size || this.li.dataset.state === "loading") {
        this.setCitations({ citations: resp.citations || [], found: resp.found });
      }
      if (resp.language === "es" || resp.language === "en") this.card.lang = resp.language;
      this.text = resp.answer || "";
      this.renderParts(answerParts(resp));
      this.li.dataset.state = "done";
      this.li.setAttribute("aria-busy", "false");
      this.loading.hidden = true;
      if (this.found) {
        const n = this.citations.size;
        const ms = Math.round(resp.took_ms || 0);
        this.meta.textContent = n === 1 ? t("passageQuoted", { ms }) : t("passagesQuoted", { n, ms });
      } else {
        this.meta.textContent = t("notCoveredHint");
        this.meta.classList.add("meta-hint");
      }
      this.meta.hidden = false;
      this.renderActions();
    }

    /** The reader pressed Stop: what arrived stays, marked as stopped, with Ask again. */
    stop() {
      this.li.dataset.state = "stopped";
      this.li.setAttribute("aria-busy", "false");
      this.loading.hidden = true;
      this.card.classList.add("card-stopped");
      this.label.textContent = t("stopped");
      this.meta.textContent = t("stoppedText");
      this.meta.hidden = false;
      this.renderActions();
    }

    fail(err) {
      this.li.dataset.state = "error";
      this.li.setAttribute("aria-busy", "false");
      this.loading.hidden = true;
      this.card.classList.add("card-error");
      this.label.textContent = t("noAnswer");
      const [titleKey, textKey] = ERROR_TEXT[err.kind] || ERROR_TEXT.unknown;
      const box = el("div", "error");
      box.setAttribute("role", "alert");
      box.append(el("p", "error-title", t(titleKey, err.vars)), el("p", "error-text", t(textKey, err.vars)));
      const dev = err.kind === "unreachable" ? t("errUnreachableDev", { origin: window.location.origin }) : err.dev;
      if (dev) {
        const details = el("details", "error-dev");
        details.append(el("summary", "", t("devDetails")), el("p", "error-detail", dev));
        box.append(details);
      }
      const again = button("btn btn-small btn-retry", t("tryAgain"));
      again.addEventListener("click", () => retry(this.turn));
      box.append(again);
      this.card.append(box);
      this.errorBox = box;
    }

    /** The answer: an optional preface, then each sentence with a button for its passage. */
    renderParts(parts) {
      const openKey = this.openButton ? this.openButton.dataset.index : null;
      this.openButton = null;
      this.body.replaceChildren();
      if (parts.preface) this.body.append(el("p", "answer-note", parts.preface));
      const p = el("p");
      parts.sentences.forEach((s, index) => {
        if (index) p.append(document.createTextNode(" "));
        p.append(document.createTextNode(s.text));
        const cite = s.n !== null && s.n !== undefined ? this.citations.get(s.n) : null;
        if (cite) {
          p.append(document.createTextNode(" "));
          const b = this.markerButton(s, cite, index);
          p.append(b);
          if (openKey === String(index)) {
            this.openButton = b;
            b.setAttribute("aria-expanded", "true");
          }
        } else if (s.n !== null && s.n !== undefined) {
          p.append(document.createTextNode(` [${s.n}]`));
        }
      });
      if (parts.sentences.length) this.body.append(p);
    }

    markerButton(sentence, cite, index) {
      const b = button("marker", String(cite.n), t("showPassage", { n: cite.n, title: cite.title }));
      b.dataset.n = String(cite.n);
      b.dataset.index = String(index);
      b.setAttribute("aria-expanded", "false");
      b.setAttribute("aria-controls", this.passage.id);
      b.title = cite.title;
      b.addEventListener("click", () => this.togglePassage(b, cite, sentence));
      return b;
    }

    closePassage(returnFocus) {
      const opener = this.openButton;
      for (const b of this.body.querySelectorAll(".marker")) b.setAttribute("aria-expanded", "false");
      for (const s of this.sources.querySelectorAll(".source")) s.classList.remove("is-active");
      this.openButton = null;
      this.passage.hidden = true;
      if (state.openView === this) state.openView = null;
      if (returnFocus && opener && opener.isConnected) opener.focus();
    }

    /** Open the cited passage under the answer with the quoted sentence highlighted (or close it). */
    togglePassage(b, cite, sentence) {
      const wasOpen = this.openButton === b;
      this.closePassage(false);
      if (wasOpen) return;
      if (state.openView && state.openView !== this) state.openView.closePassage(false);
      this.openButton = b;
      state.openView = this;
      b.setAttribute("aria-expanded", "true");
      for (const s of this.sources.querySelectorAll(".source")) {
        if ((s.dataset.ns || "").split(" ").includes(String(cite.n))) s.classList.add("is-active");
      }

      const head = el("header", "passage-head");
      head.append(el("span", "passage-n", String(cite.n)));
      const where = el("div", "passage-where");
      where.append(el("p", "passage-title", cite.title));
      if (cite.published) where.append(el("p", "passage-date", formatDate(cite.published)));
      head.append(where);
      const close = button("passage-close", "×", t("closePassage"));
      close.addEventListener("click", () => this.closePassage(true));
      head.append(close);

      const text = el("blockquote", "passage-text");
      text.tabIndex = 0; // a long passage scrolls: keyboard users can scroll it too
      const raw = cite.text || "";
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      let span = null;
      const quote = sentence.text || "";
      if (typeof sentence.start === "number" && sentence.doc_id === cite.doc_id) {
        // the API's offsets are into the document body, like the citation's; used only when they hold the sentence
        const a = sentence.start - cite.start - lead;
        const z = sentence.end - cite.start - lead;
        const squash = (x) => x.replace(/\s+/g, " ").trim();
        if (a >= 0 && z <= body.length && a < z && squash(body.slice(a, z)) === squash(quote)) span = [a, z];
      }
      if (!span && quote) span = findSpan(body, quote);
      if (span) {
        text.append(
          document.createTextNode(body.slice(0, span[0])),
          el("mark", "quoted", body.slice(span[0], span[1])),
          document.createTextNode(body.slice(span[1])),
        );
      } else {
        text.textContent = body;
      }
      this.passage.replaceChildren(head, text);
      // the sources that say the quoted sentence come first, then the passage's others
      citeSources(cite).forEach((src, i) => {
        const href = safeUrl(src.url);
        if (!href) return;
        const label = i === 0
          ? (src.title ? t("openSource", { title: src.title }) : t("openSourcePlain"))
          : (src.title ? t("alsoSource", { title: src.title }) : t("alsoSourcePlain"));
        const link = el("a", "passage-link", label);
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.append(el("span", "visually-hidden", t("newTab")));
        this.passage.append(link);
      });
      this.passage.hidden = false;
      const mark = text.querySelector("mark");
      // long passages scroll inside their box: bring the quoted sentence near its top
      if (mark) text.scrollTop = Math.max(0, mark.offsetTop - 40);
      this.passage.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }

    /** One line per document: its citation numbers, title, date and the sources behind the quoted sentences. */
    renderSources() {
      this.sources.replaceChildren();
      if (!this.citations.size) {
        this.sources.hidden = true;
        return;
      }
      const headingId = `sources-${this.id}`;
      const heading = el("h3", "sources-title", t("sources"));
      heading.id = headingId;
      const list = el("ol", "source-list");
      list.setAttribute("aria-labelledby", headingId);
      const docs = new Map();
      for (const cite of [...this.citations.values()].sort((a, b) => a.n - b.n)) {
        if (!docs.has(cite.doc_id)) docs.set(cite.doc_id, []);
        docs.get(cite.doc_id).push(cite);
      }
      for (const [docId, cites] of docs) {
        const first = cites[0];
        const item = el("li", "source");
        item.dataset.doc = docId;
        item.dataset.ns = cites.map((c) => c.n).join(" ");
        const nums = el("span", "source-ns");
        for (const c of cites) nums.append(el("span", "source-n", String(c.n)));
        item.append(nums);
        const info = el("div", "source-info");
        const links = [];
        const seen = new Set();
        for (const c of cites) {
          for (const s of citeSources(c)) {
            const href = safeUrl(s.url);
            if (href && !seen.has(href)) {
              seen.add(href);
              links.push({ href, title: s.title || first.title });
            }
          }
        }
        if (links.length) {
          const link = el("a", "source-title", first.title);
          link.href = links[0].href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          link.append(el("span", "visually-hidden", t("newTab")));
          info.append(link);
        } else {
          info.append(el("span", "source-title", first.title));
        }
        if (first.published) {
          const time = el("time", "source-date", formatDate(first.published));
          time.dateTime = first.published;
          info.append(time);
        }
        if (links.length > 1) {
          const more = el("p", "source-more", t("alsoFrom"));
          links.slice(1).forEach((l, i) => {
            if (i) more.append(document.createTextNode(" · "));
            const a = el("a", "source-extra", l.title);
            a.href = l.href;
            a.target = "_blank";
            a.rel = "noopener noreferrer";
            more.append(a);
          });
          info.append(more);
        }
        item.append(info);
        list.append(item);
      }
      this.sources.append(heading, list);
      this.sources.hidden = false;
    }

    /** Copy, Markdown, Ask again, and (when the answer has an id) Helpful / Not helpful. */
    renderActions() {
      this.actions.replaceChildren();
      const done = this.li.dataset.state === "done";
      if (done) {
        const copy = button("btn btn-action btn-copy", t("copy"), t("copyLabel"));
        copy.addEventListener("click", () => this.copy("text"));
        const md = button("btn btn-action btn-copy-md", t("copyMd"), t("copyMdLabel"));
        md.addEventListener("click", () => this.copy("markdown"));
        this.actions.append(copy, md);
      }
      const again = button("btn btn-action btn-retry", t("retry"));
      again.addEventListener("click", () => retry(this.turn));
      this.actions.append(again);
      if (done && this.resp && typeof this.resp.id === "string" && this.resp.id) this.renderFeedback();
      this.actions.append(this.status);
      this.actions.hidden = false;
    }

    renderFeedback() {
      const given = this.turn.feedback || null;
      const group = el("div", "feedback");
      for (const [rating, key, path] of [
        ["up", "helpful", "M7 11v9H4v-9zm0 0 4-7a2 2 0 0 1 3 2l-1 4h5.5a2 2 0 0 1 2 2.4l-1.3 6A2 2 0 0 1 17.2 20H7"],
        ["down", "notHelpful", "M7 13V4H4v9zm0 0 4 7a2 2 0 0 0 3-2l-1-4h5.5a2 2 0 0 0 2-2.4l-1.3-6A2 2 0 0 0 17.2 4H7"],
      ]) {
        const b = button(`btn btn-action btn-icon-small btn-${rating}`, "", t(key));
        b.title = t(key);
        b.dataset.rating = rating;
        b.setAttribute("aria-pressed", String(Boolean(given && given.rating === rating)));
        const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("viewBox", "0 0 24 24");
        svg.setAttribute("width", "18");
        svg.setAttribute("height", "18");
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("focusable", "false");
        const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
        p.setAttribute("d", path);
        p.setAttribute("fill", "none");
        p.setAttribute("stroke", "currentColor");
        p.setAttribute("stroke-width", "1.8");
        p.setAttribute("stroke-linejoin", "round");
        svg.append(p);
        b.append(svg);
        if (given && given.sent) b.disabled = true;
        b.addEventListener("click", () => this.openFeedback(rating));
        group.append(b);
      }
      this.actions.append(group);
      if (given && given.sent) this.status.textContent = t(given.sent === "recorded" ? "feedbackThanks" : "feedbackOff");
    }

    /** The optional comment box under the answer, for the rating just chosen. */
    openFeedback(rating) {
      for (const b of this.actions.querySelectorAll("[data-rating]")) b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
      if (this.feedbackForm) this.feedbackForm.remove();
      const f = el("form", "feedback-form");
      f.noValidate = true;
      const id = `comment-${this.id}`;
      const label = el("label", "visually-hidden", t("feedbackComment"));
      label.htmlFor = id;
      const box = el("textarea", "feedback-comment");
      box.id = id;
      box.rows = 2;
      box.maxLength = MAX_COMMENT_CHARS;
      box.placeholder = t("feedbackComment");
      const send = el("button", "btn btn-action btn-primary", t("feedbackSend"));
      send.type = "submit";
      const cancel = button("btn btn-action", t("feedbackCancel"));
      cancel.addEventListener("click", () => {
        f.remove();
        this.feedbackForm = null;
        for (const b of this.actions.querySelectorAll("[data-rating]")) b.setAttribute("aria-pressed", "false");
        this.actions.querySelector(`[data-rating="${rating}"]`)?.focus();
      });
      const row = el("div", "feedback-buttons");
      row.append(send, cancel);
      f.append(label, box, row);
      f.addEventListener("submit", (e) => {
        e.preventDefault();
        this.sendFeedback(rating, box.value.trim(), f);
      });
      this.feedbackForm = f;
      this.card.append(f);
      box.focus();
    }

    async sendFeedback(rating, comment, f) {
      const sendBtn = f.querySelector("button[type=submit]");
      sendBtn.disabled = true;
      let outcome = "failed";
      try {
        const res = await fetch(FEEDBACK, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ id: this.resp.id, rating, comment: comment ? comment.slice(0, MAX_COMMENT_CHARS) : null }),
          cache: "no-store",
        });
        if (res.ok) outcome = "recorded";
        else if (res.status === 404 || res.status === 405) outcome = "off"; // a server without the feedback endpoint
      } catch {
        outcome = "failed";
      }
      if (outcome === "failed") {
        sendBtn.disabled = false;
        this.status.textContent = t("feedbackFailed");
        return;
      }
      f.remove();
      this.feedbackForm = null;
      this.turn.feedback = { rating, sent: outcome };
      saveTurns();
      for (const b of this.actions.querySelectorAll("[data-rating]")) b.disabled = true;
      this.status.textContent = t(outcome === "recorded" ? "feedbackThanks" : "feedbackOff");
      this.li.dataset.feedback = outcome;
    }

    /** The answer and its numbered sources, as plain text or Markdown (footnotes). */
    exportText(format) {
      const parts = this.resp ? answerParts(this.resp) : answerParts({ answer: this.text });
      const md = format === "markdown";
      const mark = (n) => (md ? `[^${n}]` : `[${n}]`);
      const words = parts.sentences.map((s) => (s.n !== null && s.n !== undefined ? `${s.text} ${mark(s.n)}` : s.text)).join(" ");
      const lines = [];
      if (parts.preface) lines.push(md ? `*${parts.preface}*` : parts.preface, "");
      lines.push(words);
      const cites = [...this.citations.values()].sort((a, b) => a.n - b.n);
      if (cites.length) {
        lines.push("", md ? `**${t("sources")}**` : `${t("sources")}:`, "");
        for (const c of cites) {
          const src = citeSources(c)[0];
          const date = c.published ? `, ${formatDate(c.published)}` : "";
          if (md) {
            const title = src && safeUrl(src.url) ? `[${c.title}](${safeUrl(src.url)})` : c.title;
            lines.push(`[^${c.n}]: ${title}${date}${src && src.title && src.title !== c.title ? ` (${src.title})` : ""}`);
          } else {
            lines.push(`[${c.n}] ${c.title}${date}${src ? ` — ${src.url}` : ""}`);
          }
        }
      }
      return lines.join("\n");
    }

    async copy(format) {
      const text = this.exportText(format);
      let ok = false;
      try {
        await navigator.clipboard.writeText(text);
        ok = true;
      } catch {
        // no clipboard permission (or an old browser): copy through a hidden selection
        const area = el("textarea", "visually-hidden");
        area.value = text;
        document.body.append(area);
        area.select();
        try {
          ok = document.execCommand("copy");
        } catch {
          ok = false;
        }
        area.remove();
      }
      this.status.textContent = ok ? t("copied") : t("copyFailed");
      this.li.dataset.copied = ok ? format : "";
    }
  }

  /* ---------- asking ---------- */

  function setBusy(busy) {
    sendButton.dataset.mode = busy ? "stop" : "send";
    sendButton.setAttribute("aria-label", busy ? t("stop") : t("send"));
    document.body.classList.toggle("is-busy", busy);
  }

  function showWelcome(show) {
    welcome.hidden = !show;
    document.body.classList.toggle("has-turns", !show);
    exportButton.hidden = show;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
  }

  function scrollToEnd() {
    window.scrollTo({ top: document.documentElement.scrollHeight });
  }

  /** The two list items of a turn, made from what it holds (after a reload or a language change). */
  function renderTurn(turn) {
    turn.userLi = userTurnView(turn.question);
    turn.view = new AnswerView(turn);
    log.append(turn.userLi, turn.view.li);
    if (turn.status === "done" && turn.response) turn.view.finish(turn.response);
    else if (turn.status === "stopped") {
      if (turn.partial) turn.view.appendText(turn.partial);
      turn.view.stop();
    } else {
      const e = turn.error || { kind: "unknown" };
      turn.view.fail(new ChatError(e.kind, e.vars || {}, e.dev || ""));
    }
  }

  function renderAll() {
    if (state.openView) state.openView.closePassage(false);
    const live = state.current ? [state.current.userLi, state.current.view.li] : [];
    log.replaceChildren();
    for (const turn of state.turns) {
      if (turn === state.current) log.append(...live);
      else renderTurn(turn);
    }
    showWelcome(state.turns.length === 0);
  }

  /** Ask again: the turn and every later one are dropped, and its question is sent with the history before it. */
  function retry(turn) {
    if (state.controller) return; // another question is on its way
    const i = state.turns.indexOf(turn);
    if (i < 0) return;
    for (const later of state.turns.slice(i)) {
      later.userLi?.remove();
      later.view?.li.remove();
    }
    state.turns = state.turns.slice(0, i);
    saveTurns();
    ask(turn.question);
  }

  async function ask(raw) {
    const question = raw.trim();
    if (!question || state.controller) return;
    const history = historyFor(state.turns);
    showWelcome(false);
    const turn = { question, status: "pending", response: null, error: null, feedback: null };
    turn.userLi = userTurnView(question);
    turn.view = new AnswerView(turn);
    log.append(turn.userLi, turn.view.li);
    state.turns.push(turn);
    state.current = turn;
    scrollToEnd();

    const controller = new AbortController();
    state.controller = controller;
    controller.reason_ = null;
    setBusy(true);
    const timer = setTimeout(() => {
      controller.reason_ = "timeout";
      controller.abort();
    }, TIMEOUT_MS);
    const view = () => turn.view; // the view may be re-made by a language change

    try {
      let res;
      try {
        res = await fetch(ENDPOINT, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ question, history }),
          signal: controller.signal,
          cache: "no-store",
        });
      } catch (e) {
        if (controller.signal.aborted) throw e;
        throw new ChatError("unreachable");
      }
      if (!res.ok) throw await httpError(res, question);
      if (!res.body) throw new ChatError("unknown", {}, "this browser cannot read a streamed response");

      let final = null;
      try {
        for await (const ev of readEvents(res.body)) {
          const follow = nearBottom();
          if (ev.event === "citations") view().setCitations(ev.data);
          else if (ev.event === "delta") view().appendText(ev.data.text || "");
          else if (ev.event === "done") final = ev.data;
          else if (ev.event === "error") throw new ChatError("stream", {}, ev.data.detail || "");
          if (follow) scrollToEnd();
        }
      } catch (e) {
        if (e instanceof ChatError || controller.signal.aborted) throw e;
        throw new ChatError("lost", {}, String(e && e.message ? e.message : e));
      }
      if (!final) throw new ChatError("lost", {}, "the stream ended without a `done` event");
      turn.status = "done";
      turn.response = final;
      view().finish(final);
    } catch (e) {
      const why = controller.signal.aborted ? controller.reason_ || "stopped" : null;
      if (why === "cleared") return; // a new conversation was started
      if (why === "stopped") {
        turn.status = "stopped";
        turn.partial = view().text;
        view().stop();
      } else {
        const err =
          why === "timeout"
            ? new ChatError("timeout", { s: TIMEOUT_MS / 1000 })
            : e instanceof ChatError
              ? e
              : new ChatError("unknown", {}, String(e && e.message ? e.message : e));
        turn.status = "error";
        turn.error = { kind: err.kind, vars: err.vars, dev: err.dev };
        // a refused question comes back to the box, so it can be edited rather than retyped
        if (err.status >= 400 && err.status < 500 && !input.value.trim()) {
          input.value = question;
          updateCounter();
        }
        view().fail(err);
        // keep the message in sight above the composer, which may have grown with the question
        requestAnimationFrame(scrollToEnd);
      }
    } finally {
      clearTimeout(timer);
      if (state.controller === controller) {
        state.controller = null;
        state.current = null;
        setBusy(false);
        if (turn.status !== "pending") saveTurns();
      }
    }
  }

  function stopAnswer() {
    if (!state.controller) return;
    state.controller.reason_ = "stopped";
    state.controller.abort();
  }

  function newConversation() {
    if (state.controller) {
      state.controller.reason_ = "cleared";
      state.controller.abort();
    }
    state.controller = null;
    state.current = null;
    state.openView = null;
    setBusy(false);
    state.turns = [];
    saveTurns();
    log.replaceChildren();
    showWelcome(true);
    input.value = "";
    updateCounter();
    input.focus();
    window.scrollTo({ top: 0 });
  }

  /** The conversation with its sources as a Markdown file the reader downloads. */
  function exportConversation() {
    const today = new Date().toISOString().slice(0, 10);
    const out = [`# ${t("exportHeading")}`, "", `_${t("exportedOn", { date: formatDate(today), origin: window.location.origin })}_`];
    state.turns.forEach((turn, i) => {
      out.push("", `## ${i + 1}. ${t("exportQuestion")}: ${turn.question}`, "");
      if (turn.status === "done" && turn.view) {
        // footnote labels are made unique per answer, so one file holds every answer's sources
        out.push(turn.view.exportText("markdown").replace(/\[\^(\d+)\]/g, `[^${i + 1}-$1]`));
      } else {
        out.push(t("exportNoAnswer"));
      }
    });
    const blob = new Blob([out.join("\n") + "\n"], { type: "text/markdown;charset=utf-8" });
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = `mexico-peru-conversation-${today}.md`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  /* ---------- language, theme, corpus date ---------- */

  function browserLanguage() {
    const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    for (const l of langs) {
      const code = String(l).toLowerCase().slice(0, 2);
      if (code === "es" || code === "en") return code;
    }
    return "en";
  }

  function applyLanguage(lang) {
    state.lang = STRINGS[lang] ? lang : "en";
    document.documentElement.lang = state.lang;
    document.title = t("pageTitle");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
    for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    const starters = t("starters");
    for (const node of document.querySelectorAll("[data-i18n-starter]")) node.textContent = starters[Number(node.dataset.i18nStarter)];
    const code = el("span", "", t("langOtherCode").toUpperCase());
    code.setAttribute("aria-hidden", "true");
    langButton.replaceChildren(code, el("span", "visually-hidden", t("langOtherLabel")));
    langButton.lang = t("langOtherCode");
    langButton.title = t("langOther");
    setBusy(Boolean(state.controller));
    applyTheme();
    showSourcesUpTo();
    updateCounter();
    if (state.turns.length) renderAll();
  }

  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function currentTheme() {
    return document.documentElement.dataset.theme || (systemDark() ? "dark" : "light");
  }

  /** The reader's stored choice (if any) on <html data-theme>, and the toggle labelled with what it switches to. */
  function applyTheme() {
    const chosen = stored(STORE.theme);
    if (chosen === "dark" || chosen === "light") document.documentElement.dataset.theme = chosen;
    else delete document.documentElement.dataset.theme;
    const theme = currentTheme();
    themeButton.setAttribute("aria-label", theme === "dark" ? t("themeToLight") : t("themeToDark"));
    themeButton.title = themeButton.getAttribute("aria-label");
    themeButton.dataset.current = theme;
  }

  /** The other theme; choosing what the system already shows means "follow the system" again. */
  function toggleTheme() {
    const next = currentTheme() === "dark" ? "light" : "dark";
    store(STORE.theme, (next === "dark") === systemDark() ? null : next);
    applyTheme();
  }

  function showSourcesUpTo() {
    if (!state.sourcesUpTo) {
      upTo.hidden = true;
      return;
    }
    const time = el("time", "", formatDate(state.sourcesUpTo));
    time.dateTime = state.sourcesUpTo;
    const [before, after] = t("sourcesUpTo").split("{date}");
    upTo.replaceChildren(document.createTextNode(before), time, document.createTextNode(after || ""));
    upTo.hidden = false;
  }

  async function loadLimits() {
    try {
      const res = await fetch("/api/limits", { cache: "no-store" });
      if (res.ok) state.limits = { ...NO_LIMITS, ...(await res.json()) };
    } catch {
      // no history is sent; the server still answers the question alone
    }
  }

  async function loadHealth() {
    try {
      const res = await fetch("/api/health", { cache: "no-store" });
      if (!res.ok) return;
      const health = await res.json();
      if (typeof health.sources_up_to === "string" && /^\d{4}-\d{2}-\d{2}/.test(health.sources_up_to)) {
        state.sourcesUpTo = health.sources_up_to;
        showSourcesUpTo();
      }
    } catch {
      // the date line stays hidden; asking still reports an unreachable server
    }
  }

  function updateCounter() {
    const n = input.value.trim().length;
    const max = state.limits.max_question_chars;
    if (n > max) {
      counter.textContent = t("tooLongCount", { count: n.toLocaleString(state.lang), max: max.toLocaleString(state.lang) });
      counter.hidden = false;
    } else {
      counter.hidden = true;
    }
  }

  /* ---------- wiring ---------- */

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.controller) {
      stopAnswer();
      return;
    }
    if (!input.value.trim()) return;
    const question = input.value;
    input.value = "";
    updateCounter();
    ask(question);
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!state.controller) form.requestSubmit();
    }
  });
  input.addEventListener("input", updateCounter);

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.openView) {
      e.preventDefault();
      state.openView.closePassage(true);
    }
  });

  for (const b of document.querySelectorAll(".starter")) {
    b.addEventListener("click", () => ask(b.textContent || ""));
  }
  $("new-conversation").addEventListener("click", newConversation);
  exportButton.addEventListener("click", exportConversation);
  themeButton.addEventListener("click", toggleTheme);
  langButton.addEventListener("click", () => {
    const next = state.lang === "es" ? "en" : "es";
    store(STORE.lang, next);
    applyLanguage(next);
  });
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme());
  }
  // another tab's conversation or choices: follow them
  window.addEventListener("storage", (e) => {
    if (e.key === STORE.turns && !state.controller) {
      state.turns = loadTurns();
      renderAll();
    }
  });

  state.turns = loadTurns();
  applyLanguage(stored(STORE.lang) || browserLanguage());
  showWelcome(state.turns.length === 0);
  loadHealth();
  loadLimits();
  document.body.classList.add("is-ready");
  if (state.turns.length) scrollToEnd();
  input.focus();
})();
