// The review page. Every paragraph's text is put in the page as text (textContent, never HTML),
// so an article holding <script> shows it as characters. All requests go to this server
// through relative URLs, which carry the session token in their path.
"use strict";

const state = {
  blocks: [], // as the server last said, in document order
  byId: new Map(),
  rows: new Map(), // id -> row element
  active: null, // id of the active row
  filter: "all",
  query: "",
  drafts: new Map(), // id -> English typed in the box and not saved yet
  unsaved: new Set(), // ids whose last save failed
  pending: new Map(), // id -> the save in flight
  engine: false,
  memory: false, // whether the review has a translation memory (matches, concordance)
  key: "", // names the project in this browser's storage
  offline: false, // the server stopped answering; the page is waiting for it to come back
  layout: "cards",
  progress: { paragraphs: 0, reviewed: 0, flagged: 0, drafts: 0 },
  matches: new Map(), // id -> the memory's matches for that paragraph, as last fetched
};

// ---- drafts kept in the browser ---------------------------------------------------------------
// What the reviewer typed is kept in this browser (localStorage) until the server says it has it,
// so a server stopped or killed loses nothing: a review started again on the same project comes
// back at the same address, and this page sends what it kept, through the same version check.

function storeKey() {
  return `bilingual:${state.key}:unsent`;
}

function unsent() {
  try {
    return JSON.parse(localStorage.getItem(storeKey()) || "{}") || {};
  } catch (err) {
    return {};
  }
}

function keep(id, entry) {
  const all = unsent();
  if (entry) all[id] = entry;
  else delete all[id];
  try {
    if (Object.keys(all).length) localStorage.setItem(storeKey(), JSON.stringify(all));
    else localStorage.removeItem(storeKey());
  } catch (err) {
    // Storage full or refused: the text is still on the page.
  }
}

const STATUS_WORDS = {
  new: "Not translated",
  machine: "Machine",
  edited: "Edited",
  approved: "Approved",
};

// ---- small helpers ---------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    return { ok: false, status: 0, data: { error: "the review server does not answer" } };
  }
  let data = {};
  try {
    data = await response.json();
  } catch (err) {
    data = { error: `the server answered ${response.status}` };
  }
  return { ok: response.ok, status: response.status, data };
}

function normalize(text) {
  return (text || "").split(/\s+/).filter(Boolean).join(" ");
}

function draftOf(b) {
  return state.drafts.has(b.id) ? state.drafts.get(b.id) : b.draft;
}

function isReviewed(b) {
  return b.status === "edited" || b.status === "approved";
}

function banner(message, kind) {
  const node = document.getElementById("banner");
  if (!message) {
    node.hidden = true;
    node.textContent = "";
    return;
  }
  node.className = kind || "error";
  node.textContent = message;
  node.hidden = false;
}

// ---- word-level diff (machine -> edit) ---------------------------------------------------------

// Words with the spaces after them, so a changed word and its neighbours read as one change.
function words(text) {
  return (text || "").match(/\s+|\S+\s*/g) || [];
}

// Longest common subsequence over words: [[op, text], ...] with op "=", "-" or "+".
function diffWords(before, after) {
  const a = words(before);
  const b = words(after);
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  const push = (op, text) => {
    const last = out[out.length - 1];
    if (last && last[0] === op) last[1] += text;
    else out.push([op, text]);
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push("=", a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      push("-", a[i++]);
    } else {
      push("+", b[j++]);
    }
  }
  while (i < n) push("-", a[i++]);
  while (j < m) push("+", b[j++]);
  return out;
}

function diffNode(before, after) {
  const node = el("div", { class: "diff", lang: "en" });
  for (const [op, text] of diffWords(before, after)) {
    if (op === "=") node.append(text);
    else node.append(el(op === "-" ? "del" : "ins", { text }));
  }
  return node;
}

// ---- rendering ---------------------------------------------------------------------------------

// The text split at the aligned sentence ranges, each sentence a span that knows its partner.
function sentences(text, ranges, side) {
  const node = document.createDocumentFragment();
  if (!ranges || !ranges.length) {
    node.append(text);
    return node;
  }
  let at = 0;
  ranges.forEach((r, i) => {
    const start = side === "zh" ? r[0] : r[2];
    const end = side === "zh" ? r[1] : r[3];
    if (start > at) node.append(text.slice(at, start));
    node.append(el("span", { class: "s", "data-s": i, text: text.slice(start, end) }));
    at = end;
  });
  if (at < text.length) node.append(text.slice(at));
  return node;
}

function flagList(flags) {
  const list = el("ul", { class: "flags" });
  for (const f of flags) {
    list.append(el("li", { title: f.explain }, el("strong", { text: f.title }), f.detail ? `: ${f.detail}` : ""));
  }
  return list;
}

