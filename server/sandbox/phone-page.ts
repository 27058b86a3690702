/**
 * The phone simulator page: one self-contained HTML document (inline CSS and vanilla JS, no build
 * step). It shows the customer's phone and, switchable or side by side, the business's WhatsApp
 * Business app on the same conversation. It talks only to the sandbox's /phone endpoints and renders
 * text with textContent.
 *
 * Accessible names are chosen so the customer view alone keeps the page's original selectors unique
 * (label "Message", button "Send", log "Chat"); the business phone is only in the DOM when shown.
 */

/** The photo picker both phones show above their composer. */
const photoSheet = `<div class="photo-sheet" hidden>
      <img class="photo-preview" alt="Photo to send" width="72" height="72">
      <div class="photo-fields">
        <label class="caption-label">Caption <input class="caption" autocomplete="off" maxlength="1024" placeholder="Optional"></label>
        <div class="photo-buttons">
          <button type="button" class="link-button shuffle">Another photo</button>
          <button type="button" class="primary send-photo">Send photo</button>
        </div>
      </div>
    </div>`;

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
<title>Phone simulator · Tandem Meta sandbox</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<div class="page">
  <aside class="panel">
    <p class="badge">Tandem Meta sandbox · phone simulator</p>
    <h1>Play a customer and the business</h1>
    <p class="lede">The customer's phone sends signed WhatsApp webhooks to ${name}; the WhatsApp Business app on the owner's phone sends echoes. Agent replies from Tandem appear on both.</p>
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
    <fieldset class="views">
      <legend>Show</legend>
      <label><input type="radio" name="view" value="customer" checked> Customer view</label>
      <label><input type="radio" name="view" value="business"> Business view</label>
      <label><input type="radio" name="view" value="both"> Both views</label>
    </fieldset>
    <p id="window-state" class="window-state"></p>
    <p id="number-state" class="number-state" role="status"></p>
    <p class="controls-link"><a href="/sandbox">Sandbox controls</a>: onboarding syncs, history choice, lifecycle events.</p>
  </aside>
  <div id="phones" class="phones"></div>
</div>

<template id="customer-phone">
  <section class="phone customer-phone" aria-label="Customer phone" data-side="customer">
    <header class="phone-header">
      <div class="avatar" aria-hidden="true">${initial}</div>
      <div>
        <h2>${name}</h2>
        <p>Business account · ${phoneNumber}</p>
      </div>
    </header>
    <div id="chat" class="chat" role="log" aria-label="Chat"></div>
    <p class="error send-error" role="alert"></p>
    ${photoSheet}
    <form id="composer" class="composer">
      <button type="button" class="attach" aria-label="Attach photo" aria-expanded="false">${cameraIcon}</button>
      <label for="message" class="visually-hidden">Message</label>
      <input id="message" class="text-input" autocomplete="off" placeholder="Message" maxlength="4096">
      <button type="submit" class="send" aria-label="Send">${sendIcon}</button>
    </form>
  </section>
</template>

<template id="business-phone">
  <section class="phone business-phone" aria-label="Business app" data-side="business">
    <header class="phone-header">
      <div class="avatar customer-initial" aria-hidden="true"></div>
      <div>
        <p class="app-name">WhatsApp Business · ${name}</p>
        <h2 class="customer-name"></h2>
        <p class="customer-number"></p>
      </div>
    </header>
    <div class="chat" role="log" aria-label="Business chat"></div>
    <p class="error send-error" role="alert"></p>
    ${photoSheet}
    <form class="composer">
      <button type="button" class="attach" aria-label="Attach photo" aria-expanded="false">${cameraIcon}</button>
      <label for="business-message" class="visually-hidden">Business message</label>
      <input id="business-message" class="text-input" autocomplete="off" placeholder="Message as the business" maxlength="4096">
      <button type="submit" class="send" aria-label="Send as business">${sendIcon}</button>
    </form>
  </section>
</template>

