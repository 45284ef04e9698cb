/* The chat page: asks POST /api/ask/stream with the conversation so far and shows the
 * answer as it streams, its [n] markers as buttons that open the cited passage, and its
 * sources. Corpus text and user input only ever reach the page as text nodes. */
"use strict";

(() => {
  const ENDPOINT = "/api/ask/stream";
  const TIMEOUT_MS = 30000;
  // The server's default limits (Settings.max_history_turns / max_history_chars): older turns are dropped first.
  const MAX_HISTORY_TURNS = 20;
  const MAX_HISTORY_CHARS = 20000;
  const MAX_TURN_CHARS = 2000; // the server's QA_MAX_TURN_CHARS default
  const MARKER = /\[(\d+)\]/g;

  const state = { history: [], controller: null, seq: 0 };

  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  const sendButton = document.getElementById("send");
  const log = document.getElementById("log");
  const welcome = document.getElementById("welcome");

  /** An element with an optional class and text (always set as text, never parsed). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** A problem to show the reader: a short title and a sentence that says what to do. */
  class ChatError extends Error {
    constructor(title, detail, status = 0) {
      super(detail);
      this.title = title;
      this.detail = detail;
      this.status = status;
    }
  }

  const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  /** "2012-02-01" -> "1 February 2012"; anything else is shown as given. */
  function formatDate(iso) {
    if (!iso) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    if (!m) return iso;
    return dateFormat.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
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

  /** The last turns that fit the server's limits, oldest first. */
  function historyForRequest() {
    const turns = state.history
      .slice(-MAX_HISTORY_TURNS)
      .map((t) => ({ role: t.role, content: t.content.slice(0, MAX_TURN_CHARS) }));
    let size = turns.reduce((n, t) => n + t.content.length, 0);
    while (turns.length && size > MAX_HISTORY_CHARS) size -= turns.shift().content.length;
    return turns;
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

  async function httpError(res) {
    let detail = "";
    try {
      const body = await res.json();
      if (typeof body.detail === "string") detail = body.detail;
      else if (Array.isArray(body.detail)) detail = body.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    } catch {
      detail = "";
    }
    const titles = {
      413: "The question is too long",
      422: "The server could not take this question",
      429: "Too many questions in a short time",
    };
    const title = titles[res.status] || (res.status >= 500 ? "The server ran into a problem" : "The server refused the question");
    return new ChatError(`${title} (HTTP ${res.status})`, detail || res.statusText || "No reason was given.", res.status);
  }

  /* ---------- the conversation view ---------- */

  function addUserTurn(question) {
    const li = el("li", "turn turn-user");
    const bubble = el("div", "bubble");
    bubble.append(el("span", "visually-hidden", "You asked: "), document.createTextNode(question));
    li.append(bubble);
    log.append(li);
    return li;
  }

  /** One assistant answer: loading, then streaming, then done or error. */
  class AnswerView {
    constructor() {
      this.id = ++state.seq;
      this.text = "";
      this.citations = new Map();
      this.found = true;
      this.deltas = 0;
      this.openButton = null;

      this.li = el("li", "turn turn-assistant");
      this.li.dataset.state = "loading";
      this.li.setAttribute("aria-busy", "true");
      this.card = el("article", "card");
      this.card.setAttribute("aria-label", "Answer");
      this.label = el("p", "card-label", "Answer");
      this.loading = el("p", "loading");
      const dots = el("span", "dots");
      dots.setAttribute("aria-hidden", "true");
      dots.append(el("span"), el("span"), el("span"));
      this.loading.append(dots, document.createTextNode(" Searching the corpus…"));
      this.body = el("div", "answer-text");
      this.passage = el("aside", "passage");
      this.passage.id = `passage-${this.id}`;
      this.passage.hidden = true;
      this.sources = el("section", "sources");
      this.sources.hidden = true;
      this.meta = el("p", "meta");
      this.meta.hidden = true;
      this.card.append(this.label, this.loading, this.body, this.passage, this.sources, this.meta);
      this.li.append(this.card);
      log.append(this.li);
    }

    setCitations(data) {
      this.found = Boolean(data.found);
      for (const c of data.citations || []) this.citations.set(c.n, c);
      this.li.dataset.found = String(this.found);
      if (!this.found) {
        this.card.classList.add("card-notfound");
        this.label.textContent = "Not covered by the corpus";
      }
      this.li.dataset.state = "streaming";
      this.loading.hidden = true;
      this.renderSources();
    }

    appendText(piece) {
      this.deltas += 1;
      this.li.dataset.deltas = String(this.deltas);
      this.text += piece;
      this.renderAnswer();
    }

    finish(resp) {
      if (resp.answer !== this.text) {
        this.text = resp.answer;
        this.renderAnswer();
      }
      if (!this.citations.size && resp.citations && resp.citations.length) {
        this.setCitations({ citations: resp.citations, found: resp.found });
      }
      this.li.dataset.state = "done";
      this.li.setAttribute("aria-busy", "false");
      this.loading.hidden = true;
      if (this.found) {
        const n = this.citations.size;
        this.meta.textContent = `${n} passage${n === 1 ? "" : "s"} quoted · answered in ${Math.round(resp.took_ms)} ms`;
      } else {
        this.meta.textContent = "The corpus holds documents on Mexico–Peru relations only. Try naming a treaty, a person or an event, or rephrase the question.";
        this.meta.classList.add("meta-hint");
      }
      this.meta.hidden = false;
    }

    fail(err, retry) {
      this.li.dataset.state = "error";
      this.li.setAttribute("aria-busy", "false");
      this.loading.hidden = true;
      this.card.classList.add("card-error");
      this.label.textContent = "No answer";
      const box = el("div", "error");
      box.setAttribute("role", "alert");
      box.append(el("p", "error-title", err.title), el("p", "error-detail", err.detail));
      const again = el("button", "btn btn-small", "Try again");
      again.type = "button";
      again.addEventListener("click", retry);
      box.append(again);
      this.card.append(box);
    }

    /** The answer text with each [n] turned into a button for passage n. */
    renderAnswer() {
      const openN = this.openButton ? this.openButton.dataset.n : null;
      const openIndex = this.openButton ? this.openButton.dataset.index : null;
      this.body.replaceChildren();
      let index = 0;
      const lines = this.text.split("\n").filter((line) => line.trim());
      lines.forEach((line, i) => {
        // a lead-in such as "As of 24 February 2026, the date of the latest source cited:"
        const note = i === 0 && lines.length > 1 && !/\[\d+\]/.test(line);
        const p = el("p", note ? "answer-note" : "");
        let last = 0;
        let sentenceStart = 0;
        for (const m of line.matchAll(MARKER)) {
          const n = Number(m[1]);
          const cite = this.citations.get(n);
          p.append(document.createTextNode(line.slice(last, m.index)));
          if (cite) {
            const quote = line.slice(sentenceStart, m.index).trim();
            const button = this.markerButton(n, cite, quote, index);
            p.append(button);
            if (openN === String(n) && openIndex === String(index)) {
              this.openButton = button;
              button.setAttribute("aria-expanded", "true");
            }
          } else {
            p.append(document.createTextNode(m[0]));
          }
          last = m.index + m[0].length;
          sentenceStart = last;
          index += 1;
        }
        p.append(document.createTextNode(line.slice(last)));
        this.body.append(p);
      });
    }

    markerButton(n, cite, quote, index) {
      const button = el("button", "marker", String(n));
      button.type = "button";
      button.dataset.n = String(n);
      button.dataset.index = String(index);
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", this.passage.id);
      button.setAttribute("aria-label", `Show passage ${n}, from “${cite.title}”`);
      button.title = cite.title;
      button.addEventListener("click", () => this.togglePassage(button, cite, quote));
      return button;
    }

    /** Open the cited passage under the answer with the quoted sentence highlighted (or close it). */
    togglePassage(button, cite, quote) {
      const wasOpen = this.openButton === button;
      for (const b of this.body.querySelectorAll(".marker")) b.setAttribute("aria-expanded", "false");
      for (const s of this.sources.querySelectorAll(".source")) s.classList.remove("is-active");
      if (wasOpen) {
        this.openButton = null;
        this.passage.hidden = true;
        return;
      }
      this.openButton = button;
      button.setAttribute("aria-expanded", "true");
      const source = this.sources.querySelector(`[data-n="${cite.n}"]`);
      if (source) source.classList.add("is-active");

      const head = el("header", "passage-head");
      head.append(el("span", "passage-n", String(cite.n)));
      const where = el("div", "passage-where");
      where.append(el("p", "passage-title", cite.title));
      if (cite.published) where.append(el("p", "passage-date", formatDate(cite.published)));
      head.append(where);
      const close = el("button", "passage-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Close passage");
      close.addEventListener("click", () => {
        this.togglePassage(button, cite, quote);
        button.focus();
      });
      head.append(close);

      const text = el("blockquote", "passage-text");
      const body = cite.text.trim();
      const span = quote ? findSpan(body, quote) : null;
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
      const sources = cite.sources && cite.sources.length ? cite.sources : [{ title: "", url: cite.url }];
      sources.forEach((src, i) => {
        const href = safeUrl(src.url);
        if (!href) return;
        const label = i === 0 ? "Open the source" : "Also";
        const link = el("a", "passage-link", src.title ? `${label}: ${src.title} ↗` : `${label} ↗`);
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        this.passage.append(link);
      });
      this.passage.hidden = false;
      const mark = text.querySelector("mark");
      // long passages scroll inside their box: bring the quoted sentence near its top
      if (mark) text.scrollTop = Math.max(0, mark.offsetTop - 40);
      this.passage.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }

    renderSources() {
      this.sources.replaceChildren();
      if (!this.citations.size) {
        this.sources.hidden = true;
        return;
      }
      const headingId = `sources-${this.id}`;
      const heading = el("h3", "sources-title", "Sources");
      heading.id = headingId;
      const list = el("ol", "source-list");
      list.setAttribute("aria-labelledby", headingId);
      for (const cite of [...this.citations.values()].sort((a, b) => a.n - b.n)) {
        const item = el("li", "source");
        item.dataset.n = String(cite.n);
        item.append(el("span", "source-n", String(cite.n)));
        const info = el("div", "source-info");
        const href = safeUrl(cite.url);
        if (href) {
          const link = el("a", "source-title", cite.title);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          link.append(el("span", "visually-hidden", " (opens in a new tab)"));
          info.append(link);
        } else {
          info.append(el("span", "source-title", cite.title));
        }
        if (cite.published) {
          const time = el("time", "source-date", formatDate(cite.published));
          time.dateTime = cite.published;
          info.append(time);
        }
        item.append(info);
        list.append(item);
      }
      this.sources.append(heading, list);
      this.sources.hidden = false;
    }
  }

  /* ---------- asking ---------- */

  function setBusy(busy) {
    sendButton.disabled = busy;
    document.body.classList.toggle("is-busy", busy);
  }

  function showWelcome(show) {
    welcome.hidden = !show;
    document.body.classList.toggle("has-turns", !show);
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
  }

  function scrollToEnd() {
    window.scrollTo({ top: document.documentElement.scrollHeight });
  }

  async function ask(question) {
    question = question.trim();
    if (!question || state.controller) return;
    const history = historyForRequest();
    showWelcome(false);
    const userTurn = addUserTurn(question);
    const view = new AnswerView();
    scrollToEnd();

    const controller = new AbortController();
    state.controller = controller;
    setBusy(true);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, TIMEOUT_MS);

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
        throw new ChatError(
          "Could not reach the server",
          `The page could not connect to qa-service at ${window.location.origin}. Check that the server is running (qa-service serve) and try again.`,
        );
      }
      if (!res.ok) throw await httpError(res);
      if (!res.body) throw new ChatError("The answer could not be read", "This browser cannot read streamed answers.");

      let final = null;
      try {
        for await (const ev of readEvents(res.body)) {
          const follow = nearBottom();
          if (ev.event === "citations") view.setCitations(ev.data);
          else if (ev.event === "delta") view.appendText(ev.data.text || "");
          else if (ev.event === "done") final = ev.data;
          else if (ev.event === "error") {
            throw new ChatError("The server could not finish the answer", ev.data.detail || "It reported an error without a reason.");
          }
          if (follow) scrollToEnd();
        }
      } catch (e) {
        if (e instanceof ChatError || controller.signal.aborted) throw e;
        throw new ChatError(
          "The connection was lost",
          "The server stopped sending the answer part-way through. Check that it is still running and try again.",
        );
      }
      if (!final) {
        throw new ChatError("The answer was cut off", "The connection closed before the answer was complete. Try again.");
      }
      view.finish(final);
      state.history.push({ role: "user", content: question }, { role: "assistant", content: stripMarkers(final.answer) });
    } catch (e) {
      if (controller.signal.aborted && !timedOut) return; // a new conversation was started
      const err = timedOut
        ? new ChatError(
            `No answer after ${TIMEOUT_MS / 1000} seconds`,
            "The server took too long, so the request was stopped. It may be busy or still loading its index; try again in a moment.",
          )
        : e instanceof ChatError
          ? e
          : new ChatError("Something went wrong", String(e && e.message ? e.message : e));
      // a refused question comes back to the box, so it can be edited rather than retyped
      if (err.status >= 400 && err.status < 500 && !input.value.trim()) input.value = question;
      view.fail(err, () => {
        if (state.controller) return; // another question is on its way
        userTurn.remove();
        view.li.remove();
        ask(question);
      });
      if (nearBottom()) scrollToEnd();
    } finally {
      clearTimeout(timer);
      if (state.controller === controller) {
        state.controller = null;
        setBusy(false);
      }
    }
  }

  function newConversation() {
    if (state.controller) state.controller.abort();
    state.controller = null;
    setBusy(false);
    state.history = [];
    log.replaceChildren();
    showWelcome(true);
    input.value = "";
    input.focus();
    window.scrollTo({ top: 0 });
  }

  /* ---------- wiring ---------- */

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.controller || !input.value.trim()) return;
    const question = input.value;
    input.value = "";
    ask(question);
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  for (const button of document.querySelectorAll(".starter")) {
    button.addEventListener("click", () => ask(button.textContent || ""));
  }

  document.getElementById("new-conversation").addEventListener("click", newConversation);

  document.body.classList.add("is-ready");
  input.focus();
})();
