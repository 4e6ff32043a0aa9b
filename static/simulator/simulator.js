/* The LINE simulator page: pick a persona, chat with the bot, see pushes arrive (polling once a second). */
"use strict";

const API = `${location.pathname.replace(/\/$/, "")}/api`;
const ROLE_GROUPS = [["principal", "ผู้อำนวยการโรงเรียน (ผู้แจ้งเหตุ)"], ["officer", "เจ้าหน้าที่ศูนย์"],
                     ["supervisor", "หัวหน้าศูนย์"], ["group", "กลุ่ม LINE ของศูนย์"]];
const TIME_FORMAT = { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Bangkok" };
const POLL_MS = 1000;
const SOON_MS = 200;  // right after an action the bot's answer comes within moments: look more often
const $ = (id) => document.getElementById(id);
const nearBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 80;
const view = { persona: null, after: 0, cleared: 0, last: null, refusals: 0, timer: null, polling: false, soon: 0,
               again: false, menu: null };

async function api(path, options = {}) {
  const response = await fetch(`${API}${path}`, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  if (body.status && body.status !== 200) toast(`บอตตอบ HTTP ${body.status}`);
  return body;
}

const postJson = (path, body) => api(path, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

function act(promise) {
  return promise.then(() => { view.soon = 10; refresh(); }).catch((error) => toast(error.message));
}

/* -- the chat list ------------------------------------------------------------------------- */

function drawPersonas(personas) {
  const list = $("persona-list");
  if (!list.childElementCount) {
    for (const [role, title] of ROLE_GROUPS) {
      const members = personas.filter((p) => p.role === role);
      if (!members.length) continue;
      list.append(el("div", "group-title", title));
      for (const p of members) list.append(personaButton(p));
    }
  }
  let total = 0;
  for (const p of personas) {
    const item = list.querySelector(`[data-persona="${p.key}"]`);
    if (!item) continue;
    item.querySelector(".last").textContent = p.last;
    const badge = item.querySelector(".unread");
    const unread = p.key === view.persona ? 0 : p.unread;
    badge.hidden = !unread;
    badge.textContent = unread;
    total += unread;
  }
  document.title = `${total ? `(${total}) ` : ""}เครื่องจำลอง LINE`;
}

function personaButton(p) {
  const button = el("button", "persona");
  button.type = "button";
  button.dataset.persona = p.key;
  button.dataset.name = p.name;
  button.dataset.title = p.title;
  button.dataset.role = p.role;
  const who = el("div", "who");
  who.append(el("div", "name", p.name), el("div", "title", p.title), el("div", "last", ""));
  const badge = el("span", "unread", "");
  badge.hidden = true;
  button.append(el("span", `avatar ${p.role}`, initials(p)), who, badge);
  button.addEventListener("click", () => choose(p.key));
  return button;
}

/* A Thai name's first letter, after นาย/นาง/นางสาว (a leading vowel keeps its consonant). */
function initials(persona) {
  if (persona.role === "group") return "กลุ่ม";
  const name = persona.name.replace(/^(นางสาว|นาย|นาง)/, "");
  return /^[เแโใไ]/.test(name) ? name.slice(0, 2) : name.slice(0, 1);
}

function choose(key) {
  view.persona = key;
  view.after = 0;
  view.last = null;
  $("messages").replaceChildren();
  drawQuickReplies();
  drawRichMenu(null);
  history.replaceState(null, "", `#${key}`);
  for (const item of document.querySelectorAll(".persona")) {
    item.classList.toggle("active", item.dataset.persona === key);
    if (item.dataset.persona === key) {
      $("persona-name").textContent = item.dataset.name;
      $("persona-title").textContent = `(${item.dataset.title})`;
      /* officers and the supervisor can open the web console and sign in from this chat */
      const staff = ["officer", "supervisor"].includes(item.dataset.role);
      $("console-link").hidden = !staff;
      $("console-link").href = `/console/sign-in?persona=${encodeURIComponent(key)}`;
    }
  }
  refresh();
}

/* -- one chat --------------------------------------------------------------------------------- */

function drawEntry(entry) {
  const row = el("div", `row ${entry.side}`);
  const node = drawMessage(entry.message, (action) => tap({ seq: entry.seq }, action), (id) => `${API}/content/${id}`);
  if (entry.side === "problem") {
    row.append(node);
    return row;
  }
  const time = el("span", "time", new Date(entry.at).toLocaleTimeString("th-TH", TIME_FORMAT));
  if (entry.side === "bot") row.append(el("span", "avatar bot-avatar", "ฉก"));
  row.append(node, time);
  return row;
}

function drawEntries(entries) {
  const box = $("messages");
  const atBottom = nearBottom(box);
  for (const entry of entries) {
    box.append(drawEntry(entry));
    view.after = Math.max(view.after, entry.seq);
    view.last = entry;
  }
  if (entries.length) {
    drawQuickReplies();
    if (atBottom || entries.some((e) => e.side === "user")) box.scrollTop = box.scrollHeight;
    if (entries.some((e) => e.side === "bot")) view.soon = Math.max(view.soon, 3);  // more may follow
  }
}

/* LINE shows quick replies only under the newest message, and hides them once the person answers. */
function drawQuickReplies() {
  const bar = $("quick-replies");
  const last = view.last;
  const items = last && last.side === "bot" && last.message.quickReply ? last.message.quickReply.items || [] : [];
  bar.replaceChildren();
  for (const item of items) {
    const button = el("button", null, item.action.label || "");
    button.type = "button";
    button.addEventListener("click", () => tap({ seq: last.seq }, item.action));
    bar.append(button);
  }
  bar.hidden = !items.length;
}

/* The default rich menu under a one-to-one chat (none in the group), open at first if it says `selected`. */
function drawRichMenu(menu) {
  const shown = view.menu;
  view.menu = menu;
  $("rich-menu").hidden = !menu;
  if (!menu || (shown && shown.richMenuId === menu.richMenuId)) return;
  const image = $("rich-menu-image");
  image.style.aspectRatio = `${menu.size.width} / ${menu.size.height}`;  // its room is kept before it loads
  image.src = menu.image;
  image.alt = `เมนู: ${menu.areas.map((area) => area.action.label || "").join(" / ")}`;
  openRichMenu(menu.selected);
}

function openRichMenu(open) {
  const box = $("messages");
  const atBottom = nearBottom(box);
  $("rich-menu-image").hidden = !open;
  const bar = $("rich-menu-bar");
  bar.textContent = `${view.menu.chatBarText} ${open ? "▾" : "▴"}`;
  bar.setAttribute("aria-expanded", open);
  if (atBottom) box.scrollTop = box.scrollHeight;
}

/* A tap on the picture does what the area under it says; areas are in the picture's own pixels. */
function tapRichMenu(event) {
  const menu = view.menu;
  const box = event.currentTarget.getBoundingClientRect();
  const x = (event.clientX - box.left) * menu.size.width / box.width;
  const y = (event.clientY - box.top) * menu.size.height / box.height;
  const area = menu.areas.find(({ bounds: b }) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
  if (area) tap({ menu: menu.richMenuId }, area.action);
}

function drawRefusals(refusals) {
  if (refusals.length === view.refusals) return;
  if (refusals.length > view.refusals) toast(`LINE ปฏิเสธคำขอ: ${refusals[refusals.length - 1].message}`);
  view.refusals = refusals.length;
  $("refusals").hidden = !refusals.length;
  $("refusal-count").textContent = refusals.length;
  $("refusal-list").replaceChildren(...refusals.slice().reverse().map((r) =>
    el("li", null, `${r.status} ${r.path}: ${r.problems.join("; ")}`)));
}

async function poll() {
  view.polling = true;
  try {
    const asked = view.persona;
    const query = asked ? `persona=${encodeURIComponent(asked)}&` : "";
    const data = await api(`/state?${query}after=${view.after}`);
    if (view.persona !== asked) return;  // another chat was opened meanwhile: its own poll follows
    drawPersonas(data.personas);
    if (!view.persona) {
      const wanted = location.hash.slice(1);
      choose(data.personas.some((p) => p.key === wanted) ? wanted : data.personas[0].key);
      return;
    }
    if (data.cleared !== view.cleared) {  // the demo was reset: start this chat afresh
      view.cleared = data.cleared;
      choose(view.persona);
      return;
    }
    drawRichMenu(data.richMenu);  // first: the chat's height is then final when it scrolls to the newest
    drawEntries(data.entries);
    drawRefusals(data.rejections);
  } catch (error) {
    toast(`ติดต่อเครื่องจำลองไม่ได้: ${error.message}`);
  } finally {
    view.polling = false;
  }
}

/* Ask for news now, then keep asking; one chain of polls only (a call during a poll asks again after it). */
function refresh() {
  clearTimeout(view.timer);
  if (view.polling) {
    view.again = true;
    return;
  }
  poll().finally(() => {
    view.soon = Math.max(view.soon - 1, 0);
    const delay = view.again ? 0 : view.soon ? SOON_MS : POLL_MS;
    view.again = false;
    clearTimeout(view.timer);
    view.timer = setTimeout(refresh, delay);
  });
}

/* -- what a persona does -------------------------------------------------------------------------- */

/* Tap a button: `where` is { seq } for a message's button or quick reply, { menu } for a rich menu area. */
function tap(where, action) {
  const send = (picked) => act(postJson(`/chats/${view.persona}/tap`, { ...where, index: action._tap, picked }));
  if (action.type === "datetimepicker") return pickDate(action, send);
  if (action.type === "uri") return openLink(action.uri);
  if (action.type === "camera" || action.type === "cameraRoll") return $("photo-input").click();
  if (action.type === "location") return $("location").showModal();
  if (action._tap === undefined) return toast("ปุ่มนี้ใช้ในเครื่องจำลองไม่ได้");
  return send();
}

/* LINE opens web links in its own browser; a phone number or another app's link needs a phone. */
function openLink(uri) {
  if (/^https?:\/\//i.test(uri)) return window.open(uri, "_blank", "noopener");
  return toast(`ในโทรศัพท์จริงจะเปิด ${uri} (เครื่องจำลองไม่โทรหรือเปิดแอปอื่น)`);
}

function pickDate(action, done) {
  const mode = action.mode || "datetime";
  const input = $("picker-value");
  input.type = { date: "date", time: "time", datetime: "datetime-local" }[mode] || "datetime-local";
  input.min = action.min || "";
  input.max = action.max || "";
  input.value = action.initial || "";
  $("picker-title").textContent = action.label || "เลือกวันและเวลา";
  const dialog = $("picker");
  dialog.onclose = () => { if (dialog.returnValue === "ok" && input.value) done(input.value); };
  dialog.returnValue = "";
  dialog.showModal();
}

function sendText(event) {
  event.preventDefault();
  const text = $("text").value;
  if (!text.trim()) return;
  $("text").value = "";
  act(postJson(`/chats/${view.persona}/text`, { text }));
}

function sendPhotos() {
  const files = [...$("photo-input").files];
  if (!files.length) return;
  const form = new FormData();
  for (const file of files) form.append("photos", file);
  $("photo-input").value = "";
  act(api(`/chats/${view.persona}/photos`, { method: "POST", body: form }));
}

function sendLocation() {
  if ($("location").returnValue !== "ok") return;
  act(postJson(`/chats/${view.persona}/location`, {
    title: $("location-title").value, address: $("location-address").value,
    latitude: $("location-lat").value, longitude: $("location-lon").value }));
}

function setUp() {
  $("composer").addEventListener("submit", sendText);
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) sendText(event);
  });
  $("photo-button").addEventListener("click", () => $("photo-input").click());
  $("photo-input").addEventListener("change", sendPhotos);
  $("location-button").addEventListener("click", () => { $("location").returnValue = ""; $("location").showModal(); });
  $("location").addEventListener("close", sendLocation);
  const palette = $("sticker-palette");
  for (const [id, word] of Object.entries(STICKERS)) {
    const button = el("button");
    button.type = "button";
    button.title = `สติกเกอร์ "${word}"`;
    button.append(el("span", "sticker", word));
    button.addEventListener("click", () => {
      palette.hidden = true;
      act(postJson(`/chats/${view.persona}/sticker`, { packageId: "446", stickerId: id }));
    });
    palette.append(button);
  }
  $("sticker-button").addEventListener("click", () => { palette.hidden = !palette.hidden; });
  $("rich-menu-image").addEventListener("click", tapRichMenu);
  $("rich-menu-bar").addEventListener("click", () => openRichMenu($("rich-menu-image").hidden));
  $("reset").addEventListener("click", () => {
    if (confirm("ล้างเรื่องและแชตทั้งหมดของข้อมูลสาธิต แล้วเริ่มใหม่?")) act(postJson("/reset", {}));
  });
  refresh();
}

setUp();