<dialog id="edit-dialog" class="edit-dialog" aria-labelledby="edit-title">
  <form id="edit-form" method="dialog">
    <h2 id="edit-title">Edit text</h2>
    <label for="edit-text">Edited text</label>
    <textarea id="edit-text" rows="3" maxlength="4096"></textarea>
    <p id="edit-error" class="error" role="alert"></p>
    <div class="dialog-buttons">
      <button type="button" class="secondary" id="edit-cancel">Cancel</button>
      <button type="submit" class="primary" id="edit-save">Save</button>
    </div>
  </form>
</dialog>
<script id="config" type="application/json">${config}</script>
<script>${script}</script>
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const sendIcon = `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12 3.39 13.87z"/></svg>`;
const cameraIcon = `<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 4.5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/></svg>`;

const styles = `
:root { --accent: #12806a; --accent-dark: #0f3d36; --ink: #1d2421; --muted: #5f6b66; --line: #dde3df; --biz: #1f2c33; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: linear-gradient(160deg, #eef3f0 0%, #e3ebe7 100%); min-height: 100vh; }
.page { display: flex; flex-wrap: wrap; gap: 28px; justify-content: center; align-items: flex-start; padding: 28px 16px; }
.panel { width: 320px; max-width: 100%; background: #fff; border-radius: 18px; padding: 22px; box-shadow: 0 10px 30px rgba(15, 61, 54, .08); }
.badge { display: inline-block; margin: 0 0 12px; padding: 4px 10px; border-radius: 8px; background: #fff4d6; color: #7a5400;
  font-size: 12px; font-weight: 600; }
h1 { margin: 0 0 6px; font-size: 20px; }
.lede { margin: 0 0 18px; color: var(--muted); font-size: 14px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; }
label, legend { font-size: 13px; font-weight: 600; color: var(--muted); }
select, .field input { font: inherit; font-size: 14px; padding: 9px 10px; border: 1px solid var(--line); border-radius: 10px; background: #fff; color: var(--ink); }
select:focus, input:focus, textarea:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.link-button { font: inherit; font-size: 14px; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; font-weight: 600; }
.new-customer { margin-top: 14px; padding: 14px; border: 1px solid var(--line); border-radius: 12px; background: #f8faf9; }
.primary { font: inherit; font-weight: 600; padding: 8px 14px; border: 0; border-radius: 10px; background: var(--accent); color: #fff; cursor: pointer; }
.secondary { font: inherit; font-weight: 600; padding: 8px 14px; border: 1px solid var(--line); border-radius: 10px; background: #fff; color: var(--ink); cursor: pointer; }
.error { margin: 8px 0 0; color: #b3261e; font-size: 13px; }
.error:empty { display: none; }
.views { margin: 18px 0 0; padding: 10px 12px 12px; border: 1px solid var(--line); border-radius: 12px; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.views legend { padding: 0 4px; }
.views label { display: inline-flex; align-items: center; gap: 5px; color: var(--ink); font-weight: 500; font-size: 14px; cursor: pointer; }
.window-state, .number-state { margin: 14px 0 0; padding: 10px 12px; border-radius: 10px; font-size: 13px; background: #eef6f3; color: var(--accent-dark); }
.window-state.closed { background: #f6f1ea; color: #6b4e1f; }
.number-state:empty { display: none; }
.number-state.off { background: #fdecea; color: #8c1d18; font-weight: 600; }
.controls-link { margin: 14px 0 0; font-size: 13px; color: var(--muted); }
.controls-link a { color: var(--accent); font-weight: 600; }
.phones { display: flex; flex-wrap: wrap; gap: 24px; justify-content: center; min-width: 0; max-width: 100%; }
.phone { width: 370px; max-width: 100%; height: min(760px, calc(100vh - 56px)); min-height: 520px; display: flex; flex-direction: column;
  border: 10px solid #1b211f; border-radius: 40px; overflow: hidden; background: #f4f0e9; box-shadow: 0 24px 60px rgba(15, 61, 54, .25); position: relative; }
.phone-header { display: flex; align-items: center; gap: 12px; padding: 18px 16px 12px; background: var(--accent-dark); color: #fff; }
.business-phone .phone-header { background: var(--biz); }
.phone-header h2 { margin: 0; font-size: 16px; }
.phone-header p { margin: 0; font-size: 12px; opacity: .75; }
.phone-header .app-name { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; opacity: .6; }
.avatar { width: 38px; height: 38px; flex: none; border-radius: 50%; display: grid; place-items: center; background: #2fb38f; font-weight: 700; }
.business-phone .avatar { background: #6b7c85; }
.chat { flex: 1; overflow-y: auto; padding: 12px 12px 6px; display: flex; flex-direction: column; gap: 4px;
  background-color: #f4f0e9; background-image: radial-gradient(rgba(15, 61, 54, .07) 1px, transparent 1px); background-size: 18px 18px; }
.business-phone .chat { background-color: #efeae2; }
.empty { margin: auto; max-width: 240px; text-align: center; color: var(--muted); font-size: 13px; background: rgba(255, 255, 255, .8);
  padding: 10px 14px; border-radius: 12px; }
.day { align-self: center; margin: 8px 0 4px; padding: 3px 10px; border-radius: 8px; background: rgba(255, 255, 255, .9);
  color: var(--muted); font-size: 12px; box-shadow: 0 1px 1px rgba(0, 0, 0, .05); }
.msg { max-width: 82%; padding: 6px 9px 4px; border-radius: 14px; box-shadow: 0 1px 1px rgba(0, 0, 0, .08); margin-top: 2px; }
.msg.out { align-self: flex-end; background: #d6f2e2; border-bottom-right-radius: 4px; }
.business-phone .msg.out { background: #d9fdd3; }
.msg.in { align-self: flex-start; background: #fff; border-bottom-left-radius: 4px; }
.msg .quick-replies { display: flex; flex-direction: column; gap: 4px; margin: 6px 0 2px; }
.msg .quick-replies button { font: inherit; font-size: 14px; padding: 6px; border: 0; border-top: 1px solid rgba(0, 0, 0, .08); background: none; color: var(--accent); font-weight: 600; cursor: pointer; }
.msg .reaction { display: inline-block; margin: 2px 0 0; padding: 0 6px; border-radius: 999px; background: #fff; box-shadow: 0 1px 2px rgba(0, 0, 0, .15); font-size: 14px; line-height: 20px; }
.msg .text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.template .text { font-style: italic; }
.msg.revoked .text { font-style: italic; color: var(--muted); }
/* Fixed size, so late-loading images never move the chat's scroll position. */
.msg .photo { display: block; width: 200px; height: 200px; max-width: 100%; object-fit: cover; border-radius: 10px; margin: 1px 0 4px; background: #e6e1d8; }
.gone-icon { vertical-align: -2px; margin-right: 4px; }
/* Quoted text comes from a data attribute so a message's text appears once in the page's text. */
.quote { margin: 0 0 4px; padding: 4px 8px; border-left: 3px solid var(--accent); border-radius: 6px; background: rgba(15, 61, 54, .06);
  font-size: 13px; color: var(--muted); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.quote::before { content: attr(data-quote); }
.meta { display: flex; justify-content: flex-end; align-items: center; gap: 5px; font-size: 11px; color: var(--muted); margin-top: 1px; }
.via { padding: 0 5px; border-radius: 5px; background: #e4ecf7; color: #274a78; font-weight: 600; }
.edited { font-style: italic; }
.actions { display: inline-flex; gap: 2px; margin-right: auto; }
.action { width: 22px; height: 22px; padding: 0; border: 0; border-radius: 6px; background: transparent; color: var(--muted); cursor: pointer; display: grid; place-items: center; }
.action:hover { background: rgba(0, 0, 0, .07); color: var(--ink); }
.tick { font-size: 12px; letter-spacing: -3px; padding-right: 3px; }
.tick.read { color: #1b8fd1; }
.tick.problem { color: #b3261e; letter-spacing: 0; }
.warn { margin: 3px 0 0; font-size: 11px; color: #b3261e; }
.send-error { padding: 0 14px; }
.photo-sheet { display: flex; gap: 10px; align-items: center; padding: 10px 12px; background: #fff; border-top: 1px solid var(--line); }
.photo-sheet[hidden] { display: none; }
.photo-preview { width: 72px; height: 72px; border-radius: 10px; flex: none; background: #e6e1d8; }
.photo-fields { flex: 1; display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.caption-label { display: flex; flex-direction: column; gap: 3px; }
.caption { font: inherit; font-size: 14px; font-weight: 400; color: var(--ink); padding: 7px 9px; border: 1px solid var(--line); border-radius: 9px; }
.photo-buttons { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.photo-buttons button { white-space: nowrap; font-size: 14px; }
.photo-buttons .primary { padding: 7px 12px; }
.composer { display: flex; gap: 8px; padding: 10px 12px 16px; background: #ece8e1; align-items: center; }
.composer .text-input { flex: 1; min-width: 0; font: inherit; padding: 10px 14px; border: 0; border-radius: 999px; background: #fff; color: var(--ink); }
.attach { width: 36px; height: 36px; flex: none; border: 0; border-radius: 50%; display: grid; place-items: center; background: transparent; color: var(--muted); cursor: pointer; }
.attach[aria-expanded="true"] { background: #fff; color: var(--accent); }
.send { width: 42px; height: 42px; flex: none; border: 0; border-radius: 50%; display: grid; place-items: center; background: var(--accent);
  color: #fff; cursor: pointer; }
.business-phone .send { background: #00a884; }
.send:hover, .primary:hover { filter: brightness(1.08); }
.edit-dialog { width: min(420px, calc(100vw - 32px)); border: 0; border-radius: 16px; padding: 20px; box-shadow: 0 24px 60px rgba(15, 61, 54, .3); }
.edit-dialog::backdrop { background: rgba(15, 30, 26, .35); }
.edit-dialog h2 { margin: 0 0 12px; font-size: 17px; }
.edit-dialog textarea { display: block; width: 100%; margin-top: 4px; font: inherit; padding: 9px 10px; border: 1px solid var(--line); border-radius: 10px; resize: vertical; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 14px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

// Plain browser JavaScript; kept free of template-literal syntax because it sits inside one.
const script = `
"use strict";
var config = JSON.parse(document.getElementById("config").textContent);
var dayMs = 24 * 60 * 60 * 1000;
var editWindowMs = 15 * 60 * 1000;
var deleteWindowMs = 2 * dayMs;
var icons = {
  edit: '<svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true"><path fill="currentColor" d="M3 17.25V21h3.75L17.8 9.94l-3.75-3.75L3 17.25zm17.7-10.2a1 1 0 0 0 0-1.42l-2.34-2.33a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/></svg>',
  gone: '<svg class="gone-icon" viewBox="0 0 24 24" width="15" height="15" aria-hidden="true"><path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 0 1 6.32 12.9L7.1 5.68A7.96 7.96 0 0 1 12 4zm-6.32 3.1L16.9 18.32A8 8 0 0 1 5.68 7.1z"/></svg>',
  trash: '<svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true"><path fill="currentColor" d="M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z"/></svg>'
};
var els = {
  customer: document.getElementById("customer"),
  toggle: document.getElementById("new-customer-toggle"),
  newForm: document.getElementById("new-customer"),
  newWaId: document.getElementById("new-wa-id"),
  newName: document.getElementById("new-name"),
  newError: document.getElementById("new-customer-error"),
  windowState: document.getElementById("window-state"),
  numberState: document.getElementById("number-state"),
  phones: document.getElementById("phones"),
  editDialog: document.getElementById("edit-dialog"),
  editForm: document.getElementById("edit-form"),
  editText: document.getElementById("edit-text"),
  editError: document.getElementById("edit-error"),
  editCancel: document.getElementById("edit-cancel")
};
var customers = [];
var messages = [];
var currentWaId = null;
var events = null;
var phones = {};
var editing = null;
var views = { customer: ["customer"], business: ["business"], both: ["customer", "business"] };