function renderRow(b) {
  const old = state.rows.get(b.id);
  const wasEditing = old && old.contains(document.activeElement) && document.activeElement.classList.contains("en-edit");
  const draft = draftOf(b);
  const hasDraft = draft !== undefined && draft !== null && normalize(draft) !== normalize(b.en);
  const isTitle = b.n === 0;
  const row = el("article", {
    class: `row status-${b.status}${b.flags.length ? " flagged" : ""}${isTitle ? " title-row" : ""}${hasDraft ? " has-draft" : ""}`,
    id: isTitle ? "title" : `p${b.n}`,
    "data-id": b.id,
    tabindex: "-1",
    "aria-label": isTitle ? "Title" : `Paragraph ${b.n}`,
  });
  const zh = el("div", { class: "zh", lang: "zh" }, sentences(b.zh, b.align, "zh"));
  const view = el("div", { class: "en-view", lang: "en", title: "Click or press Enter to edit" });
  if (hasDraft) view.append(draft);
  else if (b.en) view.append(sentences(b.en, b.align, "en"));
  else view.append(el("em", { text: "(not translated yet)" }));
  const edit = el("textarea", {
    class: "en-edit",
    lang: "en",
    rows: "3",
    "aria-label": `English of ${isTitle ? "the title" : `§${b.n}`}`,
    spellcheck: "true",
  });
  edit.value = hasDraft ? draft : b.en || "";
  const english = el("div", { class: "en" }, view, edit);
  if (hasDraft && b.en) {
    english.append(el("details", { class: "changes" }, el("summary", { text: "Draft against the saved English" }), diffNode(b.en, draft)));
  } else if (b.mt && b.status === "edited" && normalize(b.mt) !== normalize(b.en)) {
    english.append(el("details", { class: "changes" }, el("summary", { text: "Changes from the machine" }), diffNode(b.mt, b.en)));
  }
  english.append(el("div", { class: "panel", hidden: true }));
  english.append(el("div", { class: "tm", hidden: true }));
  const comment = el("textarea", {
    class: "comment",
    rows: "1",
    placeholder: "Comment on this paragraph",
    "aria-label": `Comment on ${isTitle ? "the title" : `§${b.n}`}`,
  });
  comment.value = b.comment || "";
  const commentBox = el("div", { class: "comment-box", hidden: !b.comment }, comment);
  english.append(commentBox);

  const score = b.score === null || b.score === undefined ? "" : ` · score ${b.score.toFixed(2)}`;
  const side = el(
    "div",
    { class: "side" },
    el(
      "div",
      { class: "badges" },
      el("span", { class: "status", title: `${STATUS_WORDS[b.status] || b.status}${score}`, text: STATUS_WORDS[b.status] || b.status }),
      hasDraft
        ? el("span", {
            class: "draft-badge",
            title: "Your English is kept as a draft: not counted as reviewed, not in the translation memory. Ctrl+Enter or Approve confirms it.",
            text: "Draft",
          })
        : null,
      b.flags.length ? el("span", { class: "flag-count", title: b.flags.map((f) => f.title).join("; "), text: `⚑ ${b.flags.length}` }) : null,
    ),
    b.flags.length ? flagList(b.flags) : null,
    el("div", { class: "save-state", "aria-live": "polite" }),
    el(
      "div",
      { class: "actions" },
      el("button", {
        type: "button",
        class: "approve",
        text: hasDraft ? "Confirm" : "Approve",
        title: "Ctrl+Enter (a when not editing)",
        disabled: (isReviewed(b) && !hasDraft) || !(b.en || hasDraft),
      }),
      hasDraft ? el("button", { type: "button", class: "discard", text: "Discard draft", title: "u" }) : null,
      el("button", { type: "button", class: "alts", text: "Alternatives", title: "l", disabled: !state.engine }),
      el("button", { type: "button", class: "retranslate", text: "Retranslate", title: "r", disabled: !state.engine }),
      el("button", { type: "button", class: "add-comment", text: b.comment ? "Comment" : "Add comment", title: "c" }),
    ),
  );
  row.append(el("a", { class: "num", href: `#${row.id}`, text: isTitle ? "Title" : `§${b.n}` }), zh, english, side);
  if (old) old.replaceWith(row);
  state.rows.set(b.id, row);
  if (state.active === b.id) {
    row.classList.add("active");
    if (state.matches.has(b.id)) showMatches(b.id, state.matches.get(b.id));
  }
  if (wasEditing) startEdit(b.id, false);
  if (state.unsaved.has(b.id)) markUnsaved(b.id);
  return row;
}

function renderAll() {
  const main = document.getElementById("rows");
  const fragment = document.createDocumentFragment();
  state.rows.clear();
  for (const b of state.blocks) fragment.append(renderRow(b));
  main.replaceChildren(fragment);
  applyFilter();
}

function renderHeader(project) {
  const title = project.title;
  document.getElementById("doc-title").textContent = title ? title.zh : project.path;
  document.getElementById("doc-title-en").textContent = title && title.en ? title.en : project.source_url || "";
  document.title = `Review · ${title ? title.zh : project.path}`;
}

function renderProgress() {
  const p = state.progress;
  let text = `${p.reviewed} of ${p.paragraphs} reviewed` + (p.flagged ? ` · ${p.flagged} flagged` : "");
  if (p.drafts) text += ` · ${p.drafts} draft${p.drafts === 1 ? "" : "s"}`;
  document.getElementById("progress-text").textContent = text;
  const bar = document.getElementById("progress-bar");
  bar.max = Math.max(p.paragraphs, 1);
  bar.value = p.reviewed;
  // Each filter counts the rows it shows, the title among them when it matches.
  for (const button of document.querySelectorAll("#filters button")) {
    const filter = button.dataset.filter;
    button.querySelector(".count").textContent = state.blocks.filter((b) => passes(b, filter)).length;
  }
}

// ---- filters and search ------------------------------------------------------------------------

function passes(b, f) {
  if (f === "flagged") return b.flags.length > 0;
  if (f === "todo") return !isReviewed(b);
  if (f === "drafts") return normalize(draftOf(b)) !== "" && normalize(draftOf(b)) !== normalize(b.en);
  if (f === "edited") return b.status === "edited";
  if (f === "approved") return b.status === "approved";
  return true;
}

