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
  drafts: new Map(), // id -> English typed and not saved yet
  unsaved: new Set(), // ids whose last save failed
  pending: new Map(), // id -> the save in flight
  engine: false,
  progress: { paragraphs: 0, reviewed: 0, flagged: 0 },
};

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
    list.append(el("li", { title: f.code }, el("strong", { text: f.title }), f.message ? `: ${f.message}` : ""));
  }
  return list;
}

function renderRow(b) {
  const old = state.rows.get(b.id);
  const wasEditing = old && old.contains(document.activeElement) && document.activeElement.classList.contains("en-edit");
  const draft = state.drafts.get(b.id);
  const isTitle = b.n === 0;
  const row = el("article", {
    class: `row status-${b.status}${b.flags.length ? " flagged" : ""}${isTitle ? " title-row" : ""}`,
    id: isTitle ? "title" : `p${b.n}`,
    "data-id": b.id,
    tabindex: "-1",
    "aria-label": isTitle ? "Title" : `Paragraph ${b.n}`,
  });
  const zh = el("div", { class: "zh", lang: "zh" }, sentences(b.zh, b.align, "zh"));
  const view = el("div", { class: "en-view", lang: "en" });
  if (b.draft) view.append(b.draft);
  else if (b.en) view.append(sentences(b.en, b.align, "en"));
  else view.append(el("em", { text: "(not translated yet)" }));
  const edit = el("textarea", {
    class: "en-edit",
    lang: "en",
    rows: "3",
    "aria-label": `English of ${isTitle ? "the title" : `§${b.n}`}`,
    spellcheck: "true",
  });
  edit.value = draft !== undefined ? draft : b.draft || b.en || "";
  const english = el("div", { class: "en" }, view, edit);
  if (b.mt && b.status === "edited" && normalize(b.mt) !== normalize(b.en)) {
    english.append(el("details", { class: "changes" }, el("summary", { text: "Changes from the machine" }), diffNode(b.mt, b.en)));
  }
  english.append(el("div", { class: "panel", hidden: true }));
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
    el("span", { class: "status", title: `${STATUS_WORDS[b.status] || b.status}${score}`, text: STATUS_WORDS[b.status] || b.status }),
    b.draft ? el("span", { class: "status draft-badge", title: "Your English is kept as a draft: not counted as reviewed, not in the memory. Ctrl+Enter or Approve confirms it.", text: "Draft" }) : null,
    b.flags.length ? flagList(b.flags) : null,
    el("div", { class: "save-state", "aria-live": "polite" }),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "button", class: "approve", text: "Approve", title: "Ctrl+Enter", disabled: (isReviewed(b) && !b.draft) || !(b.en || b.draft) }),
      el("button", { type: "button", class: "alts", text: "Alternatives", title: "l", disabled: !state.engine }),
      el("button", { type: "button", class: "retranslate", text: "Retranslate", title: "r", disabled: !state.engine }),
      el("button", { type: "button", class: "add-comment", text: b.comment ? "Comment" : "Add comment", title: "c" }),
    ),
  );
  row.append(el("a", { class: "num", href: `#${row.id}`, text: isTitle ? "Title" : `§${b.n}` }), zh, english, side);
  if (old) old.replaceWith(row);
  state.rows.set(b.id, row);
  if (state.active === b.id) row.classList.add("active");
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
  const text = `${p.reviewed} of ${p.paragraphs} reviewed` + (p.flagged ? ` · ${p.flagged} flagged` : "");
  document.getElementById("progress-text").textContent = text;
  const bar = document.getElementById("progress-bar");
  bar.max = Math.max(p.paragraphs, 1);
  bar.value = p.reviewed;
  const counts = { all: 0, flagged: 0, todo: 0, edited: 0, approved: 0 };
  for (const b of state.blocks) {
    if (b.n === 0) continue; // counted as the handout counts: paragraphs, not the title
    counts.all++;
    if (b.flags.length) counts.flagged++;
    if (!isReviewed(b)) counts.todo++;
    if (b.status === "edited") counts.edited++;
    if (b.status === "approved") counts.approved++;
  }
  for (const button of document.querySelectorAll("#filters button")) {
    button.querySelector(".count").textContent = counts[button.dataset.filter];
  }
}

// ---- filters and search ------------------------------------------------------------------------

function matches(b) {
  const f = state.filter;
  if (f === "flagged" && !b.flags.length) return false;
  if (f === "todo" && isReviewed(b)) return false;
  if (f === "edited" && b.status !== "edited") return false;
  if (f === "approved" && b.status !== "approved") return false;
  const q = state.query.trim().toLowerCase();
  if (!q) return true;
  const hay = `${b.zh}\n${b.en || ""}\n${state.drafts.get(b.id) || ""}\n${b.comment || ""}`.toLowerCase();
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
    if (previous) previous.classList.remove("active", "editing");
  }
  state.active = id;
  const row = state.rows.get(id);
  row.classList.add("active");
  if (scroll) row.scrollIntoView({ block: "nearest" });
  if (!row.contains(document.activeElement)) row.focus({ preventScroll: true });
}

