/**
 * The phone simulator page: one self-contained HTML document (inline CSS and vanilla JS, no build
 * step). It talks only to the sandbox's /phone/api endpoints and renders text with textContent.
 */

export function renderPhonePage(business: { businessName: string; displayPhoneNumber: string }): string {
  // `<` is escaped so no value can close the script element that carries the configuration.
  const config = JSON.stringify(business).replace(/</g, "\\u003c");
  const name = escapeHtml(business.businessName);
  const initial = escapeHtml(business.businessName.trim().charAt(0).toUpperCase() || "B");
  const phoneNumber = escapeHtml(`+${business.displayPhoneNumber}`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer phone · Tandem Meta sandbox</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<div class="page">
  <aside class="panel">
    <p class="badge">Tandem Meta sandbox · simulated customer phone</p>
    <h1>Play a customer</h1>
    <p class="lede">Messages sent here reach Tandem as signed WhatsApp webhooks to the demo number ${name}. Agent replies appear on the phone as they arrive.</p>
    <div class="field">
      <label for="customer">Customer</label>
      <select id="customer"></select>
    </div>
    <button type="button" class="link-button" id="new-customer-toggle" aria-expanded="false" aria-controls="new-customer">+ New customer</button>
    <form id="new-customer" class="new-customer" hidden>
      <div class="field">
        <label for="new-wa-id">Phone number</label>
        <input id="new-wa-id" inputmode="numeric" autocomplete="off" placeholder="4915112345678" required>
      </div>
      <div class="field">
        <label for="new-name">Name</label>
        <input id="new-name" autocomplete="off" placeholder="Profile name" required>
      </div>
      <button type="submit" class="primary">Add customer</button>
      <p id="new-customer-error" class="error" role="alert"></p>
    </form>
    <p id="window-state" class="window-state"></p>
  </aside>
  <main class="phone">
    <header class="phone-header">
      <div class="avatar" aria-hidden="true">${initial}</div>
      <div>
        <h2>${name}</h2>
        <p>Business account · ${phoneNumber}</p>
      </div>
    </header>
    <div id="chat" class="chat" role="log" aria-label="Chat"></div>
    <p id="send-error" class="error send-error" role="alert"></p>
    <form id="composer" class="composer">
      <label for="message" class="visually-hidden">Message</label>
      <input id="message" autocomplete="off" placeholder="Message" maxlength="4096">
      <button type="submit" class="send" aria-label="Send">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12 3.39 13.87z"/></svg>
      </button>
    </form>
  </main>
</div>
<script id="config" type="application/json">${config}</script>
<script>${script}</script>
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const styles = `
:root { --accent: #12806a; --accent-dark: #0f3d36; --ink: #1d2421; --muted: #5f6b66; --line: #dde3df; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: linear-gradient(160deg, #eef3f0 0%, #e3ebe7 100%); min-height: 100vh; }
.page { display: flex; flex-wrap: wrap; gap: 32px; justify-content: center; align-items: flex-start; padding: 32px 16px; }
.panel { width: 340px; max-width: 100%; background: #fff; border-radius: 18px; padding: 22px; box-shadow: 0 10px 30px rgba(15, 61, 54, .08); }
.badge { display: inline-block; margin: 0 0 12px; padding: 4px 10px; border-radius: 8px; background: #fff4d6; color: #7a5400;
  font-size: 12px; font-weight: 600; }
h1 { margin: 0 0 6px; font-size: 20px; }
.lede { margin: 0 0 18px; color: var(--muted); font-size: 14px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; }
label { font-size: 13px; font-weight: 600; color: var(--muted); }
select, .field input { font: inherit; font-size: 14px; padding: 9px 10px; border: 1px solid var(--line); border-radius: 10px; background: #fff; color: var(--ink); }
select:focus, input:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.link-button { font: inherit; font-size: 14px; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; font-weight: 600; }
.new-customer { margin-top: 14px; padding: 14px; border: 1px solid var(--line); border-radius: 12px; background: #f8faf9; }
.primary { font: inherit; font-weight: 600; padding: 8px 14px; border: 0; border-radius: 10px; background: var(--accent); color: #fff; cursor: pointer; }
.error { margin: 8px 0 0; color: #b3261e; font-size: 13px; }
.error:empty { display: none; }
.window-state { margin: 18px 0 0; padding: 10px 12px; border-radius: 10px; font-size: 13px; background: #eef6f3; color: var(--accent-dark); }
.window-state.closed { background: #f6f1ea; color: #6b4e1f; }
.phone { width: 380px; max-width: 100%; height: min(760px, calc(100vh - 64px)); min-height: 520px; display: flex; flex-direction: column;
  border: 10px solid #1b211f; border-radius: 40px; overflow: hidden; background: #f4f0e9; box-shadow: 0 24px 60px rgba(15, 61, 54, .25); }
.phone-header { display: flex; align-items: center; gap: 12px; padding: 18px 16px 12px; background: var(--accent-dark); color: #fff; }
.phone-header h2 { margin: 0; font-size: 16px; }
.phone-header p { margin: 0; font-size: 12px; opacity: .75; }
.avatar { width: 38px; height: 38px; border-radius: 50%; display: grid; place-items: center; background: #2fb38f; font-weight: 700; }
.chat { flex: 1; overflow-y: auto; padding: 12px 12px 6px; display: flex; flex-direction: column; gap: 4px;
  background-color: #f4f0e9; background-image: radial-gradient(rgba(15, 61, 54, .07) 1px, transparent 1px); background-size: 18px 18px; }
.empty { margin: auto; max-width: 240px; text-align: center; color: var(--muted); font-size: 13px; background: rgba(255, 255, 255, .8);
  padding: 10px 14px; border-radius: 12px; }
.day { align-self: center; margin: 8px 0 4px; padding: 3px 10px; border-radius: 8px; background: rgba(255, 255, 255, .9);
  color: var(--muted); font-size: 12px; box-shadow: 0 1px 1px rgba(0, 0, 0, .05); }
.msg { max-width: 80%; padding: 6px 9px 4px; border-radius: 14px; box-shadow: 0 1px 1px rgba(0, 0, 0, .08); margin-top: 2px; }
.msg.from-customer { align-self: flex-end; background: #d6f2e2; border-bottom-right-radius: 4px; }
.msg.from-business { align-self: flex-start; background: #fff; border-bottom-left-radius: 4px; }
.msg .text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.template .text { font-style: italic; }
/* Quoted text comes from a data attribute so a message's text appears once in the page's text. */
.quote { margin: 0 0 4px; padding: 4px 8px; border-left: 3px solid var(--accent); border-radius: 6px; background: rgba(15, 61, 54, .06);
  font-size: 13px; color: var(--muted); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.quote::before { content: attr(data-quote); }
.meta { display: flex; justify-content: flex-end; align-items: center; gap: 4px; font-size: 11px; color: var(--muted); margin-top: 1px; }
.tick { font-size: 12px; letter-spacing: -3px; padding-right: 3px; }
.tick.read { color: #1b8fd1; }
.tick.problem { color: #b3261e; letter-spacing: 0; }
.warn { margin: 3px 0 0; font-size: 11px; color: #b3261e; }
.send-error { padding: 0 14px; }
.composer { display: flex; gap: 8px; padding: 10px 12px 16px; background: #ece8e1; }
.composer input { flex: 1; font: inherit; padding: 10px 14px; border: 0; border-radius: 999px; background: #fff; color: var(--ink); }
.send { width: 42px; height: 42px; flex: none; border: 0; border-radius: 50%; display: grid; place-items: center; background: var(--accent);
  color: #fff; cursor: pointer; }
.send:hover, .primary:hover { filter: brightness(1.08); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

// Plain browser JavaScript; kept free of template-literal syntax because it sits inside one.
const script = `
"use strict";
var config = JSON.parse(document.getElementById("config").textContent);
var dayMs = 24 * 60 * 60 * 1000;
var els = {
  customer: document.getElementById("customer"),
  toggle: document.getElementById("new-customer-toggle"),
  newForm: document.getElementById("new-customer"),
  newWaId: document.getElementById("new-wa-id"),
  newName: document.getElementById("new-name"),
  newError: document.getElementById("new-customer-error"),
  windowState: document.getElementById("window-state"),
  chat: document.getElementById("chat"),
  composer: document.getElementById("composer"),
  message: document.getElementById("message"),
  sendError: document.getElementById("send-error")
};
var customers = [];
var messages = [];
var currentWaId = null;
var events = null;

async function api(path, init) {
  var response = await fetch(path, Object.assign({ headers: { "content-type": "application/json" } }, init));
  var body = await response.json().catch(function () { return {}; });
  if (!response.ok) throw new Error((body.error && body.error.message) || "HTTP " + response.status);
  return body;
}

function renderCustomers() {
  els.customer.replaceChildren();
  customers.forEach(function (c) {
    var option = document.createElement("option");
    option.value = c.waId;
    option.textContent = c.name + " · +" + c.waId;
    els.customer.append(option);
  });
  if (currentWaId) els.customer.value = currentWaId;
}

function merge(message) {
  var index = messages.findIndex(function (m) { return m.wamid === message.wamid; });
  if (index === -1) messages.push(message); else messages[index] = message;
  messages.sort(function (a, b) { return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0; });
  return index === -1;
}

function upsert(message) {
  renderChat(merge(message));
}

function formatTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function formatDay(iso) {
  var date = new Date(iso);
  var today = new Date();
  if (date.toDateString() === today.toDateString()) return "Today";
  if (date.toDateString() === new Date(today.getTime() - dayMs).toDateString()) return "Yesterday";
  return date.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short", year: "numeric" });
}

function tickFor(message) {
  var tick = document.createElement("span");
  tick.className = "tick";
  tick.setAttribute("role", "img");
  if (message.webhook === "pending") { tick.textContent = "◷"; tick.setAttribute("aria-label", "Sending to Tandem"); }
  else if (message.webhook === "acknowledged" && message.isReadByBusiness) { tick.textContent = "✓✓"; tick.classList.add("read"); tick.setAttribute("aria-label", "Read by the business"); }
  else if (message.webhook === "acknowledged") { tick.textContent = "✓"; tick.setAttribute("aria-label", "Acknowledged by Tandem"); }
  else { tick.textContent = "!"; tick.classList.add("problem"); tick.setAttribute("aria-label", "Not acknowledged by Tandem"); }
  return tick;
}

function warningFor(message) {
  if (message.webhook !== "retrying" && message.webhook !== "failed") return null;
  var status = message.webhookHttpStatus === null ? "unreachable" : "HTTP " + message.webhookHttpStatus;
  var warn = document.createElement("p");
  warn.className = "warn";
  warn.textContent = message.webhook === "retrying"
    ? "Tandem did not acknowledge (" + status + "), retrying"
    : "Tandem never acknowledged (" + status + ")";
  return warn;
}

function renderMessage(message) {
  var item = document.createElement("div");
  item.className = "msg from-" + message.from + (message.type === "template" ? " template" : "");
  item.dataset.wamid = message.wamid;
  if (message.replyTo) {
    var quoted = messages.find(function (m) { return m.wamid === message.replyTo; });
    var quote = document.createElement("p");
    quote.className = "quote";
    quote.dataset.quote = quoted ? quoted.text : "Quoted message";
    item.append(quote);
  }
  var text = document.createElement("p");
  text.className = "text";
  text.textContent = message.text;
  var meta = document.createElement("div");
  meta.className = "meta";
  var time = document.createElement("time");
  time.dateTime = message.timestamp;
  time.title = new Date(message.timestamp).toLocaleString();
  time.textContent = formatTime(message.timestamp);
  meta.append(time);
  if (message.from === "customer") meta.append(tickFor(message));
  item.append(text, meta);
  var warn = message.from === "customer" ? warningFor(message) : null;
  if (warn) item.append(warn);
  return item;
}

function renderChat(isNew) {
  var wasAtBottom = els.chat.scrollHeight - els.chat.scrollTop - els.chat.clientHeight < 40;
  els.chat.replaceChildren();
  if (messages.length === 0) {
    var empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = "No messages yet. Write to " + config.businessName + " as this customer.";
    els.chat.append(empty);
  }
  var lastDay = null;
  messages.forEach(function (message) {
    var day = formatDay(message.timestamp);
    if (day !== lastDay) {
      var chip = document.createElement("p");
      chip.className = "day";
      chip.textContent = day;
      els.chat.append(chip);
      lastDay = day;
    }
    els.chat.append(renderMessage(message));
  });
  if (isNew || wasAtBottom) els.chat.scrollTop = els.chat.scrollHeight;
  renderWindow();
}

function renderWindow() {
  var last = messages.filter(function (m) { return m.from === "customer"; }).pop();
  var closesAt = last ? new Date(last.timestamp).getTime() + dayMs : 0;
  var isOpen = closesAt > Date.now();
  els.windowState.classList.toggle("closed", !isOpen);
  els.windowState.textContent = isOpen
    ? "24-hour window open until " + new Date(closesAt).toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" }) + ": the business can reply freely."
    : "No open 24-hour window: the business can only send templates until this customer writes.";
}

async function loadThread(waId) {
  var thread = await api("/phone/api/thread?waId=" + encodeURIComponent(waId));
  if (waId !== currentWaId) return;
  thread.messages.forEach(merge);
  renderChat(true);
}

function selectCustomer(waId) {
  currentWaId = waId;
  messages = [];
  renderChat(true);
  var url = new URL(location.href);
  url.searchParams.set("waId", waId);
  history.replaceState(null, "", url);
  if (events) events.close();
  events = new EventSource("/phone/api/events?waId=" + encodeURIComponent(waId));
  // Every (re)connection refetches the thread, so nothing sent while disconnected is missed.
  events.addEventListener("open", function () { loadThread(waId).catch(showSendError); });
  events.addEventListener("message", function (event) { upsert(JSON.parse(event.data)); });
  events.addEventListener("customers", function (event) {
    customers = JSON.parse(event.data).customers;
    renderCustomers();
  });
}

function showSendError(error) {
  els.sendError.textContent = error.message;
}

els.customer.addEventListener("change", function () { selectCustomer(els.customer.value); });

els.toggle.addEventListener("click", function () {
  var isOpen = els.newForm.hidden;
  els.newForm.hidden = !isOpen;
  els.toggle.setAttribute("aria-expanded", String(isOpen));
  if (isOpen) els.newWaId.focus();
});

els.newForm.addEventListener("submit", async function (event) {
  event.preventDefault();
  els.newError.textContent = "";
  try {
    var waId = els.newWaId.value.replace(/[\\s+()-]/g, "");
    var body = await api("/phone/api/customers", { method: "POST", body: JSON.stringify({ waId: waId, name: els.newName.value }) });
    if (!customers.some(function (c) { return c.waId === body.customer.waId; })) customers.push(body.customer);
    currentWaId = body.customer.waId;
    renderCustomers();
    selectCustomer(body.customer.waId);
    els.newForm.reset();
    els.newForm.hidden = true;
    els.toggle.setAttribute("aria-expanded", "false");
    els.message.focus();
  } catch (error) {
    els.newError.textContent = error.message;
  }
});

els.composer.addEventListener("submit", async function (event) {
  event.preventDefault();
  var text = els.message.value;
  if (!text.trim() || !currentWaId) return;
  els.message.value = "";
  els.sendError.textContent = "";
  try {
    var result = await api("/phone/api/messages", { method: "POST", body: JSON.stringify({ waId: currentWaId, text: text }) });
    if (result.message) upsert(result.message);
  } catch (error) {
    els.message.value = text;
    showSendError(error);
  }
  els.message.focus();
});

setInterval(renderWindow, 30000);

api("/phone/api/customers").then(function (body) {
  customers = body.customers;
  var wanted = new URL(location.href).searchParams.get("waId");
  var first = customers.find(function (c) { return c.waId === wanted; }) || customers[0];
  if (!first) return;
  currentWaId = first.waId;
  renderCustomers();
  selectCustomer(first.waId);
}).catch(showSendError);
`;