function matches(b) {
  if (!passes(b, state.filter)) return false;
  const q = state.query.trim().toLowerCase();
  if (!q) return true;
  const hay = `${b.zh}\n${b.en || ""}\n${draftOf(b) || ""}\n${b.comment || ""}`.toLowerCase();
  return q.split(/\s+/).every((word) => hay.includes(word));
}

function applyFilter() {
  let shown = 0;
  for (const b of state.blocks) {
    const row = state.rows.get(b.id);
    const visible = matches(b) || b.id === state.active && row.contains(document.activeElement);
    row.hidden = !visible;
    if (visible) shown++;
  }
  document.getElementById("empty").hidden = shown > 0;
}

function visibleIds() {
  return state.blocks.filter((b) => !state.rows.get(b.id).hidden).map((b) => b.id);
}

// ---- moving around -----------------------------------------------------------------------------

function activate(id, scroll = true) {
  if (!id) return;
  if (state.active && state.active !== id) {
    const previous = state.rows.get(state.active);
    if (previous) {
      previous.classList.remove("active", "editing");
      previous.querySelector(".tm").hidden = true;
    }
  }
  const changed = state.active !== id;
  state.active = id;
  const row = state.rows.get(id);
  row.classList.add("active");
  if (scroll) row.scrollIntoView({ block: "nearest" });
  if (!row.contains(document.activeElement)) row.focus({ preventScroll: true });
  if (changed || !state.matches.has(id)) loadMatches(id);
  else showMatches(id, state.matches.get(id));
}

// Moving never enters edit mode: edit mode is entered on purpose (Enter, e, a click), so the
// single-letter commands (j, k, a, c, l...) are never typed into a paragraph by mistake.
function move(step) {
  const ids = visibleIds();
  if (!ids.length) return;
  let at = ids.indexOf(state.active);
  if (at < 0) at = step > 0 ? -1 : ids.length;
  const next = ids[Math.min(Math.max(at + step, 0), ids.length - 1)];
  activate(next);
}

function startEdit(id, select = true) {
  const row = state.rows.get(id);
  activate(id, false);
  row.classList.add("editing");
  const box = row.querySelector(".en-edit");
  fit(box);
  box.focus({ preventScroll: true });
  if (select) box.setSelectionRange(box.value.length, box.value.length);
  row.scrollIntoView({ block: "nearest" });
}

// Leave the English box: what was typed stays, and is saved as a draft (not confirmed).
function leaveEdit(id) {
  const row = state.rows.get(id);
  if (!row) return;
  const box = row.querySelector(".en-edit");
  if (document.activeElement === box) box.blur();
  row.classList.remove("editing");
  row.focus({ preventScroll: true });
}

function fit(box) {
  box.style.height = "auto";
  box.style.height = `${box.scrollHeight + 2}px`;
}

// ---- saving ------------------------------------------------------------------------------------

function setSaveState(id, kind, message) {
  const row = state.rows.get(id);
  if (!row) return;
  const node = row.querySelector(".save-state");
  node.className = `save-state ${kind}`;
  node.textContent = message;
}

function markUnsaved(id) {
  const row = state.rows.get(id);
  if (row) row.classList.add("unsaved");
}

function applyBlock(b) {
  const at = state.blocks.findIndex((x) => x.id === b.id);
  if (at >= 0) state.blocks[at] = b;
  state.byId.set(b.id, b);
  renderRow(b);
}

// Send one change; on success the row shows what was saved, on failure the text stays.
// Send one change; on success the row shows what was saved, on failure the text stays (on the
// page and in this browser's storage) and is sent again when the server answers.
async function save(id, change, note, base) {
  const b = state.byId.get(id);
  if (change.en !== undefined) {
    // A confirmation that could not be sent stays one when the box is left afterwards.
    const before = unsent()[id];
    const confirm = !!change.approve || !!(before && before.confirm && normalize(before.text) === normalize(change.en));
    keep(id, { text: change.en, base: base || (before && before.base) || b.version, confirm });
  }
  setSaveState(id, "saving", "Saving…");
  const res = await api("POST", `api/blocks/${encodeURIComponent(id)}`, { base: base || b.version, ...change });
  if (res.ok) {
    if (change.en !== undefined) {
      state.drafts.delete(id);
      keep(id, null);
    }
    state.unsaved.delete(id);
    state.progress = res.data.progress;
    applyBlock(res.data.block);
    renderProgress();
    applyFilter();
    setSaveState(id, "saved", note || "Saved");
    if (!state.unsaved.size && !state.offline) banner("");
    return true;
  }
  if (change.en !== undefined) state.drafts.set(id, change.en);
  state.unsaved.add(id);
  markUnsaved(id);
  if (res.status === 409) {
    keep(id, null); // offered in the conflict panel instead; the text stays in the box
    showConflict(id, res.data.block, change);
    setSaveState(id, "error", "Not saved: changed elsewhere");
    return false;
  }
  const reason = res.data.error || "unknown error";
  if (res.status === 0) {
    setSaveState(id, "error", "Not saved yet: kept in this browser, sent when the server is back.");
    goneOffline();
  } else {
    setSaveState(id, "error", `Not saved: ${reason}. Your text is kept here.`);
    banner(`Not saved: ${reason}. Your text is kept on this page.`);
  }
  return false;
}

