/**
 * The sandbox control page (`/sandbox`): the demo number's coexistence state, the onboarding syncs
 * (run now, or watch the ones Tandem requested), the business's history choice, lifecycle events and
 * a reset. Self-contained HTML with vanilla JS that polls `/sandbox/api/state`.
 */

const reasonLabels: Record<string, string> = {
  ACCOUNT_DISCONNECTED: "ACCOUNT_DISCONNECTED (enforcement or account deleted)",
  BUSINESS_DOWNGRADE: "BUSINESS_DOWNGRADE (number moved to the consumer app)",
  CHANGE_NUMBER: "CHANGE_NUMBER",
  COMPANION_INACTIVITY: "COMPANION_INACTIVITY (~30 days)",
  PRIMARY_INACTIVITY: "PRIMARY_INACTIVITY (phone inactive ~14 days)",
  USER_RE_REGISTERED: "USER_RE_REGISTERED",
};

const eventHelp: Record<string, string> = {
  PARTNER_REMOVED:
    "The business tapped Disconnect Account in the app, or WhatsApp disconnected it. Sends fail with 133010; no webhooks.",
  ACCOUNT_OFFBOARDED: "The business changed device or re-registered. Cloud API suspended: sends fail with 133010; no webhooks.",
  ACCOUNT_RECONNECTED: "Automatic re-onboarding finished. Sends and webhooks resume.",
  PARTNER_APP_UNINSTALLED: "The business revoked Tandem's app. The token is refused (190/458); no webhooks.",
  PARTNER_APP_INSTALLED: "The business granted Tandem's app access (again). Connected.",
  PARTNER_ADDED: "The WABA was shared with the partner (Embedded Signup finished). Connected.",
};

