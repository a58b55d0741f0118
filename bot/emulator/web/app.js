// duban emulator page. Everything shown comes from the server as data and is
// put into the page with textContent and createElement only: document text
// never reaches innerHTML, so a task text cannot inject markup.
"use strict";

const token = new URLSearchParams(location.search).get("token");
const state = { config: null, platform: "wecom", kb: null, tz: "+08:00" };

// el builds an element; string children become text nodes.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

async function api(path, opts) {
  opts = opts || {};
  opts.headers = Object.assign({}, opts.headers || {});
  if (token) opts.headers["X-Duban-Token"] = token;
  const resp = await fetch(path, opts);
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) throw new Error((body && body.error) || resp.status + " " + resp.statusText);
  return body;
}

// ---- markdown, as WeCom and DingTalk render the subset duban sends ----

// unescape drops the backslash of an escaped markdown character.
function unescapeMd(s) { return s.replace(/\\([\\*#`_\[\]>~-])/g, "$1"); }

// inline appends text to parent, turning **bold** into <strong>.
function inline(text, parent) {
  const re = /\*\*((?:\\.|[^*\\])+?)\*\*/g;
  let last = 0, m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) parent.append(document.createTextNode(unescapeMd(text.slice(last, m.index))));
    parent.append(el("strong", { text: unescapeMd(m[1]) }));
    last = re.lastIndex;
  }
  if (last < text.length) parent.append(document.createTextNode(unescapeMd(text.slice(last))));
}

// renderMarkdown fills container: a blank line ends a paragraph, a single
// newline is a line break (both platforms), "> " quotes, "#" headings.
function renderMarkdown(md, container) {
  let para = null;
  for (const line of md.split("\n")) {
    let m;
    if (line.trim() === "") { para = null; continue; }
    if ((m = /^>\s?(.*)$/.exec(line))) {
      const q = el("blockquote"); inline(m[1], q); container.append(q); para = null; continue;
    }
    if ((m = /^(#{1,4})\s+(.*)$/.exec(line))) {
      const h = el("h" + (m[1].length + 2)); inline(m[2], h); container.append(h); para = null; continue;
    }
    if (!para) { para = el("p"); container.append(para); } else { para.append(el("br")); }
    inline(line, para);
  }
}

function bubble(text, markdown) {
  const b = el("div", { class: "bubble" + (markdown ? "" : " plain") });
  if (markdown) renderMarkdown(text, b); else b.textContent = text;
  return b;
}

// ---- tabs ----

function showTab(id) {
  for (const t of document.querySelectorAll(".tabs button")) {
    const on = t.id === id;
    t.setAttribute("aria-selected", on ? "true" : "false");
    document.getElementById(t.dataset.panel).hidden = !on;
  }
  if (id === "tab-kb") loadKB(); // every visit: a reload of the documents shows at once
}

// ---- chat ----

function platformInfo() {
  return state.config.platforms.find(p => p.id === state.platform) || state.config.platforms[0];
}

function updateTitles() {
  const chat = document.getElementById("chat").value;
  document.getElementById("chat-title").textContent = chat || "单聊";
  document.getElementById("platform-title").textContent = platformInfo().label;
  document.getElementById("phone").dataset.platform = state.platform.startsWith("dingtalk") ? "dingtalk" : "wecom";
}

function addRow(own, who, nodes) {
  const t = document.getElementById("transcript");
  const stack = el("div", { class: "stack" }, el("span", { class: "who", text: who }), ...nodes);
  const row = el("div", { class: "row " + (own ? "own" : "bot") },
    el("div", { class: "avatar", text: own ? who.slice(0, 1) : "督" }), stack);
  t.append(row);
  t.scrollTop = t.scrollHeight;
  return row;
}

function sourceText(s) {
  let t = s.title || s.file;
  if (s.row) t += " 第" + s.row + "行";
  return t + "（" + s.file + (s.line ? ":" + s.line : "") + "）";
}

async function ask(text) {
  const user = document.getElementById("user").value.trim() || "张三";
  const chat = document.getElementById("chat").value;
  addRow(true, user, [bubble((chat ? "@督办 " : "") + text, false)]);
  const send = document.getElementById("send");
  send.disabled = true;
  try {
    const r = await api("/emulator/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ platform: state.platform, chat: chat, user: user, text: text }),
    });
    const nodes = r.messages.map((m, i) => {
      const b = bubble(m, r.markdown);
      if (r.messages.length > 1) b.prepend(el("span", { class: "part", text: "第" + (i + 1) + "/" + r.messages.length + "条" }));
      return b;
    });
    const meta = "意图 " + (r.intent || "—") + " · " + r.dialect + " · " + r.millis.toFixed(2) + " ms" +
      (r.sources.length ? " · 来源 " + r.sources.slice(0, 3).map(sourceText).join("；") : "");
    nodes.push(el("span", { class: "meta", text: meta }));
    addRow(false, "督办", nodes).classList.add("reply");
  } catch (err) {
    addRow(false, "督办", [el("div", { class: "bubble error", text: "出错了：" + err.message })]);
  } finally {
    send.disabled = false;
  }
}

function setupChat() {
  const c = state.config;
  const ps = document.getElementById("platform");
  for (const p of c.platforms) ps.append(el("option", { value: p.id, text: p.label }));
  ps.addEventListener("change", () => { state.platform = ps.value; updateTitles(); });
  const cs = document.getElementById("chat");
  cs.append(el("option", { value: "", text: "（单聊，不在群里）" }));
  for (const ch of c.chats) {
    cs.append(el("option", { value: ch.name, text: ch.name + (ch.units && ch.units.length ? "（" + ch.units.join("、") + "）" : "") }));
  }
  if (c.chats.length) cs.value = c.chats[0].name;
  cs.addEventListener("change", updateTitles);
  const ex = document.getElementById("examples");
  for (const q of ["76号任务谁牵头", "那它什么时候到期？", "交通局牵头哪些任务", "8月底前要完成哪些", "帮助"]) {
    const b = el("button", { type: "button", text: q });
    b.addEventListener("click", () => ask(q));
    ex.append(b);
  }
  document.getElementById("ask-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const q = document.getElementById("question");
    const text = q.value.trim();
    if (!text) return;
    q.value = "";
    ask(text);
  });
  updateTitles();
}

// ---- reminders ----

async function runRemind() {
  const at = document.getElementById("remind-at").value; // 2020-08-25T09:00
  const status = document.getElementById("remind-status");
  const box = document.getElementById("digests");
  if (!at) return;
  const now = (at.length === 16 ? at + ":00" : at) + state.tz;
  status.textContent = "生成中…";
  box.replaceChildren();
  try {
    const r = await api("/emulator/api/remind?now=" + encodeURIComponent(now));
    status.textContent = "运行时间 " + r.now + "：" + r.digests.length + " 个群将收到提醒（未发送）";
    if (!r.digests.length) box.append(el("div", { class: "empty", text: "这个时间没有需要发送的提醒。" }));
    for (const d of r.digests) {
      box.append(el("article", { class: "card digest" },
        el("h3", { text: d.chat }),
        el("div", { class: "units" }, ...(d.units || []).map(u => el("span", { class: "tag", text: u }))),
        ...(d.note ? [el("p", { class: "hint", text: d.note })] : []),
        bubble(d.text, true),
        ...(d.cards && d.cards.length ? [taskCards(d)] : [])));
    }
  } catch (err) {
    status.textContent = "出错了：" + err.message;
  }
}

// taskCards shows a digest's tasks as the interactive cards a platform
// would: a tap goes to the same card actor as a real click, and the card
// shows the view it returns (who tapped what, or why it was refused).
function taskCards(d) {
  const box = el("div", { class: "task-cards" });
  for (const c of d.cards) box.append(taskCard(d.chat, c));
  return box;
}

function clickID() {
  const a = new Uint8Array(8);
  crypto.getRandomValues(a);
  return "tap-" + [...a].map(b => b.toString(16).padStart(2, "0")).join("");
}

function taskCard(chat, c) {
  const card = el("div", { class: "task-card light-" + (c.light || "none"), "data-task": c.table + ":" + c.no });
  const view = el("div", { class: "task-view" });
  const buttons = el("div", { class: "task-buttons" });
  const extra = el("div", { class: "task-extra" });
  card.append(el("div", { class: "task-title", text: c.label + " " + c.title }),
    el("div", { class: "task-due", text: c.due ? "到期：" + c.due : "" }), view, buttons, extra);
  const send = async (b, id, input) => {
    const user = document.getElementById("user").value.trim();
    const body = { id, chat, user, verb: b.verb, table: c.table, no: c.no };
    if (b.ask === "date") body.extension = input;
    if (b.ask === "reason") body.reason = input;
    try {
      const v = await api("/emulator/api/card", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      view.replaceChildren(el("div", { class: "view-title" + (v.refused ? " refused" : ""), text: v.title }),
        ...(v.desc ? [el("div", { class: "view-desc", text: v.desc })] : []),
        ...(v.lines || []).map(l => el("div", { class: "view-line", text: l })));
      card.dataset.refused = v.refused ? "true" : "false";
      if (v.final) { buttons.replaceChildren(); extra.replaceChildren(); }
    } catch (err) {
      view.replaceChildren(el("div", { class: "view-title refused", text: "出错了：" + err.message }));
    }
  };
  for (const b of c.buttons) {
    // One id per button: a second click on it is the replayed click a
    // platform may deliver twice, recorded once.
    const id = clickID();
    const btn = el("button", { type: "button", class: "task-button", "data-verb": b.verb, text: b.label });
    btn.addEventListener("click", () => {
      if (!b.ask) { send(b, id, ""); return; }
      const input = el("input", { class: "task-input", placeholder: b.ask === "date" ? "延期到，例如 10月底" : "原因" });
      const ok = el("button", { type: "button", class: "task-confirm", text: "确认" + b.label });
      ok.addEventListener("click", () => send(b, id, input.value.trim()));
      extra.replaceChildren(input, ok);
    });
    buttons.append(btn);
  }
  return card;
}

function setupRemind() {
  const c = state.config;
  if (!c.remind) {
    document.getElementById("remind-form").replaceChildren(el("p", { class: "hint", text: "未配置提醒（需要 --config 中的 chats 与 reminders）。" }));
    return;
  }
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.exec(c.now);
  if (m) { document.getElementById("remind-at").value = m[1]; state.tz = m[2] === "Z" ? "+00:00" : m[2]; }
  document.getElementById("remind-form").addEventListener("submit", ev => { ev.preventDefault(); runRemind(); });
}

// ---- knowledge base ----

// kbTable builds a card with a table; head names ending in "#" are numeric.
function kbTable(title, head, rows, opts) {
  opts = opts || {};
  const tbody = el("tbody");
  for (const r of rows) {
    const tr = el("tr", opts.rowClass ? { class: opts.rowClass } : {});
    r.forEach((v, i) => tr.append(el("td", typeof v === "number" ? { class: "num", text: String(v) } : { text: v == null ? "" : String(v) })));
    tr.dataset.search = r.join(" ").toLowerCase();
    tbody.append(tr);
  }
  const count = el("span", { class: "count", text: rows.length + " 项" });
  const card = el("section", { class: "card" + (opts.wide ? " wide" : "") },
    el("h3", {}, title, count),
    el("div", { class: "scroll" }, el("table", {}, el("thead", {}, el("tr", {}, ...head.map(h => h.endsWith("#") ? el("th", { class: "num", text: h.slice(0, -1) }) : el("th", { text: h })))), tbody)));
  card.dataset.total = String(rows.length);
  return card;
}

async function loadKB() {
  const status = document.getElementById("kb-status");
  const box = document.getElementById("kb-content");
  if (!state.config.kb) { status.textContent = "未配置知识库摘要。"; return; }
  status.textContent = "加载中…";
  try {
    const k = await api("/emulator/api/kb");
    state.kb = k;
    const records = (k.tables || []).reduce((n, t) => n + t.count, 0);
    box.replaceChildren(
      el("section", { class: "card wide stats" },
        ...[[records, "条任务记录"], [(k.tables || []).length, "张表"], [(k.units || []).length, "个单位"],
          [(k.leaders || []).length, "位领导"], [k.passages || 0, "个段落（全文检索）"], [(k.warnings || []).length, "条警告"]]
          .map(([n, l]) => el("div", { class: "stat" }, el("b", { text: String(n) }), el("span", { text: l })))),
      kbTable("表格", ["名称", "标题", "条数#"], (k.tables || []).map(t => [t.name, t.title, t.count])),
      ...(k.docs && k.docs.length ? [kbTable("文档", ["文件", "标题"], k.docs.map(d => [d.file, d.title]))] : []),
      kbTable("单位", ["单位", "牵头任务#", "备注"], (k.units || []).map(u => [u.name, u.count, u.note || ""])),
      kbTable("领导", ["姓名", "牵头任务#", "分管"], (k.leaders || []).map(u => [u.name, u.count, u.note || ""])),
      ...(k.check || []).map(c => kbTable("kb check：" + c.title, ["内容"], (c.lines || []).map(l => [l]), { wide: true })),
      kbTable("警告（kb check）", ["位置与说明"], (k.warnings || []).map(w => [w]), { wide: true, rowClass: "warn" }),
      ...(k.errors && k.errors.length ? [kbTable("加载失败的文档", ["错误"], k.errors.map(e => [e]), { wide: true, rowClass: "warn" })] : []));
    status.textContent = "载入于 " + (k.loaded || "");
    filterKB();
  } catch (err) {
    status.textContent = "出错了：" + err.message;
  }
}

function filterKB() {
  const q = document.getElementById("kb-search").value.trim().toLowerCase();
  let shown = 0;
  for (const card of document.querySelectorAll("#kb-content section.card")) {
    const rows = card.querySelectorAll("tbody tr");
    if (!rows.length && !card.dataset.total) continue;
    let n = 0;
    for (const tr of rows) {
      const hit = !q || tr.dataset.search.includes(q);
      tr.hidden = !hit;
      if (hit) n++;
    }
    shown += n;
    card.hidden = q !== "" && n === 0;
    const count = card.querySelector(".count");
    if (count) count.textContent = q ? n + " / " + card.dataset.total + " 项" : card.dataset.total + " 项";
  }
  if (q) document.getElementById("kb-status").textContent = "“" + q + "”：" + shown + " 项匹配";
}

// ---- start ----

async function start() {
  for (const t of document.querySelectorAll(".tabs button")) t.addEventListener("click", () => showTab(t.id));
  document.getElementById("kb-search").addEventListener("input", filterKB);
  try {
    state.config = await api("/emulator/api/config");
  } catch (err) {
    document.getElementById("transcript").append(el("div", { class: "bubble error", text: "无法连接 duban：" + err.message }));
    return;
  }
  state.platform = state.config.platforms[0].id;
  setupChat();
  setupRemind();
  document.body.dataset.ready = "true";
}

start();
