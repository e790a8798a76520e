/* The demo page: creates a session, shows its live status and events, starts the demo agent. */
(function () {
  "use strict";

  var statusEl = document.getElementById("status");
  var connectionEl = document.getElementById("connection");
  var eventsEl = document.getElementById("events");
  var emptyEl = document.getElementById("events-empty");
  var runButton = document.getElementById("run-agent");
  var sessionEl = document.getElementById("session-id");
  var logEl = document.getElementById("log");
  var logEmptyEl = document.getElementById("log-empty");
  var logTaskEl = document.getElementById("log-task");
  var taskNames = {};
  var client = null;
  var STORAGE_KEY = "status-messenger-demo-session";

  var STATE_LABELS = {
    connecting: "connecting…", reconnecting: "reconnecting…", waiting: "reconnecting…",
    ready: "live", refused: "refused", "gave-up": "offline", closed: "offline"
  };

  function showState(state) {
    connectionEl.dataset.state = state;
    connectionEl.textContent = STATE_LABELS[state] || state;
    runButton.disabled = state !== "ready";
  }

  function addEvent(eventType, data, frame) {
    var item = document.createElement("li");
    var seq = document.createElement("span");
    seq.className = "seq";
    seq.textContent = "#" + frame.seq;
    var type = document.createElement("span");
    type.className = "type";
    type.textContent = eventType;
    var body = document.createElement("span");
    body.className = "data";
    body.textContent = JSON.stringify(data);
    item.append(seq, type, body);
    eventsEl.appendChild(item);
    emptyEl.hidden = true;
  }

  /** Appends a log line, coloured by level, and follows the tail unless the reader scrolled up. */
  function addLogLine(frame) {
    var following = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 24;
    var item = document.createElement("li");
    item.className = "level-" + frame.level;
    var cells = [
      ["ts", (frame.ts || "").slice(11, 19)],
      ["level", frame.level],
      ["source", taskNames[frame.source_task] || frame.source_task.slice(0, 8)],
      ["message", frame.message]
    ];
    cells.forEach(function (cell) {
      var span = document.createElement("span");
      span.className = cell[0];
      span.textContent = cell[1];
      item.appendChild(span);
    });
    logEl.appendChild(item);
    logEmptyEl.hidden = true;
    if (following) logEl.scrollTop = logEl.scrollHeight;
  }

  function watchTask(data) {
    taskNames[data.task_id] = "trip";
    logTaskEl.textContent = data.description || data.task_id;
    while (logEl.firstChild) logEl.removeChild(logEl.firstChild);
    client.subscribe(data.task_id, 0);
  }

  function createSession() {
    var saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) {
      var parsed = JSON.parse(saved);
      if (new Date(parsed.expires_at) > new Date(Date.now() + 60000)) return Promise.resolve(parsed);
    }
    return fetch("api/v1/sessions", { method: "POST" }).then(function (response) {
      if (!response.ok) throw new Error("Could not create a session (" + response.status + ")");
      return response.json();
    }).then(function (session) {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
      return session;
    });
  }

  createSession().then(function (session) {
    sessionEl.textContent = session.session.slice(0, 8) + "…";
    sessionEl.title = session.session;
    client = StatusMessenger.connect({
      session: session.session,
      token: session.token,
      onStatus: function (text) { statusEl.textContent = text; },
      onEvent: function (eventType, data, frame) {
        if (eventType === "task_started") watchTask(data);
        if (eventType === "subtask_started") taskNames[data.task_id] = data.description;
        addEvent(eventType, data, frame);
      },
      onLog: addLogLine,
      onReset: function () { statusEl.textContent = "Some history expired; showing the latest."; },
      onStateChange: showState
    });
    runButton.addEventListener("click", function () {
      runButton.disabled = true;
      fetch("api/v1/demo/agent", { method: "POST", headers: { Authorization: "Bearer " + session.token } })
        .then(function (response) {
          if (!response.ok) statusEl.textContent = "The demo agent could not start (" + response.status + ")";
        })
        .finally(function () { runButton.disabled = connectionEl.dataset.state !== "ready"; });
    });
  }).catch(function (error) {
    statusEl.textContent = error.message;
    showState("gave-up");
  });
})();