export function renderControlPage(input: {
  businessName: string;
  displayPhoneNumber: string;
  lifecycleEvents: readonly string[];
  disconnectionReasons: readonly string[];
}): string {
  const name = escapeHtml(input.businessName);
  const reasons = input.disconnectionReasons
    .map((r) => `<option value="${escapeHtml(r)}">${escapeHtml(reasonLabels[r] ?? r)}</option>`)
    .join("");
  const rows = input.lifecycleEvents
    .map((event) => {
      const extra =
        event === "PARTNER_REMOVED"
          ? `<div class="event-options">
          <label>Disconnection reason <select id="reason">${reasons}</select></label>
          <label>Initiated by <select id="initiated-by"><option value="USER">USER</option><option value="SYSTEM">SYSTEM</option></select></label>
        </div>`
          : "";
      return `<li class="event">
        <div class="event-text"><code>${escapeHtml(event)}</code><p>${escapeHtml(eventHelp[event] ?? "")}</p>${extra}</div>
        <button type="button" class="secondary" data-event="${escapeHtml(event)}">Send ${escapeHtml(event)}</button>
      </li>`;
    })
    .join("");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox controls · Tandem Meta sandbox</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<main class="page">
  <header class="top">
    <div>
      <p class="badge">Tandem Meta sandbox</p>
      <h1>Sandbox controls</h1>
      <p class="lede">What Meta and the business do outside Tandem's reach: onboarding syncs, the history choice, lifecycle events.</p>
    </div>
    <a class="back" href="/phone">Phone simulator</a>
  </header>
  <p id="notice" class="notice" role="status"></p>

  <section class="card" aria-labelledby="number-title">
    <h2 id="number-title">Demo number</h2>
    <dl class="facts">
      <div><dt>Business</dt><dd>${name}</dd></div>
      <div><dt>Number</dt><dd>+${escapeHtml(input.displayPhoneNumber)}</dd></div>
      <div><dt>Phone number id</dt><dd id="phone-number-id"></dd></div>
      <div><dt>WABA id</dt><dd id="waba-id"></dd></div>
      <div><dt>Onboarded in the sandbox</dt><dd id="onboarded-at"></dd></div>
      <div><dt>Sync window (24 h)</dt><dd id="sync-window"></dd></div>
      <div><dt>Cloud API</dt><dd><span id="account-status" class="chip"></span> <span id="last-event" class="last-event"></span></dd></div>
    </dl>
    <div class="reset">
      <button type="button" class="secondary" id="reset">Reset sandbox</button>
      <p>Re-onboards the number now: both syncs can run again (Meta's one-shot flags cleared), the 24-hour sync window restarts, the number is connected.</p>
    </div>
  </section>

  <section class="card" aria-labelledby="sync-title">
    <h2 id="sync-title">Onboarding syncs</h2>
    <p class="hint">Tandem asks with <code>POST /{phone_number_id}/smb_app_data</code>, once per kind, within 24 hours of onboarding. Running one here counts as that one call: Tandem's later request then gets 2593107, as with Meta.</p>
    <fieldset class="choice">
      <legend>When asked for its chat history, the business</legend>
      <label><input type="radio" name="history-choice" value="share"> Shares history</label>
      <label><input type="radio" name="history-choice" value="decline"> Declines history sharing</label>
    </fieldset>
    <div class="syncs">
      <div class="sync">
        <h3>Contacts</h3>
        <p id="contacts-status" class="sync-status"></p>
        <button type="button" class="primary" id="run-contacts">Run contacts sync</button>
      </div>
      <div class="sync">
        <h3>History</h3>
        <p id="history-status" class="sync-status"></p>
        <progress id="history-progress" max="100" value="0" aria-label="History sync progress"></progress>
        <button type="button" class="primary" id="run-history">Run history sync</button>
      </div>
    </div>
  </section>

  <section class="card" aria-labelledby="lifecycle-title">
    <h2 id="lifecycle-title">Lifecycle events</h2>
    <p class="hint">Signed <code>account_update</code> webhooks, routed by WABA id (<code>entry[].id</code>) with <code>entry[].time</code> and no metadata.</p>
    <ul class="events">${rows}</ul>
  </section>

  <section class="card" aria-labelledby="webhooks-title">
    <h2 id="webhooks-title">Recent webhooks</h2>
    <table class="webhooks">
      <thead><tr><th scope="col">Time</th><th scope="col">Field</th><th scope="col">What</th><th scope="col">Tandem</th></tr></thead>
      <tbody id="webhook-rows"></tbody>
    </table>
  </section>
</main>
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
.page { max-width: 960px; margin: 0 auto; padding: 28px 16px 48px; display: flex; flex-direction: column; gap: 18px; }
.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; }
.badge { display: inline-block; margin: 0 0 8px; padding: 4px 10px; border-radius: 8px; background: #fff4d6; color: #7a5400; font-size: 12px; font-weight: 600; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 0 0 6px; font-size: 15px; }
.lede, .hint { margin: 0; color: var(--muted); font-size: 14px; }
.hint { margin-bottom: 12px; }
.back { font-weight: 600; color: var(--accent); white-space: nowrap; padding-top: 28px; }
.card { background: #fff; border-radius: 16px; padding: 20px 22px; box-shadow: 0 10px 30px rgba(15, 61, 54, .08); }
code { font: 13px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; background: #f1f4f2; padding: 1px 5px; border-radius: 5px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 18px; margin: 0; }
.facts div { display: flex; flex-direction: column; }
dt { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
dd { margin: 0; }
.chip { display: inline-block; padding: 3px 10px; border-radius: 8px; font-size: 13px; font-weight: 600; background: #e3f4ec; color: #0f5a45; }
.chip.off { background: #fdecea; color: #8c1d18; }
.last-event { display: block; margin-top: 3px; font-size: 12px; color: var(--muted); }
.reset { display: flex; align-items: center; gap: 14px; margin-top: 16px; padding-top: 14px; border-top: 1px solid var(--line); }
.reset p { margin: 0; font-size: 13px; color: var(--muted); }
.primary, .secondary { font: inherit; font-weight: 600; padding: 8px 14px; border-radius: 10px; cursor: pointer; white-space: nowrap; }
.primary { border: 0; background: var(--accent); color: #fff; }
.secondary { border: 1px solid var(--line); background: #fff; color: var(--ink); }
.primary:disabled { background: #9fb8b0; cursor: not-allowed; }
.primary:hover:not(:disabled), .secondary:hover { filter: brightness(0.97); }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.choice { border: 1px solid var(--line); border-radius: 12px; padding: 8px 14px 12px; margin: 0 0 14px; display: flex; gap: 22px; flex-wrap: wrap; }
legend { font-size: 13px; font-weight: 600; color: var(--muted); padding: 0 4px; }
.choice label { display: inline-flex; gap: 6px; align-items: center; cursor: pointer; }
.syncs { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.sync { border: 1px solid var(--line); border-radius: 12px; padding: 14px; display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
.sync-status { margin: 0; font-size: 13px; color: var(--muted); min-height: 38px; }
progress { width: 100%; height: 10px; accent-color: var(--accent); }
.events { list-style: none; margin: 0; padding: 0; }
.event { display: flex; justify-content: space-between; align-items: center; gap: 16px; padding: 10px 0; border-top: 1px solid var(--line); }
.event:first-child { border-top: 0; }
.event p { margin: 2px 0 0; font-size: 13px; color: var(--muted); }
.event-options { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 8px; }
.event-options label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: var(--muted); }
select { font: inherit; font-size: 13px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--ink); }
.notice { margin: 0; padding: 10px 14px; border-radius: 10px; background: #e3f4ec; color: #0f5a45; font-size: 14px; }
.notice.bad { background: #fdecea; color: #8c1d18; }
.notice:empty { display: none; }
.webhooks { width: 100%; border-collapse: collapse; font-size: 13px; }
.webhooks th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 6px 8px; }
.webhooks td { padding: 5px 8px; border-bottom: 1px solid #eef1ef; vertical-align: top; }
.webhooks td:first-child { white-space: nowrap; color: var(--muted); }
.state-failed, .state-retrying { color: #b3261e; font-weight: 600; }
.state-pending { color: var(--muted); }
@media (max-width: 720px) { .syncs { grid-template-columns: 1fr; } .event { flex-direction: column; align-items: flex-start; } }
`;

// Plain browser JavaScript; kept free of template-literal syntax because it sits inside one.
const script = `
"use strict";
var $ = function (id) { return document.getElementById(id); };
var latest = null;
var accountTexts = {
  connected: "Connected",
  offboarded: "Offboarded: sends refused (133010)",
  removed: "Disconnected by the business: sends refused (133010)",
  uninstalled: "App uninstalled: token refused (190)"
};

async function api(path, init) {
  var response = await fetch(path, Object.assign({ headers: { "content-type": "application/json" } }, init));
  var body = await response.json().catch(function () { return {}; });
  if (!response.ok) throw new Error((body.error && body.error.message) || "HTTP " + response.status);
  return body;
}

function notify(text, isBad) {
  $("notice").textContent = text;
  $("notice").classList.toggle("bad", Boolean(isBad));
}

function when(iso) {
  return new Date(iso).toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function describeSync(record, kind) {
  if (!record) return "Not requested since onboarding.";
  var who = record.via === "graph" ? "Tandem (smb_app_data)" : "this page";
  var text = "Requested " + when(record.requestedAt) + " by " + who;
  if (kind === "history") text += ", business " + (record.choice === "decline" ? "declined" : "shared");
  text += ". " + record.webhooksSent + " of " + record.webhooksTotal + " webhooks sent";
  if (record.progress !== null) text += ", progress " + record.progress + "%";
  text += record.finishedAt ? ", done." : "…";
  return text;
}

function render(state) {
  latest = state;
  var number = state.number;
  $("phone-number-id").textContent = number.phoneNumberId;
  $("waba-id").textContent = number.wabaId;
  $("onboarded-at").textContent = when(number.onboardedAt);
  $("sync-window").textContent = (number.isSyncWindowOpen ? "Open until " : "Closed since ") + when(number.syncWindowEndsAt);
  var status = $("account-status");
  status.textContent = accountTexts[number.account.status];
  $("last-event").textContent = number.account.lastEvent ? "Last event: " + number.account.lastEvent + ", " + when(number.account.lastEventAt) : "";
  status.classList.toggle("off", number.account.status !== "connected");
  document.querySelectorAll('input[name="history-choice"]').forEach(function (radio) { radio.checked = radio.value === state.historyChoice; });
  $("contacts-status").textContent = describeSync(state.syncs.contacts, "contacts");
  $("history-status").textContent = describeSync(state.syncs.history, "history");
  var history = state.syncs.history;
  $("history-progress").value = history ? (history.progress || (history.finishedAt ? 100 : 0)) : 0;
  $("run-contacts").disabled = Boolean(state.syncs.contacts);
  $("run-history").disabled = Boolean(state.syncs.history);
  var rows = $("webhook-rows");
  rows.replaceChildren();
  state.webhooks.forEach(function (entry) {
    var tr = document.createElement("tr");
    var result = entry.state === "acknowledged" ? "200 OK" : entry.state + (entry.httpStatus ? " (HTTP " + entry.httpStatus + ")" : "");
    [new Date(entry.at).toLocaleTimeString(), entry.field, entry.summary, result].forEach(function (value, index) {
      var td = document.createElement("td");
      td.textContent = value;
      if (index === 3) td.className = "state-" + entry.state;
      tr.append(td);
    });
    rows.append(tr);
  });
  if (state.webhooks.length === 0) {
    var empty = document.createElement("tr");
    var td = document.createElement("td");
    td.colSpan = 4;
    td.textContent = "No webhooks sent yet.";
    empty.append(td);
    rows.append(empty);
  }
}

async function refresh() {
  try { render(await api("/sandbox/api/state")); } catch (error) { notify(error.message, true); }
}

async function runSync(kind) {
  var body = { kind: kind };
  if (kind === "history") body.choice = latest ? latest.historyChoice : "share";
  try {
    var result = await api("/sandbox/api/sync", { method: "POST", body: JSON.stringify(body) });
    notify((kind === "history" ? "History" : "Contacts") + " sync started (request_id " + result.requestId + ").");
  } catch (error) {
    notify(error.message, true);
  }
  refresh();
}

$("run-contacts").addEventListener("click", function () { runSync("contacts"); });
$("run-history").addEventListener("click", function () { runSync("history"); });

document.querySelectorAll('input[name="history-choice"]').forEach(function (radio) {
  radio.addEventListener("change", async function () {
    try {
      await api("/sandbox/api/history-choice", { method: "POST", body: JSON.stringify({ choice: radio.value }) });
      notify(radio.value === "share" ? "The business will share its history." : "The business will decline history sharing (2593109).");
    } catch (error) { notify(error.message, true); }
    refresh();
  });
});

document.querySelectorAll("button[data-event]").forEach(function (button) {
  button.addEventListener("click", async function () {
    var body = { event: button.dataset.event };
    if (body.event === "PARTNER_REMOVED") {
      body.reason = $("reason").value;
      body.initiatedBy = $("initiated-by").value;
    }
    try {
      var result = await api("/sandbox/api/lifecycle", { method: "POST", body: JSON.stringify(body) });
      notify(body.event + " sent: " + (result.delivered ? "Tandem answered 200." : "Tandem did not acknowledge (" + (result.status === null ? "unreachable" : "HTTP " + result.status) + "); retrying."), !result.delivered);
    } catch (error) { notify(error.message, true); }
    refresh();
  });
});

$("reset").addEventListener("click", async function () {
  try {
    render(await api("/sandbox/api/reset", { method: "POST", body: "{}" }));
    notify("Sandbox reset: the number is freshly onboarded; both syncs can run again.");
  } catch (error) { notify(error.message, true); }
});

refresh();
setInterval(refresh, 1000);
`;