// The server does not answer: say so, and keep asking until a review of this project answers
// at this address again (the restarted review reuses its port and token).
function goneOffline() {
  banner(
    "The review server does not answer. Nothing is lost: your text is kept in this browser. Start the review of this project again (bilingual review --web): this page reconnects by itself and sends what was not saved.",
  );
  if (state.offline) return;
  state.offline = true;
  document.body.dataset.offline = "1";
  const retry = async () => {
    const res = await api("GET", "api/project");
    if (!res.ok || !res.data.blocks) {
      setTimeout(retry, 2000);
      return;
    }
    state.offline = false;
    delete document.body.dataset.offline;
    takeProject(res.data);
    renderAll();
    renderProgress();
    if (state.active && state.byId.has(state.active)) activate(state.active, false);
    const sent = await sendUnsent();
    banner(sent ? `Reconnected: ${sent} unsaved change${sent === 1 ? "" : "s"} sent.` : "Reconnected to the review server.", "info");
  };
  setTimeout(retry, 1000);
}

// Send what this browser kept and the server does not have yet, each against the version it was
// typed on: a paragraph changed elsewhere meanwhile is shown as a conflict, never overwritten.
async function sendUnsent() {
  let sent = 0;
  for (const [id, entry] of Object.entries(unsent())) {
    const b = state.byId.get(id);
    if (!b || typeof entry.text !== "string") {
      keep(id, null);
      continue;
    }
    const text = normalize(entry.text);
    const there = entry.confirm ? isReviewed(b) && normalize(b.en) === text && !b.draft : normalize(b.draft) === text;
    if (there || (!entry.confirm && !b.draft && normalize(b.en) === text)) {
      keep(id, null);
      continue;
    }
    state.drafts.set(id, entry.text);
    renderRow(b);
    const change = entry.confirm ? { en: entry.text, approve: true } : { en: entry.text };
    if (await queue(id, () => save(id, change, entry.confirm ? "Saved your edit (kept in this browser)" : "Draft saved (kept in this browser)", entry.base))) sent++;
  }
  return sent;
}

// One save at a time per paragraph, each deciding what to send once the one before it is done
// (a Ctrl+Enter and the blur that follows it must not race each other into a false conflict).
function queue(id, work) {
  const previous = state.pending.get(id) || Promise.resolve(true);
  const next = previous.then(work, work);
  state.pending.set(id, next);
  next.finally(() => {
    if (state.pending.get(id) === next) state.pending.delete(id);
  });
  return next;
}

function commitEdit(id, approve) {
  return queue(id, () => sendEdit(id, approve));
}

function sendEdit(id, approve) {
  const row = state.rows.get(id);
  const b = state.byId.get(id);
  const text = row.querySelector(".en-edit").value;
  const changed = normalize(text) !== normalize(b.en) && normalize(text) !== "";
  const draftChanged = normalize(text) !== normalize(b.draft || b.en);
  if (!approve) {
    // Leaving the box: a draft, or no draft when the text is the saved English again.
    if (!draftChanged || normalize(text) === "") return Promise.resolve(true);
    return save(id, { en: text }, changed ? "Draft saved (not confirmed)" : "Draft removed");
  }
  if (!changed && isReviewed(b) && !b.draft) return Promise.resolve(true);
  const change = changed ? { en: text, approve: true } : { approve: true };
  if (!changed && b.draft) change.en = text; // confirming the saved English drops the draft
  return save(id, change, changed ? "Saved your edit" : "Approved");
}

function discardDraft(id) {
  const b = state.byId.get(id);
  const row = state.rows.get(id);
  row.querySelector(".en-edit").value = b.en || "";
  if (!b.draft) {
    state.drafts.delete(id);
    keep(id, null);
    renderRow(b);
    setSaveState(id, "", "Draft discarded");
    return Promise.resolve(true);
  }
  return queue(id, () => save(id, { en: b.en || "" }, "Draft discarded"));
}

function showConflict(id, theirs, mine) {
  const panel = openPanel(id, "conflict");
  panel.append(
    el("p", { text: "Someone else saved this paragraph since you opened it (another tab or reviewer). Nothing was overwritten." }),
    el("p", { class: "label", text: `Their version (${STATUS_WORDS[theirs.status] || theirs.status}):` }),
    el("div", { class: "theirs", lang: "en", text: theirs.en || "" }),
  );
  if (mine.en !== undefined) {
    panel.append(el("p", { class: "label", text: "Yours, kept in the box above:" }), diffNode(theirs.en, mine.en));
  }
  const useTheirs = el("button", {
    type: "button",
    text: "Use theirs",
    onclick: () => {
      state.drafts.delete(id);
      state.unsaved.delete(id);
      applyBlock(theirs);
      setSaveState(id, "saved", "Showing their version");
    },
  });
  const keepMine = el("button", {
    type: "button",
    class: "primary",
    text: "Save mine over theirs",
    onclick: async () => {
      state.byId.set(id, theirs);
      await save(id, mine, "Saved your version");
    },
  });
  panel.append(el("div", { class: "buttons" }, keepMine, useTheirs));
}

// ---- panels: alternatives, retranslation, comments --------------------------------------------

function openPanel(id, kind) {
  const row = state.rows.get(id);
  const panel = row.querySelector(".panel");
  panel.className = `panel ${kind}`;
  panel.replaceChildren();
  panel.hidden = false;
  panel.dataset.kind = kind;
  return panel;
}

function closePanel(id) {
  const row = state.rows.get(id);
  if (!row) return false;
  const panel = row.querySelector(".panel");
  if (panel.hidden) return false;
  panel.hidden = true;
  panel.replaceChildren();
  return true;
}