async function api(path, init) {
  var response = await fetch(path, Object.assign({ headers: { "content-type": "application/json" } }, init));
  var body = await response.json().catch(function () { return {}; });
  if (!response.ok) throw new Error((body.error && body.error.message) || "HTTP " + response.status);
  return body;
}

function currentCustomer() {
  return customers.find(function (c) { return c.waId === currentWaId; }) || null;
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
  renderBusinessHeader();
}

function merge(message) {
  var index = messages.findIndex(function (m) { return m.wamid === message.wamid; });
  if (index === -1) messages.push(message); else messages[index] = message;
  messages.sort(function (a, b) { return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0; });
  return index === -1;
}

function upsert(message) {
  renderChats(merge(message));
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

function tick(text, label, extra) {
  var el = document.createElement("span");
  el.className = "tick" + (extra ? " " + extra : "");
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", label);
  el.textContent = text;
  return el;
}

// The delivery of the webhook a phone-sent message produced (the customer's message, or an app echo).
function webhookTick(message) {
  var what = message.from === "customer" ? "" : "Echo ";
  if (message.webhook === "pending") return tick("◷", what + "Sending to Tandem");
  if (message.webhook === "suppressed") return tick("⊘", "Not sent to Tandem: the number was not connected", "problem");
  if (message.webhook === "acknowledged" && message.from === "customer" && message.isReadByBusiness) return tick("✓✓", "Read by the business", "read");
  if (message.webhook === "acknowledged") return tick(message.from === "customer" ? "✓" : "✓✓", what + "Acknowledged by Tandem");
  return tick("!", what + "Not acknowledged by Tandem", "problem");
}

// Meta's statuses of a message Tandem sent through the API, as the Business app shows them.
function statusTick(message) {
  if (message.status === "read") return tick("✓✓", "Read", "read");
  if (message.status === "delivered") return tick("✓✓", "Delivered");
  if (message.status === "sent") return tick("✓", "Sent");
  return tick("◷", "Accepted");
}

function warningFor(message) {
  if (message.webhook !== "retrying" && message.webhook !== "failed" && message.webhook !== "suppressed") return null;
  var warn = document.createElement("p");
  warn.className = "warn";
  if (message.webhook === "suppressed") {
    warn.textContent = "Not sent to Tandem: the number was off the Cloud API";
    return warn;
  }
  var status = message.webhookHttpStatus === null ? "unreachable" : "HTTP " + message.webhookHttpStatus;
  warn.textContent = message.webhook === "retrying"
    ? "Tandem did not acknowledge (" + status + "), retrying"
    : "Tandem never acknowledged (" + status + ")";
  return warn;
}

function actionButton(label, icon, onClick) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "action";
  button.title = label;
  button.innerHTML = icon;
  var name = document.createElement("span");
  name.className = "visually-hidden";
  name.textContent = label;
  button.append(name);
  button.addEventListener("click", onClick);
  return button;
}

