// The Shop page: REST calls through the gateway and live order status over SignalR (/hubs/orders).
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
  let userId = 1;
  let connection = null;

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
  class ApiError extends Error {}

  async function api(method, path, body) {
    const headers = { "X-User-ID": String(userId) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(gatewayUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(`Cannot reach the gateway at ${gatewayUrl}. Is the shop running?`);
    }
    const text = await response.text();
    const data = text ? safeJson(text) : null;
    if (!response.ok) throw new ApiError(describeProblem(response, data, text));
    return { data, response };
  }

  function safeJson(text) {
    try { return JSON.parse(text); } catch { return null; }
  }

  // Problem details (RFC 7807) in plain words: the detail, else the title, else the status line.
  function describeProblem(response, problem, text) {
    const what = problem && (problem.detail || problem.title);
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

  // Click-to-final-status times, measured in the page itself (window.shopTimings), for the benchmark and tests.
  const placedAt = new Map();
  const finalAt = new Map();
  window.shopTimings = [];
  function recordTiming(id) {
    if (!placedAt.has(id) || !finalAt.has(id)) return;
    const final = finalAt.get(id);
    window.shopTimings.push({ orderId: id, status: final.status, ms: final.at - placedAt.get(id) });
    placedAt.delete(id);
    finalAt.delete(id);
  }

  async function placeOrder() {
    const amount = readAmount($("order-amount"));
    const clicked = performance.now();
    const { data } = await api("POST", "/orders/orders", { amount });
    const order = remember(data);
    placedAt.set(order.id, clicked);
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
    remember({ id: change.orderId, status: change.status, reason: change.reason ?? null, updatedAt: change.changedAt });
    render(change.orderId);
    finalAt.set(change.orderId, { status: change.status, at: performance.now() });
    recordTiming(change.orderId);
    const why = change.reason ? ` — ${describeReason(change.reason)}` : "";
    log(`Order ${shortId(change.orderId)} is ${change.status}${why}.`, "live");
    if (!known || known.amount === undefined) run(null, () => loadOrder(change.orderId));
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
    body.replaceChildren(...rows.map((order) => row(order, order.id === flashId)));
    $("orders-empty").hidden = rows.length > 0;
  }

  function row(order, flash) {
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

    tr.append(id, amount, status, created);
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
    // Browsers cannot set headers on a WebSocket, so the hub reads the user from the query.
    const hub = new signalR.HubConnectionBuilder()
      .withUrl(`${gatewayUrl}/hubs/orders?userId=${encodeURIComponent(forUser)}`)
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

  async function switchUser(next) {
    userId = next;
    orders.clear();
    render();
    showBalance(null);
    const previous = connection;
    connection = null;
    if (previous) await previous.stop();
    log(`Now acting as user ${userId}.`);
    await Promise.all([connect(), refreshBalance(true)]);
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
    await switchUser(next);
  });
  onSubmit("topup-form", "topup", topUp);
  onSubmit("order-form", "place-order", placeOrder);
  $("create-account").addEventListener("click", () => run($("create-account"), createAccount));
  $("refresh-balance").addEventListener("click", () => run($("refresh-balance"), () => refreshBalance(false)));
  $("refresh-orders").addEventListener("click", () => run($("refresh-orders"), reloadOrders));
  $("clear-log").addEventListener("click", () => $("log").replaceChildren());

  render();
  run(null, () => switchUser(Number($("user-id").value) || 1));
})();