function flagSummary(flags) {
  return flags.length ? flags.map((f) => f.title).join("; ") : "No flags";
}

// Ask the model something about one paragraph, saying so in its panel meanwhile.
async function ask(id, kind, what, waiting, failure) {
  const panel = openPanel(id, kind);
  panel.append(el("p", { class: "label", text: waiting }));
  const res = await api("POST", `api/blocks/${encodeURIComponent(id)}/${what}`, {});
  if (!res.ok) {
    panel.replaceChildren(el("p", { class: "error", text: `${failure}: ${res.data.error}` }));
    return null;
  }
  return { panel, data: res.data };
}

async function alternatives(id) {
  const answer = await ask(id, "alternatives", "alternatives", "Asking the model for alternatives…", "No alternatives");
  if (!answer) return;
  const { panel, data } = answer;
  const current = state.byId.get(id).en || "";
  panel.replaceChildren(el("p", { class: "label", text: "Alternatives from the model, best first (1–4 to take one, Esc to close):" }));
  const list = el("ol", { class: "options" });
  data.alternatives.forEach((option) => {
    const same = normalize(option.en) === normalize(current);
    const take = el("button", {
      type: "button",
      text: same ? "Current" : "Use this",
      disabled: same,
      onclick: () => chooseAlternative(id, option.en),
    });
    list.append(
      el(
        "li",
        { "data-en": option.en },
        diffNode(current, option.en),
        el(
          "div",
          { class: "meta" },
          el("span", { class: "rank", text: `#${option.rank} of the model` }),
          // The model's mean probability per word piece: its own confidence, in plain words.
          option.confidence == null ? null : el("span", { class: "confidence", title: `score ${option.score.toFixed(2)} (average log-probability per token)`, text: ` · confidence ${Math.round(option.confidence * 100)}%` }),
          el("span", { text: ` · ${flagSummary(option.flags)}` }),
          take,
        ),
      ),
    );
  });
  panel.append(list);
}

async function chooseAlternative(id, text) {
  closePanel(id);
  const row = state.rows.get(id);
  row.querySelector(".en-edit").value = text;
  // Taking one of the numbered alternatives is a person's choice: confirmed, like Ctrl+Enter.
  await save(id, { en: text, approve: true }, "Saved the alternative");
}

// ---- translation-memory matches and concordance ------------------------------------------------

async function loadMatches(id) {
  if (!state.memory) return;
  const res = await api("GET", `api/blocks/${encodeURIComponent(id)}/matches`);
  if (!res.ok) return;
  state.matches.set(id, res.data);
  if (state.active === id) {
    showMatches(id, res.data);
    // The matches made the row taller: keep all of it in view (unless the reviewer is typing).
    const row = state.rows.get(id);
    if (row && !row.classList.contains("editing")) row.scrollIntoView({ block: "nearest" });
  }
}

// The matches of the active paragraph, numbered: 1-9 (Alt+1-9 while editing) inserts one.
function matchList(data) {
  const out = data.paragraph.map((m) => ({ ...m, whole: true }));
  data.sentences.forEach((s, i) => {
    for (const m of s.matches) out.push({ ...m, whole: false, index: i });
  });
  return out.slice(0, 9);
}

function showMatches(id, data) {
  const row = state.rows.get(id);
  if (!row) return;
  const box = row.querySelector(".tm");
  const list = matchList(data);
  box.replaceChildren();
  if (!list.length) {
    box.hidden = true;
    return;
  }
  box.append(el("p", { class: "label", text: "Translation memory (earlier confirmed translations; 1–9 inserts one):" }));
  const ol = el("ol", { class: "matches" });
  list.forEach((m, i) => {
    ol.append(
      el(
        "li",
        { "data-n": i + 1 },
        el("span", { class: `pct${m.similarity === 100 ? " exact" : ""}`, text: `${m.similarity}%` }),
        el("span", { class: "kind", text: m.whole ? "paragraph" : `sentence ${m.index + 1}` }),
        el("div", { class: "pair" }, el("div", { lang: "zh", class: "mzh", text: m.zh }), el("div", { lang: "en", class: "men", text: m.en })),
        el("button", { type: "button", class: "insert", text: "Insert", title: `${i + 1}`, onclick: () => insertMatch(id, i) }),
      ),
    );
  });
  box.append(ol);
  box.hidden = false;
}

// Put a match into the English box (a draft until confirmed): a paragraph match replaces the
// text; a sentence match replaces that sentence when the English has its sentences aligned,
// else goes in at the cursor.
function insertMatch(id, n) {
  const data = state.matches.get(id);
  if (!data) return false;
  const m = matchList(data)[n];
  if (!m) return false;
  const row = state.rows.get(id);
  const b = state.byId.get(id);
  const box = row.querySelector(".en-edit");
  const editing = row.classList.contains("editing") && document.activeElement === box;
  if (!editing) startEdit(id);
  if (m.whole) {
    box.value = m.en;
  } else if (!editing && b.align && b.align.length === data.sentences.length && normalize(box.value) === normalize(b.en)) {
    const r = b.align[m.index];
    box.value = box.value.slice(0, r[2]) + m.en + box.value.slice(r[3]);
  } else {
    box.setRangeText(m.en, box.selectionStart, box.selectionEnd, "end");
  }
  state.drafts.set(id, box.value);
  keep(id, { text: box.value, base: b.version, confirm: false });
  fit(box);
  setSaveState(id, "", `Inserted a ${m.similarity}% match: Ctrl+Enter confirms, Esc keeps it as a draft`);
  return true;
}