function renderMessage(message, side) {
  var isOwn = message.from === side;
  var item = document.createElement("div");
  item.className = "msg " + (isOwn ? "out" : "in") + (message.type === "template" ? " template" : "") + (message.revokedAt ? " revoked" : "");
  item.dataset.wamid = message.wamid;
  item.dataset.testid = "message";
  if (message.revokedAt) {
    var gone = document.createElement("p");
    gone.className = "text";
    gone.innerHTML = icons.gone;
    gone.append(isOwn ? "You deleted this message" : "This message was deleted");
    item.append(gone);
  } else {
    if (message.replyTo) {
      var quoted = messages.find(function (m) { return m.wamid === message.replyTo; });
      var quote = document.createElement("p");
      quote.className = "quote";
      quote.dataset.quote = quoted ? (quoted.text || "Photo") : "Quoted message";
      item.append(quote);
    }
    if (message.mediaId) {
      var img = document.createElement("img");
      img.className = "photo";
      img.src = "/phone/media/" + encodeURIComponent(message.mediaId);
      img.alt = "Photo";
      img.width = 200;
      img.height = 200;
      item.append(img);
    }
    if (message.text || !message.mediaId) {
      var text = document.createElement("p");
      text.className = "text";
      text.textContent = message.text;
      item.append(text);
    }
  }
  if (side === "customer" && message.quickReplies && message.quickReplies.length && !message.revokedAt) {
    var replies = document.createElement("div");
    replies.className = "quick-replies";
    message.quickReplies.forEach(function (reply) {
      var tap = document.createElement("button");
      tap.type = "button";
      tap.textContent = reply.text;
      tap.addEventListener("click", function () {
        api("/phone/api/messages/button", { method: "POST", body: JSON.stringify({ waId: currentWaId, wamid: message.wamid, index: reply.index }) }).catch(showError);
      });
      replies.append(tap);
    });
    item.append(replies);
  }
  if (message.businessReaction && !message.revokedAt) {
    var reaction = document.createElement("span");
    reaction.className = "reaction";
    reaction.dataset.testid = "reaction";
    reaction.title = "Reaction from the business";
    reaction.textContent = message.businessReaction;
    item.append(reaction);
  }
  var meta = document.createElement("div");
  meta.className = "meta";
  var age = Date.now() - new Date(message.timestamp).getTime();
  var canChange = isOwn && !message.revokedAt && message.type !== "template" && (message.from === "customer" || message.origin === "app");
  if (canChange) {
    var actions = document.createElement("span");
    actions.className = "actions";
    if (age < editWindowMs) actions.append(actionButton("Edit message", icons.edit, function () { openEdit(message, side); }));
    if (age < deleteWindowMs) actions.append(actionButton("Delete message", icons.trash, function () { deleteMessage(message, side); }));
    if (actions.childElementCount) meta.append(actions);
  }
  if (side === "business" && message.from === "business" && message.origin === "api") {
    var via = document.createElement("span");
    via.className = "via";
    via.textContent = "Sent via API";
    via.title = "Sent by Tandem through the Cloud API; Meta mirrors it into the app";
    meta.append(via);
  }
  if (message.editedAt && !message.revokedAt) {
    var edited = document.createElement("span");
    edited.className = "edited";
    edited.textContent = "edited";
    meta.append(edited);
  }
  var time = document.createElement("time");
  time.dateTime = message.timestamp;
  time.title = new Date(message.timestamp).toLocaleString();
  time.textContent = formatTime(message.timestamp);
  meta.append(time);
  if (isOwn && !message.revokedAt) {
    if (message.from === "business" && message.origin !== "app") meta.append(statusTick(message));
    else meta.append(webhookTick(message));
  }
  item.append(meta);
  var warn = isOwn && !message.revokedAt ? warningFor(message) : null;
  if (warn) item.append(warn);
  return item;
}

