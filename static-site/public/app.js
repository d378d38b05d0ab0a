// The Shop page: REST calls through the gateway and live order status over SignalR (/hubs/orders).
// Identity follows the gateway's mode (GET /auth/mode): Header sends X-User-ID; Jwt sends a bearer token, from
// POST /auth/dev-token when the gateway offers it, or pasted (the token tool, an OpenID Connect provider).
(() => {
  "use strict";

  const config = window.SHOP_CONFIG || {};
  const gatewayUrl = String(config.gatewayUrl || `${location.protocol}//${location.hostname}:8000`).replace(/\/+$/, "");
  const finalStatuses = new Set(["PAID", "FAILED"]);
  const reasons = {
    insufficient_funds: "insufficient funds: the balance is lower than the amount",
    account_not_found: "no account: create the account first",
  };

  const $ = (id) => document.getElementById(id);
  const orders = new Map(); // order id → order, as last known
  const openTimelines = new Set(); // ids of the orders whose timeline is shown
  let userId = 1;
  let connection = null;
  let auth = { mode: "Header", devTokens: false }; // as the gateway says at start
  let token = null; // Jwt mode: the signed-in user's bearer token

  // ---- log panel -------------------------------------------------------------------------------
  function log(text, kind = "info") {
    const entry = document.createElement("div");
    entry.className = `entry ${kind}`;
    const time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    entry.append(time, document.createTextNode(text));
    $("log").append(entry);
    $("log").scrollTop = $("log").scrollHeight;
  }

  // ---- REST ----------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(message, status = 0, retryAfter = null) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter; // seconds, when the shop refused the request for now (503 + Retry-After)
    }
  }

  function identityHeaders() {
    if (auth.mode !== "Jwt") return { "X-User-ID": String(userId) };
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  async function api(method, path, body) {
    if (auth.mode === "Jwt" && !token && !path.startsWith("/auth/")) {
      throw new ApiError("Sign in first: this shop asks for a bearer token.");
    }
    const headers = path.startsWith("/auth/") ? {} : identityHeaders();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(gatewayUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(`Cannot reach the gateway at ${gatewayUrl}. Is the shop running?`);
    }
    const text = await response.text();
    const data = text ? safeJson(text) : null;
    if (!response.ok) {
      const retryAfter = response.status === 503 ? Number(response.headers.get("Retry-After")) || null : null;
      throw new ApiError(describeProblem(response, data, text), response.status, retryAfter);
    }
    return { data, response };
  }

  function safeJson(text) {
    try { return JSON.parse(text); } catch { return null; }
  }

  // Problem details (RFC 7807) in plain words: the detail, else the title, else the status line.
  function describeProblem(response, problem, text) {
    const what = problem && (problem.detail || problem.title);
    if (what && response.status === 401) return `Not signed in: ${what} (HTTP 401)`;
    if (what && response.status === 403) return `Not allowed: ${what} (HTTP 403)`;
    if (what) return `${what} (HTTP ${response.status})`;
    return `The gateway answered HTTP ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`;
  }

  async function run(button, action) {
    if (button) button.disabled = true;
    try {
      await action();
    } catch (error) {
      log(error instanceof ApiError ? error.message : `Unexpected error: ${error}`, "error");
    } finally {
      if (button) button.disabled = false;
    }
  }

  function readAmount(input) {
    const amount = Number(input.value);
    if (!Number.isInteger(amount) || amount < 1) throw new ApiError("The amount must be a whole number of at least 1.");
    return amount;
  }

  // ---- account -------------------------------------------------------------------------------
  function showBalance(account) {
    $("balance").textContent = account ? String(account.balance) : "—";
  }

  async function createAccount() {
    const { data } = await api("POST", "/payments/account");
    showBalance(data);
    log(`Account of user ${userId} is open; balance ${data.balance}.`);
  }

  async function refreshBalance(quietIfMissing) {
    try {
      const { data } = await api("GET", "/payments/account/balance");
      showBalance(data);
    } catch (error) {
      showBalance(null);
      if (!quietIfMissing) throw error;
    }
  }

  async function topUp() {
    const amount = readAmount($("topup-amount"));
    const { data } = await api("POST", "/payments/account/topup", { amount });
    showBalance(data);
    log(`Topped up ${amount}; balance ${data.balance}.`);
  }

  // ---- orders --------------------------------------------------------------------------------
  // A push can beat the POST's answer, and a stale read can follow a push: a final status is never undone.
  function remember(order) {
    const known = orders.get(order.id);
    if (known && finalStatuses.has(known.status) && !finalStatuses.has(order.status)) {
      return known;
    }
    const merged = { ...known, ...order };
    orders.set(order.id, merged);
    return merged;
  }

  // Times measured in the page itself (window.shopTimings), for the benchmark, the tests and the timeline:
  // acceptedMs = click → 201 received, ms = click → final status pushed and shown.
  const placedAt = new Map(); // order id → { at, acceptedMs } until its final status arrives
  const finalAt = new Map();
  window.shopTimings = [];
  function recordTiming(id) {
    if (!placedAt.has(id) || !finalAt.has(id)) return;
    const placed = placedAt.get(id);
    const final = finalAt.get(id);
    window.shopTimings.push({ orderId: id, status: final.status, ms: final.at - placed.at, acceptedMs: placed.acceptedMs });
    placedAt.delete(id);
    finalAt.delete(id);
  }

  // What this page measured for an order placed here (acceptedMs, and ms once pushed); null for any other order.
  function pageTiming(id) {
    return window.shopTimings.find((timing) => timing.orderId === id) || placedAt.get(id) || null;
  }

  // Orders the shop refused at capacity (503 + Retry-After): nothing was written, so they exist only here, newest first.
  const refusals = [];

  async function placeOrder() {
    const amount = readAmount($("order-amount"));
    const clicked = performance.now();
    let data;
    try {
      ({ data } = await api("POST", "/orders/orders", { amount }));
    } catch (error) {
      if (!(error instanceof ApiError) || error.retryAfter === null) throw error;
      refusals.unshift({ amount, at: new Date(), retryAfter: error.retryAfter });
      refusals.length = Math.min(refusals.length, 3);
      render();
      log(`Order for ${amount} refused: ${error.message} Nothing was charged; place it again in ${error.retryAfter} s.`, "refused");
      return;
    }
    const accepted = performance.now();
    const order = remember(data);
    placedAt.set(order.id, { at: clicked, acceptedMs: accepted - clicked });
    recordTiming(order.id);
    render();
    log(`Order ${shortId(order.id)} for ${amount} placed: ${order.status}.`);
  }

  async function reloadOrders() {
    const { data } = await api("GET", "/orders/orders?limit=50");
    const fresh = new Map(data.map((order) => [order.id, order]));
    for (const id of [...orders.keys()]) if (!fresh.has(id)) orders.delete(id);
    for (const order of data) remember(order);
    render();
  }

  async function loadOrder(id) {
    const { data } = await api("GET", `/orders/orders/${encodeURIComponent(id)}`);
    remember(data);
    render();
  }

  function onStatusChanged(change) {
    if (change.userId !== userId) return; // a push for the previous user, still in flight while switching
    const known = orders.get(change.orderId);
    const update = { id: change.orderId, status: change.status, reason: change.reason ?? null, updatedAt: change.changedAt };
    // The push does not say when Payments decided: unknown until the order is read again.
    if (!known || !finalStatuses.has(known.status)) update.paymentAt = undefined;
    const order = remember(update);
    render(change.orderId);
    finalAt.set(change.orderId, { status: change.status, at: performance.now() });
    recordTiming(change.orderId);
    if (openTimelines.has(change.orderId)) render(change.orderId);
    const why = change.reason ? ` — ${describeReason(change.reason)}` : "";
    log(`Order ${shortId(change.orderId)} is ${change.status}${why}.`, "live");
    if (!known || known.amount === undefined || (openTimelines.has(change.orderId) && lacksServerTimes(order))) {
      run(null, () => loadOrder(change.orderId));
    }
    if (change.status === "PAID") run(null, () => refreshBalance(true));
  }

  function describeReason(reason) {
    return reasons[reason] || reason.replaceAll("_", " ");
  }

  function shortId(id) {
    return String(id).slice(-8);
  }

  function render(flashId) {
    const rows = [...orders.values()].sort((a, b) => String(b.createdAt || "").localeCompare(String(a.createdAt || "")) || String(b.id).localeCompare(String(a.id)));
    const body = $("orders").tBodies[0];
    body.replaceChildren(...refusals.map(refusedRow), ...rows.flatMap((order) => {
      const open = openTimelines.has(order.id);
      const tr = row(order, order.id === flashId, open);
      return open ? [tr, timelineRow(order)] : [tr];
    }));
    $("orders-empty").hidden = rows.length + refusals.length > 0;
  }

  function refusedRow(refusal) {
    const tr = document.createElement("tr");
    tr.className = "refused";
    const id = document.createElement("td");
    id.textContent = "—";
    id.title = "not placed: the shop refused it at capacity";
    const amount = document.createElement("td");
    amount.className = "num";
    amount.textContent = String(refusal.amount);
    const status = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = "badge status-refused";
    badge.dataset.status = "REFUSED";
    badge.textContent = "REFUSED";
    const reason = document.createElement("span");
    reason.className = "reason";
    reason.textContent = `shop at capacity — not placed, try again in ${refusal.retryAfter} s`;
    status.append(badge, reason);
    const created = document.createElement("td");
    created.textContent = refusal.at.toLocaleString();
    tr.append(id, amount, status, created, document.createElement("td"));
    return tr;
  }

  function row(order, flash, open) {
    const tr = document.createElement("tr");
    tr.dataset.orderId = order.id;
    if (flash) tr.className = "flash";

    const id = document.createElement("td");
    const code = document.createElement("code");
    code.textContent = shortId(order.id);
    code.title = order.id;
    id.append(code);

    const amount = document.createElement("td");
    amount.className = "num";
    amount.textContent = order.amount === undefined ? "…" : String(order.amount);

    const status = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = `badge status-${String(order.status).toLowerCase()}`;
    badge.dataset.status = order.status;
    badge.textContent = order.status;
    status.append(badge);
    if (order.reason) {
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.dataset.reason = order.reason;
      reason.textContent = describeReason(order.reason);
      status.append(reason);
    }

    const created = document.createElement("td");
    created.textContent = order.createdAt ? new Date(order.createdAt).toLocaleString() : "";

    const more = document.createElement("td");
    more.className = "actions";
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "secondary small timeline-toggle";
    toggle.textContent = open ? "Hide timeline" : "Timeline";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.addEventListener("click", () => toggleTimeline(order.id));
    more.append(toggle);

    tr.append(id, amount, status, created, more);
    return tr;
  }

  // ---- timeline ------------------------------------------------------------------------------
  function toggleTimeline(id) {
    if (openTimelines.has(id)) {
      openTimelines.delete(id);
    } else {
      openTimelines.add(id);
      const order = orders.get(id);
      if (order && lacksServerTimes(order)) run(null, () => loadOrder(id));
    }
    render();
  }

  function lacksServerTimes(order) {
    return finalStatuses.has(order.status) && (order.paymentAt === undefined || order.createdAt === undefined);
  }

  // Server times carry up to 7 fraction digits; Date keeps milliseconds, so the rest of the fraction is added back.
  function serverMs(iso) {
    const parts = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(iso);
    if (!parts) return Date.parse(iso);
    const digits = (parts[2] || "").padEnd(3, "0");
    return Date.parse(`${parts[1]}.${digits.slice(0, 3)}${parts[3]}`) + Number(`0.${digits.slice(3) || "0"}`);
  }

  function formatMs(ms) {
    return `${Math.abs(ms) < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
  }

  // Each step: { key, label, ms or text, clock }. Steps measured by the page exist only for orders placed here.
  function timelineSteps(order) {
    const steps = [];
    const timing = pageTiming(order.id);
    const final = finalStatuses.has(order.status);
    const decided = order.status === "FAILED" ? "refused" : "charged";
    if (timing) steps.push({ key: "accepted", label: "click → accepted (201)", ms: timing.acceptedMs, clock: "page clock" });
    if (!final) {
      steps.push({ key: "payment", label: "created → charged or refused", text: "waiting for Payments…" });
    } else if (lacksServerTimes(order)) {
      steps.push({ key: "payment", label: `created → ${decided}`, text: "loading…" });
    } else if (order.paymentAt === null) {
      steps.push({ key: "final", label: "created → order final", ms: serverMs(order.updatedAt) - serverMs(order.createdAt),
        clock: "Orders clock; no payment time recorded" });
    } else {
      steps.push({ key: "payment", label: `created → ${decided}`, ms: serverMs(order.paymentAt) - serverMs(order.createdAt), clock: "server clocks" });
      steps.push({ key: "final", label: `${decided} → order final`, ms: serverMs(order.updatedAt) - serverMs(order.paymentAt), clock: "server clocks" });
    }
    if (timing) {
      const waiting = final ? "no push seen; the status was read over REST" : "waiting for the push…";
      steps.push({ key: "pushed", label: "click → status pushed here", ms: timing.ms, text: waiting, clock: "page clock" });
    }
    return steps;
  }

  function timelineRow(order) {
    const tr = document.createElement("tr");
    tr.className = "timeline-row";
    tr.dataset.timelineOf = order.id;
    const cell = document.createElement("td");
    cell.colSpan = 5;
    const list = document.createElement("ol");
    list.className = "timeline";
    for (const step of timelineSteps(order)) {
      const item = document.createElement("li");
      item.dataset.step = step.key;
      const label = document.createElement("span");
      label.className = "step";
      label.textContent = step.label;
      const figure = document.createElement("span");
      figure.className = step.ms === undefined ? "wait" : "ms";
      figure.textContent = step.ms === undefined ? step.text : formatMs(step.ms);
      item.append(label, figure);
      if (step.clock && step.ms !== undefined) {
        const clock = document.createElement("span");
        clock.className = "clock";
        clock.textContent = step.clock;
        item.append(clock);
      }
      list.append(item);
    }
    cell.append(list);
    tr.append(cell);
    return tr;
  }

  // ---- live status (SignalR) -------------------------------------------------------------------
  function setHubState(state, text) {
    const pill = $("hub-state");
    pill.className = `pill pill-${state}`;
    pill.dataset.state = state;
    pill.textContent = text;
  }

  async function connect() {
    const forUser = userId;
    const forToken = token;
    // Browsers cannot set headers on a WebSocket: Header mode names the user in the query; in Jwt mode the SignalR
    // client sends the token (as Authorization on negotiate, as ?access_token= on the WebSocket).
    const hub = new signalR.HubConnectionBuilder()
      .withUrl(auth.mode === "Jwt" ? `${gatewayUrl}/hubs/orders` : `${gatewayUrl}/hubs/orders?userId=${encodeURIComponent(forUser)}`,
        auth.mode === "Jwt" ? { accessTokenFactory: () => forToken } : {})
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    hub.on("orderStatusChanged", onStatusChanged);
    hub.onreconnecting(() => {
      setHubState("reconnecting", "reconnecting…");
      log("Live status lost; reconnecting.", "error");
    });
    hub.onreconnected(() => {
      setHubState("live", "live");
      log("Live status is back; reloading the orders so none is stale.");
      run(null, reloadOrders);
      run(null, () => refreshBalance(true));
    });
    hub.onclose(() => {
      if (connection !== hub) return;
      setHubState("offline", "offline");
      log("Live status closed; retrying in 5 s.", "error");
      setTimeout(() => { if (connection === hub) start(hub, forUser); }, 5000);
    });
    connection = hub;
    await start(hub, forUser);
  }

  async function start(hub, forUser) {
    try {
      setHubState("reconnecting", "connecting…");
      await hub.start();
      if (connection !== hub) return;
      setHubState("live", "live");
      log(`Live status on for user ${forUser}.`);
      // Whatever changed while connecting is read over REST.
      run(null, reloadOrders);
    } catch (error) {
      if (connection !== hub) return;
      setHubState("offline", "offline");
      log(`Live status unavailable (${error.message || error}); retrying in 5 s.`, "error");
      setTimeout(() => { if (connection === hub) start(hub, forUser); }, 5000);
    }
  }

  async function switchUser(next, nextToken = null) {
    userId = next;
    token = nextToken;
    orders.clear();
    openTimelines.clear();
    render();
    showBalance(null);
    const previous = connection;
    connection = null;
    if (previous) await previous.stop();
    log(auth.mode === "Jwt" ? `Signed in as user ${userId}.` : `Now acting as user ${userId}.`);
    await Promise.all([connect(), refreshBalance(true)]);
  }

  // ---- signing in (Jwt mode) -------------------------------------------------------------------
  // The user a token names: its "sub" claim. The page only reads it to label things; the gateway checks the token.
  function tokenSubject(jwt) {
    try {
      const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const claims = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "=")));
      const sub = Number(claims.sub);
      return Number.isInteger(sub) && sub > 0 ? sub : null;
    } catch {
      return null;
    }
  }

  async function signIn(next) {
    if (!auth.devTokens) {
      throw new ApiError("This gateway issues no dev tokens: paste a token (tools/Shop.Admin token --user N, or your sign-in provider's).");
    }
    const { data } = await api("POST", "/auth/dev-token", { userId: next });
    await switchUser(next, data.token);
  }

  async function useToken() {
    const pasted = $("token").value.trim().replace(/^Bearer\s+/i, "");
    if (!pasted) throw new ApiError("Paste a token first.");
    const sub = tokenSubject(pasted);
    if (sub === null) throw new ApiError("That token names no user: its sub claim must be a positive integer.");
    $("user-id").value = String(sub);
    await switchUser(sub, pasted);
    // The gateway has the last word: a refused token shows its problem here.
    await refreshBalance(false).catch((error) => {
      if (error instanceof ApiError && !/has no account/.test(error.message)) throw error;
    });
  }

  async function readAuthMode() {
    try {
      const response = await fetch(`${gatewayUrl}/auth/mode`);
      if (response.ok) auth = await response.json();
    } catch {
      log(`Cannot reach the gateway at ${gatewayUrl}. Is the shop running?`, "error");
    }
    const jwt = auth.mode === "Jwt";
    document.body.dataset.authMode = auth.mode;
    $("auth-mode").textContent = jwt ? "bearer token" : "X-User-ID";
    $("auth-mode").dataset.mode = auth.mode;
    $("use-user").textContent = jwt ? "Sign in" : "Switch user";
    $("token-form").hidden = !jwt;
    $("identity-hint").textContent = jwt
      ? (auth.devTokens
        ? "The gateway checks a bearer token. Sign in gets a dev token for this user id; or paste a token."
        : "The gateway checks a bearer token: paste one (tools/Shop.Admin token --user N, or your sign-in provider's).")
      : "Sent as the X-User-ID header; the live feed shows this user's orders only.";
  }

  async function boot() {
    await readAuthMode();
    if (auth.mode === "Jwt") {
      setHubState("offline", "signed out");
      log("This shop asks who you are: sign in to see your account and orders.");
      return;
    }
    await switchUser(Number($("user-id").value) || 1);
  }

  // ---- wiring --------------------------------------------------------------------------------
  function onSubmit(formId, buttonId, action) {
    $(formId).addEventListener("submit", (event) => {
      event.preventDefault();
      run($(buttonId), action);
    });
  }

  $("gateway-url").textContent = gatewayUrl;
  onSubmit("user-form", "use-user", async () => {
    const next = Number($("user-id").value);
    if (!Number.isInteger(next) || next < 1) throw new ApiError("The user id must be a whole number of at least 1.");
    await (auth.mode === "Jwt" ? signIn(next) : switchUser(next));
  });
  onSubmit("token-form", "use-token", useToken);
  onSubmit("topup-form", "topup", topUp);
  onSubmit("order-form", "place-order", placeOrder);
  $("create-account").addEventListener("click", () => run($("create-account"), createAccount));
  $("refresh-balance").addEventListener("click", () => run($("refresh-balance"), () => refreshBalance(false)));
  $("refresh-orders").addEventListener("click", () => run($("refresh-orders"), reloadOrders));
  $("clear-log").addEventListener("click", () => $("log").replaceChildren());

  render();
  run(null, boot);
})();