async function concordance(event) {
  if (event) event.preventDefault();
  const input = document.getElementById("concordance-q");
  const term = input.value.trim();
  const body = document.querySelector("#concordance-results tbody");
  const note = document.getElementById("concordance-note");
  if (!term) {
    body.replaceChildren();
    note.textContent = "";
    return;
  }
  const res = await api("GET", `api/concordance?q=${encodeURIComponent(term)}`);
  if (!res.ok) {
    note.textContent = res.status === 0 ? "The review server does not answer." : res.data.error;
    return;
  }
  if (!res.data.memory) {
    note.textContent = "This review runs without a translation memory (--no-memory).";
    body.replaceChildren();
    return;
  }
  const results = res.data.results;
  note.textContent = results.length ? results.length === 1 ? `1 earlier translation holds “${term}”.` : `${results.length} earlier translations hold “${term}”.` : `No earlier translation holds “${term}”.`;
  body.replaceChildren(...results.map((r) => el("tr", {}, el("td", { lang: "zh" }, marked(r.zh, term)), el("td", { lang: "en" }, marked(r.en, term)))));
}

// The text with each occurrence of `term` (case-insensitive) in a <mark>, built as text nodes.
function marked(text, term) {
  const frag = document.createDocumentFragment();
  const low = text.toLowerCase();
  const t = term.toLowerCase();
  let at = 0;
  for (let i = low.indexOf(t); t && i >= 0; i = low.indexOf(t, i + t.length)) {
    frag.append(text.slice(at, i), el("mark", { text: text.slice(i, i + t.length) }));
    at = i + t.length;
  }
  frag.append(text.slice(at));
  return frag;
}

async function retranslate(id) {
  const answer = await ask(id, "retranslation", "retranslate", "Retranslating with the glossary…", "No retranslation");
  if (answer) showProposal(id, answer.data.proposal);
}

function showProposal(id, proposal) {
  const b = state.byId.get(id);
  const panel = openPanel(id, "retranslation");
  const same = normalize(proposal.en) === normalize(b.en);
  panel.append(
    el("p", { class: "label", text: same ? "The retranslation gives the same English." : "Retranslation with the glossary (y to accept, n to keep the current):" }),
    el("div", { class: "before-after" },
      el("div", {}, el("p", { class: "label", text: "Before" }), el("div", { lang: "en", text: b.en || "" }), el("p", { class: "meta", text: flagSummary(b.flags) })),
      el("div", {}, el("p", { class: "label", text: "After" }), diffNode(b.en, proposal.en), el("p", { class: "meta", text: flagSummary(proposal.flags) })),
    ),
  );
  if (isReviewed(b)) {
    panel.append(el("p", { class: "warning", text: `A person ${b.status} this paragraph: accepting replaces their English with machine output.` }));
  }
  const accept = el("button", { type: "button", class: "primary accept", text: "Accept", onclick: () => takeProposal(id, proposal) });
  const keep = el("button", { type: "button", class: "keep", text: "Keep the current", onclick: () => closePanel(id) });
  panel.append(el("div", { class: "buttons" }, accept, keep));
  panel.dataset.proposal = "1";
  panel._proposal = proposal;
}

async function takeProposal(id, proposal) {
  const b = state.byId.get(id);
  setSaveState(id, "saving", "Saving…");
  const res = await api("POST", `api/blocks/${encodeURIComponent(id)}/take`, { base: b.version, en: proposal.en });
  if (res.ok) {
    state.drafts.delete(id);
    keep(id, null);
    state.progress = res.data.progress;
    applyBlock(res.data.block);
    renderProgress();
    setSaveState(id, "saved", "Saved the retranslation");
  } else if (res.status === 409) {
    showConflict(id, res.data.block, {});
  } else {
    setSaveState(id, "error", `Not saved: ${res.data.error}`);
  }
}

function openComment(id) {
  const row = state.rows.get(id);
  activate(id, false);
  const box = row.querySelector(".comment-box");
  box.hidden = false;
  const input = box.querySelector(".comment");
  input.focus();
}

function commitComment(id) {
  return queue(id, () => sendComment(id));
}

function sendComment(id) {
  const row = state.rows.get(id);
  const b = state.byId.get(id);
  const text = row.querySelector(".comment").value;
  if (normalize(text) === normalize(b.comment)) return Promise.resolve(true);
  return save(id, { comment: text }, text.trim() ? "Comment saved" : "Comment removed");
}

// ---- glossary ----------------------------------------------------------------------------------

async function loadGlossary() {
  const res = await api("GET", "api/glossary");
  const body = document.querySelector("#terms tbody");
  if (!res.ok) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: "3", text: res.data.error })));
    return;
  }
  body.replaceChildren(
    ...res.data.map((t) => el("tr", {}, el("td", { lang: "zh", text: t.zh }), el("td", { lang: "en", text: t.en }), el("td", { text: t.origin }))),
  );
  if (!res.data.length) body.append(el("tr", {}, el("td", { colspan: "3", text: "No terms yet." })));
}

async function addTerm(event) {
  event.preventDefault();
  const form = event.target;
  const zh = form.elements.zh.value;
  const en = form.elements.en.value;
  const res = await api("POST", "api/glossary", { zh, en });
  if (!res.ok) {
    banner(`Term not added: ${res.data.error}`);
    return;
  }
  form.reset();
  await loadGlossary();
  const touched = res.data.touched;
  banner(
    touched.length
      ? `${zh} → ${en} added. ${touched.length} paragraph(s) hold it: their retranslations are shown to accept or not.`
      : `${zh} → ${en} added. No paragraph holds it.`,
    "info",
  );
  for (const id of touched) {
    if (state.engine) await retranslate(id);
  }
  if (touched.length) activate(touched[0]);
}