function renderChat(side, isNew) {
  var chat = phones[side].chat;
  var wasAtBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  var previousScroll = chat.scrollTop;
  chat.replaceChildren();
  if (messages.length === 0) {
    var empty = document.createElement("p");
    empty.className = "empty";
    var customer = currentCustomer();
    empty.textContent = side === "customer"
      ? "No messages yet. Write to " + config.businessName + " as this customer."
      : "No messages yet. Write to " + (customer ? customer.name : "this customer") + " from the Business app.";
    chat.append(empty);
  }
  var lastDay = null;
  messages.forEach(function (message) {
    var day = formatDay(message.timestamp);
    if (day !== lastDay) {
      var chip = document.createElement("p");
      chip.className = "day";
      chip.textContent = day;
      chat.append(chip);
      lastDay = day;
    }
    chat.append(renderMessage(message, side));
  });
  chat.scrollTop = isNew || wasAtBottom ? chat.scrollHeight : previousScroll;
}

function renderChats(isNew) {
  Object.keys(phones).forEach(function (side) { renderChat(side, isNew); });
  renderWindow();
}

function renderBusinessHeader() {
  var phone = phones.business;
  if (!phone) return;
  var customer = currentCustomer();
  phone.root.querySelector(".customer-name").textContent = customer ? customer.name : "";
  phone.root.querySelector(".customer-number").textContent = customer ? "+" + customer.waId : "";
  phone.root.querySelector(".customer-initial").textContent = customer ? customer.name.replace(/^\\+/, "").charAt(0).toUpperCase() : "";
}

