/**
 * The sandbox's stand-ins for Meta's front end: the Facebook JS SDK (`/sdk.js`) with `FB.init` and
 * `FB.login`, and the Embedded Signup popup it opens. The popup sends the same `WA_EMBEDDED_SIGNUP`
 * window messages as Meta's (JSON strings) to the page that opened it, and the SDK hands the code to
 * the `FB.login` callback, so Tandem's launch code is the same in demo and real mode.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation
 */

/** The SDK: FB.login opens the popup and calls back with `{ authResponse: { code } }` or `{ authResponse: null }`. */
export function renderSdkScript(sandboxOrigin: string): string {
  return `(function () {
  "use strict";
  var ORIGIN = ${JSON.stringify(sandboxOrigin)};
  var settings = { appId: "", version: "" };
  function login(callback, options) {
    options = options || {};
    var query = new URLSearchParams({
      app_id: settings.appId || "",
      version: settings.version || "",
      config_id: options.config_id || "",
      response_type: options.response_type || "",
      override_default_response_type: String(Boolean(options.override_default_response_type)),
      extras: JSON.stringify(options.extras || {}),
      origin: window.location.origin
    });
    // A fresh window name each time: reusing one would navigate a popup that is still closing.
    var popup = window.open(ORIGIN + "/embedded-signup?" + query.toString(), "sandbox-signup-" + Date.now(), "popup,width=560,height=760");
    var isDone = false;
    var timer = null;
    function done(response) {
      if (isDone) return;
      isDone = true;
      window.removeEventListener("message", onMessage);
      if (timer) clearInterval(timer);
      callback(response);
    }
    function onMessage(event) {
      if (event.origin !== ORIGIN) return;
      var data;
      try { data = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch (e) { return; }
      if (data && data.type === "SANDBOX_FB_LOGIN") done(data.response);
    }
    window.addEventListener("message", onMessage);
    if (!popup) return done({ authResponse: null, status: "unknown" });
    // Closing the popup without an answer is an abandoned login, as with Meta's SDK.
    timer = setInterval(function () {
      if (popup.closed) setTimeout(function () { done({ authResponse: null, status: "unknown" }); }, 500);
    }, 400);
  }
  window.FB = {
    init: function (options) { settings.appId = String(options.appId || ""); settings.version = String(options.version || ""); },
    login: login,
    getLoginStatus: function (callback) { callback({ status: "unknown", authResponse: null }); }
  };
  if (typeof window.fbAsyncInit === "function") setTimeout(window.fbAsyncInit, 0);
})();
`;
}