// ---- keyboard ----------------------------------------------------------------------------------

function onKey(event) {
  const target = event.target;
  const row = target.closest ? target.closest(".row") : null;
  const id = row ? row.dataset.id : state.active;
  const ctrl = event.ctrlKey || event.metaKey;

  if (target.classList && target.classList.contains("en-edit")) {
    if (ctrl && event.key === "Enter") {
      // Confirm: edited (or approved) and into the memory; the next paragraph is selected, not
      // opened for editing.
      event.preventDefault();
      commitEdit(id, true).then((ok) => {
        if (ok) {
          leaveEdit(id);
          move(1);
        }
      });
    } else if (event.key === "Escape") {
      // Leave the box; what was typed stays as a draft (the focusout saves it).
      event.preventDefault();
      leaveEdit(id);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      leaveEdit(id);
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.altKey && /^[1-9]$/.test(event.key)) {
      if (insertMatch(id, Number(event.key) - 1)) event.preventDefault();
    }
    return;
  }
  if (target.classList && target.classList.contains("comment")) {
    if ((ctrl && event.key === "Enter") || event.key === "Escape") {
      event.preventDefault();
      if (event.key === "Escape") target.value = state.byId.get(id).comment || "";
      else commitComment(id);
      target.blur();
      row.focus({ preventScroll: true });
    }
    return;
  }
  if (target.id === "search") {
    if (event.key === "Escape") {
      target.value = "";
      state.query = "";
      applyFilter();
      target.blur();
    } else if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      target.blur();
      move(1);
    }
    return;
  }
  if (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
    // Esc leaves any other field, and the drawer it is in.
    if (event.key === "Escape") {
      event.preventDefault();
      target.blur();
      closeDrawers();
      if (state.active) state.rows.get(state.active).focus({ preventScroll: true });
    }
    return;
  }
  if (event.altKey) return;

  const panel = id ? state.rows.get(id).querySelector(".panel") : null;
  const panelKind = panel && !panel.hidden ? panel.dataset.kind : null;
  if (panelKind === "alternatives" && /^[1-9]$/.test(event.key)) {
    const item = panel.querySelectorAll("li")[Number(event.key) - 1];
    if (item) {
      event.preventDefault();
      chooseAlternative(id, item.dataset.en);
    }
    return;
  }
  if (panelKind === "retranslation" && (event.key === "y" || event.key === "n")) {
    event.preventDefault();
    if (event.key === "y" && panel._proposal) takeProposal(id, panel._proposal);
    else closePanel(id);
    return;
  }
  if (/^[1-9]$/.test(event.key) && !ctrl) {
    if (id && insertMatch(id, Number(event.key) - 1)) event.preventDefault();
    return;
  }
  const keys = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    Enter: () => (ctrl ? commitEdit(id, true).then((ok) => ok && move(1)) : id && startEdit(id)),
    e: () => id && startEdit(id),
    a: () => id && commitEdit(id, true),
    u: () => id && discardDraft(id),
    l: () => id && state.engine && alternatives(id),
    r: () => id && state.engine && retranslate(id),
    c: () => id && openComment(id),
    "/": () => document.getElementById("search").focus(),
    g: () => toggleDrawer("glossary", true),
    f: () => openConcordance(),
    v: () => setLayout(state.layout === "grid" ? "cards" : "grid"),
    "?": () => toggleDrawer("help", true),
    Escape: () => (id && closePanel(id)) || closeDrawers(),
  };
  const action = keys[event.key];
  if (action && !(ctrl && event.key !== "Enter")) {
    event.preventDefault();
    action();
  }
}

const DRAWERS = ["glossary", "help", "concordance"];

function toggleDrawer(name, focus) {
  const drawer = document.getElementById(name);
  const opening = drawer.hidden;
  closeDrawers();
  if (!opening) return;
  drawer.hidden = false;
  document.getElementById(`${name}-toggle`).setAttribute("aria-expanded", "true");
  if (name === "glossary") loadGlossary();
  const input = drawer.querySelector("input");
  if (focus && input) input.focus();
}

function openConcordance() {
  const drawer = document.getElementById("concordance");
  const selected = String(window.getSelection ? window.getSelection() : "").trim();
  if (drawer.hidden) toggleDrawer("concordance", true);
  const input = document.getElementById("concordance-q");
  if (selected && selected.length <= 200) {
    input.value = selected;
    concordance();
  }
  input.focus();
  input.select();
}

function setLayout(layout) {
  state.layout = layout === "grid" ? "grid" : "cards";
  document.body.classList.toggle("grid", state.layout === "grid");
  const button = document.getElementById("layout-toggle");
  button.setAttribute("aria-pressed", String(state.layout === "grid"));
  try {
    localStorage.setItem("bilingual:layout", state.layout);
  } catch (err) {
    // not remembered; the page still switches
  }
  if (state.active) state.rows.get(state.active).scrollIntoView({ block: "nearest" });
}

function closeDrawers() {
  let closed = false;
  for (const name of DRAWERS) {
    const drawer = document.getElementById(name);
    if (!drawer.hidden) closed = true;
    drawer.hidden = true;
    document.getElementById(`${name}-toggle`).setAttribute("aria-expanded", "false");
  }
  return closed;
}