function renderWindow() {
  var last = messages.filter(function (m) { return m.from === "customer"; }).pop();
  var closesAt = last ? new Date(last.timestamp).getTime() + dayMs : 0;
  var isOpen = closesAt > Date.now();
  els.windowState.classList.toggle("closed", !isOpen);
  els.windowState.textContent = isOpen
    ? "24-hour window open until " + new Date(closesAt).toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" }) + ": Tandem can reply freely."
    : "No open 24-hour window: Tandem can only send templates until this customer writes. (Business app messages are not limited.)";
}

var accountTexts = {
  offboarded: "Number offboarded (ACCOUNT_OFFBOARDED): the phones work, but nothing reaches Tandem and API sends fail.",
  removed: "Number disconnected (PARTNER_REMOVED): the phones work, but nothing reaches Tandem and API sends fail.",
  uninstalled: "Tandem's app uninstalled (PARTNER_APP_UNINSTALLED): nothing reaches Tandem and its token is refused."
};

function renderAccount(account) {
  var text = accountTexts[account.status] || "";
  els.numberState.classList.toggle("off", Boolean(text));
  els.numberState.textContent = text || "Number connected to Tandem through the Cloud API.";
}

function mountPhones(view) {
  els.phones.replaceChildren();
  phones = {};
  views[view].forEach(function (side) {
    var fragment = document.getElementById(side + "-phone").content.cloneNode(true);
    var root = fragment.querySelector(".phone");
    els.phones.append(fragment);
    var phone = {
      root: root,
      chat: root.querySelector(".chat"),
      form: root.querySelector(".composer"),
      input: root.querySelector(".text-input"),
      error: root.querySelector(".send-error"),
      attach: root.querySelector(".attach"),
      sheet: root.querySelector(".photo-sheet"),
      preview: root.querySelector(".photo-preview"),
      caption: root.querySelector(".caption"),
      seed: 0
    };
    phones[side] = phone;
    wirePhone(side, phone);
  });
  renderBusinessHeader();
  renderChats(true);
}