function move(step, edit) {
  const ids = visibleIds();
  if (!ids.length) return;
  let at = ids.indexOf(state.active);
  if (at < 0) at = step > 0 ? -1 : ids.length;
  const next = ids[Math.min(Math.max(at + step, 0), ids.length - 1)];
  activate(next);
  if (edit) startEdit(next);
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
async function save(id, change, note) {
  const b = state.byId.get(id);
  setSaveState(id, "saving", "Saving…");
  const res = await api("POST", `api/blocks/${encodeURIComponent(id)}`, { base: b.version, ...change });
  if (res.ok) {
    if (change.en !== undefined) state.drafts.delete(id);
    state.unsaved.delete(id);
    state.progress = res.data.progress;
    applyBlock(res.data.block);
    renderProgress();
    applyFilter();
    setSaveState(id, "saved", note || "Saved");
    if (!state.unsaved.size) banner("");
    return true;
  }
  if (change.en !== undefined) state.drafts.set(id, change.en);
  state.unsaved.add(id);
  markUnsaved(id);
  if (res.status === 409) {
    showConflict(id, res.data.block, change);
    setSaveState(id, "error", "Not saved: changed elsewhere");
    return false;
  }
  const reason = res.data.error || "unknown error";
  setSaveState(id, "error", `Not saved: ${reason}. Your text is kept here.`);
  banner(
    res.status === 0
      ? "Not saved: the review server does not answer. Your text is kept on this page; start the review again and press Ctrl+Enter to save it."
      : `Not saved: ${reason}. Your text is kept on this page.`,
  );
  return false;
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
  if (!changed && !approve) return Promise.resolve(true);
  if (!changed && isReviewed(b)) return Promise.resolve(true);
  const change = changed ? { en: text } : {};
  if (approve) change.approve = true;
  return save(id, change, changed ? "Saved your edit" : "Approved");
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
      event.preventDefault();
      commitEdit(id, true).then((ok) => {
        if (ok) move(1, true);
      });
    } else if (event.key === "Escape") {
      event.preventDefault();
      const b = state.byId.get(id);
      const saved = b.en || "";
      if (target.value !== saved) {
        target.value = saved;
        state.drafts.delete(id);
        fit(target);
        setSaveState(id, "", "Edit undone");
      } else {
        target.blur();
        row.classList.remove("editing");
        row.focus({ preventScroll: true });
      }
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      commitEdit(id, false).then((ok) => {
        if (ok) move(event.key === "ArrowDown" ? 1 : -1, true);
      });
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
  if (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || event.altKey) return;

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
  const keys = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    Enter: () => (ctrl ? commitEdit(id, true).then((ok) => ok && move(1)) : id && startEdit(id)),
    e: () => id && startEdit(id),
    a: () => id && commitEdit(id, true),
    l: () => id && state.engine && alternatives(id),
    r: () => id && state.engine && retranslate(id),
    c: () => id && openComment(id),
    "/": () => document.getElementById("search").focus(),
    g: () => toggleDrawer("glossary", true),
    "?": () => toggleDrawer("help", true),
    Escape: () => (id && closePanel(id)) || closeDrawers(),
  };
  const action = keys[event.key];
  if (action && !(ctrl && event.key !== "Enter")) {
    event.preventDefault();
    action();
  }
}

function toggleDrawer(name, focus) {
  const drawer = document.getElementById(name);
  const button = document.getElementById(`${name}-toggle`);
  drawer.hidden = !drawer.hidden;
  button.setAttribute("aria-expanded", String(!drawer.hidden));
  if (!drawer.hidden && name === "glossary") {
    loadGlossary();
    if (focus) drawer.querySelector("input").focus();
  }
}

function closeDrawers() {
  for (const name of ["glossary", "help"]) {
    document.getElementById(name).hidden = true;
    document.getElementById(`${name}-toggle`).setAttribute("aria-expanded", "false");
  }
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
      const b = state.byId.get(id);
      if (normalize(event.target.value) !== normalize(b.en) && normalize(event.target.value)) {
        commitEdit(id, false);
      }
      if (!row.contains(event.relatedTarget)) row.classList.remove("editing");
    } else if (event.target.classList.contains("comment")) {
      commitComment(id);
      if (!event.target.value.trim()) row.querySelector(".comment-box").hidden = true;
    }
  });
  rows.addEventListener("input", (event) => {
    if (event.target.classList.contains("en-edit")) {
      const row = event.target.closest(".row");
      state.drafts.set(row.dataset.id, event.target.value);
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
  document.getElementById("term-form").addEventListener("submit", addTerm);
  window.addEventListener("beforeunload", (event) => {
    if (state.unsaved.size || state.drafts.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

async function load() {
  const res = await api("GET", "api/project");
  if (!res.ok) {
    banner(`Could not load the project: ${res.data.error}`);
    return;
  }
  const project = res.data;
  state.blocks = project.blocks;
  state.byId = new Map(project.blocks.map((b) => [b.id, b]));
  state.progress = project.progress;
  state.engine = project.engine;
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
}

wire();
load();