// ---- wiring ------------------------------------------------------------------------------------

function wire() {
  document.addEventListener("keydown", onKey);
  const rows = document.getElementById("rows");
  rows.addEventListener("click", (event) => {
    const row = event.target.closest(".row");
    if (!row) return;
    const id = row.dataset.id;
    const button = event.target.closest("button");
    if (button && button.classList.contains("approve")) commitEdit(id, true);
    else if (button && button.classList.contains("discard")) discardDraft(id);
    else if (button && button.classList.contains("alts")) alternatives(id);
    else if (button && button.classList.contains("retranslate")) retranslate(id);
    else if (button && button.classList.contains("add-comment")) openComment(id);
    else if (event.target.closest(".en-view")) startEdit(id);
    else if (!event.target.closest("button, textarea, a, summary")) activate(id, false);
  });
  rows.addEventListener("focusin", (event) => {
    const row = event.target.closest(".row");
    if (row && row.dataset.id !== state.active) activate(row.dataset.id, false);
    if (event.target.classList.contains("en-edit")) row.classList.add("editing");
  });
  rows.addEventListener("focusout", (event) => {
    const row = event.target.closest(".row");
    if (!row) return;
    const id = row.dataset.id;
    if (event.target.classList.contains("en-edit")) {
      // Leaving the box keeps what was typed as a draft: saved, shown, not confirmed.
      commitEdit(id, false);
      if (!row.contains(event.relatedTarget)) row.classList.remove("editing");
    } else if (event.target.classList.contains("comment")) {
      commitComment(id);
      if (!event.target.value.trim()) row.querySelector(".comment-box").hidden = true;
    }
  });
  rows.addEventListener("input", (event) => {
    if (event.target.classList.contains("en-edit")) {
      const row = event.target.closest(".row");
      const id = row.dataset.id;
      state.drafts.set(id, event.target.value);
      keep(id, { text: event.target.value, base: state.byId.get(id).version, confirm: false });
      fit(event.target);
    }
  });
  // Hovering a sentence lights up its counterpart in the other language.
  const hover = (on) => (event) => {
    const span = event.target.closest ? event.target.closest(".s") : null;
    if (!span) return;
    const row = span.closest(".row");
    for (const s of row.querySelectorAll(`.s[data-s="${span.dataset.s}"]`)) s.classList.toggle("hl", on);
  };
  rows.addEventListener("mouseover", hover(true));
  rows.addEventListener("mouseout", hover(false));

  for (const button of document.querySelectorAll("#filters button")) {
    button.addEventListener("click", () => {
      state.filter = button.dataset.filter;
      for (const b of document.querySelectorAll("#filters button")) b.setAttribute("aria-pressed", String(b === button));
      applyFilter();
    });
  }
  // `bilingual review --web --flagged` opens the page on the flagged paragraphs (#filter=flagged).
  const wanted = new URLSearchParams(location.hash.slice(1)).get("filter");
  const start = wanted && document.querySelector(`#filters button[data-filter="${CSS.escape(wanted)}"]`);
  if (start) start.click();
  document.getElementById("search").addEventListener("input", (event) => {
    state.query = event.target.value;
    applyFilter();
  });
  document.getElementById("glossary-toggle").addEventListener("click", () => toggleDrawer("glossary", false));
  document.getElementById("help-toggle").addEventListener("click", () => toggleDrawer("help", false));
  document.getElementById("concordance-toggle").addEventListener("click", () => toggleDrawer("concordance", true));
  document.getElementById("concordance-form").addEventListener("submit", concordance);
  document.getElementById("layout-toggle").addEventListener("click", () => setLayout(state.layout === "grid" ? "cards" : "grid"));
  for (const close of document.querySelectorAll(".drawer .close")) close.addEventListener("click", closeDrawers);
  let remembered = "cards";
  try {
    remembered = localStorage.getItem("bilingual:layout") || "cards";
  } catch (err) {
    // storage refused: cards
  }
  setLayout(remembered);
  document.getElementById("term-form").addEventListener("submit", addTerm);
  window.addEventListener("beforeunload", (event) => {
    if (state.unsaved.size || Object.keys(unsent()).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

function takeProject(project) {
  state.blocks = project.blocks;
  state.byId = new Map(project.blocks.map((b) => [b.id, b]));
  state.progress = project.progress;
  state.engine = project.engine;
  state.memory = project.memory;
  state.key = project.key;
  state.matches.clear();
  document.getElementById("concordance-toggle").hidden = !state.memory;
}

async function load() {
  const res = await api("GET", "api/project");
  if (!res.ok) {
    if (res.status === 0) goneOffline();
    else banner(`Could not load the project: ${res.data.error}`);
    return;
  }
  const project = res.data;
  takeProject(project);
  renderHeader(project);
  renderAll();
  renderProgress();
  const first = state.blocks.find((b) => b.n > 0 && !isReviewed(b)) || state.blocks[0];
  if (first) activate(first.id, location.hash === "");
  if (location.hash) {
    const target = document.querySelector(location.hash.replace(/[^#\w-]/g, ""));
    if (target && target.dataset.id) activate(target.dataset.id);
  }
  document.body.dataset.ready = String(Math.round(performance.now())); // ms since navigation
  const sent = await sendUnsent();
  if (sent) banner(`${sent} change${sent === 1 ? "" : "s"} kept in this browser from before ${sent === 1 ? "was" : "were"} saved.`, "info");
}


wire();
load();