function newSeed(phone) {
  phone.seed = Math.floor(Math.random() * 2147483647);
  phone.preview.src = "/phone/photo-preview/" + phone.seed + ".png";
}

function wirePhone(side, phone) {
  phone.form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var text = phone.input.value;
    if (!text.trim() || !currentWaId) return;
    phone.input.value = "";
    phone.error.textContent = "";
    try {
      var result = await api("/phone/api/messages", { method: "POST", body: JSON.stringify({ waId: currentWaId, text: text, side: side }) });
      if (result.message) upsert(result.message);
    } catch (error) {
      phone.input.value = text;
      phone.error.textContent = error.message;
    }
    phone.input.focus();
  });
  phone.attach.addEventListener("click", function () {
    var isOpen = phone.sheet.hidden;
    phone.sheet.hidden = !isOpen;
    phone.attach.setAttribute("aria-expanded", String(isOpen));
    if (isOpen) { newSeed(phone); phone.caption.focus(); }
  });
  phone.root.querySelector(".shuffle").addEventListener("click", function () { newSeed(phone); });
  phone.root.querySelector(".send-photo").addEventListener("click", async function () {
    if (!currentWaId) return;
    phone.error.textContent = "";
    var body = { waId: currentWaId, side: side, seed: phone.seed };
    if (phone.caption.value.trim()) body.caption = phone.caption.value;
    try {
      var result = await api("/phone/api/messages/photo", { method: "POST", body: JSON.stringify(body) });
      if (result.message) upsert(result.message);
      phone.caption.value = "";
      phone.sheet.hidden = true;
      phone.attach.setAttribute("aria-expanded", "false");
      phone.input.focus();
    } catch (error) {
      phone.error.textContent = error.message;
    }
  });
}