export function renderSignupPopup(input: { demoApp: { appId: string; configId: string } }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect WhatsApp Business app · Tandem Meta sandbox</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<header class="bar"><span class="mark">f</span> Embedded Signup <span class="badge">Meta sandbox</span></header>
<main class="page">
  <h1>Connect your WhatsApp Business app</h1>
  <p class="lede">You are the business owner. In real life Meta asks for your number, sends a code to the WhatsApp Business app, and asks whether to share your chats.</p>
  <p id="app-error" class="alert" role="alert" hidden></p>
  <p id="feature-warning" class="warning" hidden>This launch did not ask for the coexistence flow (<code>featureType: "whatsapp_business_app_onboarding"</code>); Meta would show the regular signup.</p>

  <form id="signup">
    <fieldset>
      <legend>Which number?</legend>
      <div id="numbers" class="choices"></div>
      <label class="choice"><input type="radio" name="number" value="new" checked> A new number</label>
      <div id="new-number" class="nested">
        <label>Phone number, country code first <input id="new-phone" inputmode="numeric" autocomplete="off" placeholder="15550101234"></label>
        <label>Business name <input id="new-name" autocomplete="off" placeholder="Acme Flowers"></label>
        <label class="inline"><input type="checkbox" id="same-waba"> In the demo business's WhatsApp Business account (same WABA)</label>
      </div>
    </fieldset>

    <fieldset>
      <legend>Share your chat history with this app?</legend>
      <label class="choice"><input type="radio" name="history" value="share" checked> Share chats from the last 6 months</label>
      <label class="choice"><input type="radio" name="history" value="decline"> Don't share chats</label>
      <label class="size">Chats to share
        <select id="history-size">
          <option value="">The demo shop's chats</option>
          <option value="500">500 generated messages</option>
          <option value="5000">5,000 generated messages</option>
          <option value="20000">20,000 generated messages</option>
        </select>
      </label>
    </fieldset>

    <div class="actions">
      <button type="submit" id="connect">Connect</button>
      <button type="button" id="cancel" class="secondary">Cancel</button>
    </div>

    <details>
      <summary>Cancel with an error</summary>
      <p class="hint">Meta sends <code>CANCEL</code> with an error code and message when the business reports a problem.</p>
      <label>Error code <input id="error-code" value="524126"></label>
      <label>Error message <input id="error-message" value="Phone number is not eligible for the WhatsApp Business app onboarding."></label>
      <button type="button" id="cancel-error" class="danger">Report the error and close</button>
    </details>
  </form>
  <p id="status" class="status" role="status"></p>
</main>
<script>
(function () {
  "use strict";
  var DEMO_APP = ${JSON.stringify(input.demoApp)};
  var params = new URLSearchParams(location.search);
  var openerOrigin = params.get("origin") || "";
  var appId = params.get("app_id") || "";
  var configId = params.get("config_id") || "";
  var extras = {};
  try { extras = JSON.parse(params.get("extras") || "{}"); } catch (e) { extras = {}; }
  var $ = function (id) { return document.getElementById(id); };
  var startedAt = Math.floor(Date.now() / 1000);
  var sessionId = Math.random().toString(16).slice(2, 17);

  if (appId !== DEMO_APP.appId || configId !== DEMO_APP.configId) {
    $("app-error").hidden = false;
    $("app-error").textContent = "This app id (" + (appId || "none") + ") or configuration id (" + (configId || "none") + ") is not registered with the sandbox.";
    $("connect").disabled = true;
  }
  if (extras.featureType !== "whatsapp_business_app_onboarding") $("feature-warning").hidden = false;

  function post(payload) {
    if (window.opener && openerOrigin) window.opener.postMessage(JSON.stringify(payload), openerOrigin);
  }
  function closeSoon(text) {
    $("status").textContent = text;
    setTimeout(function () { window.close(); }, 400);
  }
  function selectedNumber() {
    var picked = document.querySelector('input[name="number"]:checked');
    return picked ? picked.value : "new";
  }
  function showNewNumber() { $("new-number").hidden = selectedNumber() !== "new"; }

  fetch("/embedded-signup/api/numbers").then(function (r) { return r.json(); }).then(function (body) {
    body.numbers.forEach(function (n) {
      var label = document.createElement("label");
      label.className = "choice";
      var radio = document.createElement("input");
      radio.type = "radio"; radio.name = "number"; radio.value = n.phoneNumberId;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" +" + n.displayPhoneNumber + " · " + n.verifiedName + (n.account !== "connected" ? " (" + n.account + ")" : "")));
      $("numbers").appendChild(label);
    });
    document.querySelectorAll('input[name="number"]').forEach(function (r) { r.addEventListener("change", showNewNumber); });
  });

  $("signup").addEventListener("submit", function (event) {
    event.preventDefault();
    var choice = selectedNumber();
    var size = $("history-size").value;
    var body = {
      appId: appId,
      configId: configId,
      historyChoice: document.querySelector('input[name="history"]:checked').value,
      historySize: size ? Number(size) : null,
      number: choice === "new"
        ? { kind: "new", displayPhoneNumber: $("new-phone").value.replace(/\\D/g, ""), verifiedName: $("new-name").value, isInDemoWaba: $("same-waba").checked }
        : { kind: "existing", phoneNumberId: choice }
    };
    $("connect").disabled = true;
    $("status").textContent = "Connecting…";
    fetch("/embedded-signup/api/finish", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
      .then(function (result) {
        if (!result.ok) {
          $("connect").disabled = false;
          $("status").textContent = result.json.error ? result.json.error.message : "The sandbox refused this signup.";
          return;
        }
        var data = { waba_id: result.json.wabaId };
        if (result.json.phoneNumberId) data.phone_number_id = result.json.phoneNumberId;
        // Session info first, then the code: Tandem must accept them in either order.
        post({ data: data, type: "WA_EMBEDDED_SIGNUP", event: "FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING", version: 3 });
        post({ type: "SANDBOX_FB_LOGIN", response: { authResponse: { code: result.json.code, userID: "", expiresIn: 0, graphDomain: "facebook" }, status: "connected" } });
        closeSoon("Connected. This window closes by itself.");
      });
  });

  $("cancel").addEventListener("click", function () {
    post({ data: { current_step: "PHONE_NUMBER_SETUP" }, type: "WA_EMBEDDED_SIGNUP", event: "CANCEL" });
    post({ type: "SANDBOX_FB_LOGIN", response: { authResponse: null, status: "unknown" } });
    closeSoon("Cancelled.");
  });

  $("cancel-error").addEventListener("click", function () {
    // Here the login callback comes before the session message, the other order.
    post({ type: "SANDBOX_FB_LOGIN", response: { authResponse: null, status: "unknown" } });
    post({
      data: { error_message: $("error-message").value, error_code: $("error-code").value, session_id: sessionId, timestamp: String(startedAt) },
      type: "WA_EMBEDDED_SIGNUP",
      event: "CANCEL"
    });
    closeSoon("Error reported.");
  });
})();
</script>
</body>
</html>`;
}

const styles = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1e21; }
* { box-sizing: border-box; }
body { margin: 0; background: #f0f2f5; }
.bar { display: flex; align-items: center; gap: 8px; padding: 10px 16px; background: #1877f2; color: #fff; font-weight: 600; font-size: 15px; }
.mark { display: inline-flex; width: 24px; height: 24px; align-items: center; justify-content: center; border-radius: 50%; background: #fff; color: #1877f2; font-weight: 800; }
.badge { margin-left: auto; padding: 2px 8px; border-radius: 999px; background: rgba(255,255,255,.2); font-size: 12px; font-weight: 500; }
.page { max-width: 520px; margin: 0 auto; padding: 20px 16px 32px; }
h1 { margin: 0 0 6px; font-size: 20px; }
.lede { margin: 0 0 16px; color: #606770; font-size: 14px; line-height: 1.45; }
fieldset { margin: 0 0 14px; padding: 12px 14px 14px; border: 1px solid #dddfe2; border-radius: 10px; background: #fff; }
legend { padding: 0 6px; font-weight: 600; font-size: 14px; }
label { display: block; font-size: 14px; margin-top: 8px; }
label input:not([type]), label input[inputmode], label select { display: block; width: 100%; margin-top: 4px; padding: 8px 10px; border: 1px solid #ccd0d5; border-radius: 6px; font: inherit; }
.choice { display: flex; align-items: center; gap: 8px; padding: 6px 0; margin: 0; }
.inline { display: flex; align-items: flex-start; gap: 8px; }
.nested { margin: 2px 0 4px 24px; }
.size { margin-top: 12px; }
.actions { display: flex; gap: 10px; margin: 4px 0 14px; }
button { padding: 9px 18px; border: 0; border-radius: 6px; background: #1877f2; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button:disabled { opacity: .5; cursor: not-allowed; }
button.secondary { background: #e4e6eb; color: #1c1e21; }
button.danger { margin-top: 10px; background: #fa383e; }
details { padding: 10px 14px; border: 1px solid #dddfe2; border-radius: 10px; background: #fff; font-size: 14px; }
summary { cursor: pointer; font-weight: 600; }
.hint { color: #606770; margin: 8px 0 0; }
.alert { padding: 10px 12px; border-radius: 8px; background: #ffebe9; color: #8a1c12; font-size: 14px; }
.warning { padding: 10px 12px; border-radius: 8px; background: #fff4d6; color: #6b4b00; font-size: 14px; }
.status { min-height: 1.4em; color: #1c1e21; font-weight: 600; }
`;