function openEdit(message, side) {
  editing = { wamid: message.wamid, side: side };
  document.getElementById("edit-title").textContent = message.type === "image" ? "Edit caption" : "Edit text";
  els.editText.value = message.text;
  els.editError.textContent = "";
  els.editDialog.showModal();
  els.editText.focus();
  els.editText.select();
}

els.editCancel.addEventListener("click", function () { els.editDialog.close(); });

els.editForm.addEventListener("submit", async function (event) {
  event.preventDefault();
  if (!editing || !els.editText.value.trim()) return;
  try {
    var result = await api("/phone/api/messages/edit", {
      method: "POST",
      body: JSON.stringify({ waId: currentWaId, wamid: editing.wamid, text: els.editText.value, side: editing.side })
    });
    if (result.message) upsert(result.message);
    els.editDialog.close();
  } catch (error) {
    els.editError.textContent = error.message;
  }
});

async function deleteMessage(message, side) {
  var phone = phones[side];
  phone.error.textContent = "";
  try {
    var result = await api("/phone/api/messages/delete", { method: "POST", body: JSON.stringify({ waId: currentWaId, wamid: message.wamid, side: side }) });
    if (result.message) upsert(result.message);
  } catch (error) {
    phone.error.textContent = error.message;
  }
}

async function loadThread(waId) {
  var thread = await api("/phone/api/thread?waId=" + encodeURIComponent(waId));
  if (waId !== currentWaId) return;
  thread.messages.forEach(merge);
  renderAccount(thread.account);
  renderChats(true);
}

function showError(error) {
  var phone = phones.customer || phones.business;
  if (phone) phone.error.textContent = error.message;
}

function selectCustomer(waId) {
  currentWaId = waId;
  messages = [];
  renderBusinessHeader();
  renderChats(true);
  var url = new URL(location.href);
  url.searchParams.set("waId", waId);
  history.replaceState(null, "", url);
  if (events) events.close();
  events = new EventSource("/phone/api/events?waId=" + encodeURIComponent(waId));
  // Every (re)connection refetches the thread, so nothing sent while disconnected is missed.
  events.addEventListener("open", function () { loadThread(waId).catch(showError); });
  events.addEventListener("message", function (event) { upsert(JSON.parse(event.data)); });
  events.addEventListener("customers", function (event) {
    customers = JSON.parse(event.data).customers;
    renderCustomers();
  });
  events.addEventListener("number", function (event) { renderAccount(JSON.parse(event.data).account); });
}

function chooseView(view) {
  if (!views[view]) view = "customer";
  document.querySelectorAll('input[name="view"]').forEach(function (radio) { radio.checked = radio.value === view; });
  var url = new URL(location.href);
  url.searchParams.set("view", view);
  history.replaceState(null, "", url);
  try { localStorage.setItem("tandem-sandbox-view", view); } catch (error) { /* storage may be off */ }
  mountPhones(view);
}

document.querySelectorAll('input[name="view"]').forEach(function (radio) {
  radio.addEventListener("change", function () { if (radio.checked) chooseView(radio.value); });
});

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
    var phone = phones.customer || phones.business;
    if (phone) phone.input.focus();
  } catch (error) {
    els.newError.textContent = error.message;
  }
});

// Edit and delete are only offered while WhatsApp allows them; re-render as time passes.
setInterval(function () { renderChats(false); }, 30000);

var initialView = new URL(location.href).searchParams.get("view");
if (!initialView) { try { initialView = localStorage.getItem("tandem-sandbox-view"); } catch (error) { initialView = null; } }
chooseView(initialView || "customer");

api("/phone/api/customers").then(function (body) {
  customers = body.customers;
  var wanted = new URL(location.href).searchParams.get("waId");
  var first = customers.find(function (c) { return c.waId === wanted; }) || customers[0];
  if (!first) return;
  currentWaId = first.waId;
  renderCustomers();
  selectCustomer(first.waId);
}).catch(showError);
`;
