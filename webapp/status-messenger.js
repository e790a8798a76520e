/*
 * status-messenger JavaScript client.
 *
 *   startStatusUpdates("status", "ws://host/ws/<session>", { token })   // the latest status, as text
 *
 *   const client = StatusMessenger.connect({ session, token,
 *       onStatus: (text, frame) => …, onEvent: (type, data, frame) => …, onLog: (frame) => … });
 *
 * The client authenticates with its first message (never in the URL), resumes from the last seq it
 * saw after any drop (reconnecting with exponential backoff and jitter), unpacks batch frames, and
 * stops reconnecting on close codes that say "do not come back" (1008 policy, 1009 too big).
 * It never renders anything as HTML.
 */
(function (global) {
  "use strict";

  var CLOSE_NORMAL = 1000;
  var NO_RECONNECT = { 1008: "refused (policy)", 1009: "message too big" };

  var scriptBase = (function () {
    var script = global.document && global.document.currentScript;
    var href = script && script.src ? script.src : (global.location ? global.location.href : "");
    return href ? new URL(".", href) : null;
  })();

  /** The WebSocket URL of a session, next to where this script is served from. */
  function sessionUrl(session, base) {
    var url = new URL("ws/" + encodeURIComponent(session), base || scriptBase);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  function noop() {}

  /**
   * A connection to one session that stays connected: options are
   *   url or session (+ base), token, since, batch (default true),
   *   onStatus(text, frame), onEvent(eventType, data, frame), onLog(frame), onReady(frame),
   *   onReset(frame), onError(frame), onStateChange(state, detail),
   *   maxAttempts (default Infinity), baseDelayMs (500), maxDelayMs (15000), pingIntervalMs (25000).
   * A connection that stays silent for two ping intervals is given up for dead and replaced: a
   * half-open TCP connection (a sleeping laptop, a NAT that forgot the flow) never reports a close.
   */
  function StatusMessengerClient(options) {
    if (!(this instanceof StatusMessengerClient)) {
      return new StatusMessengerClient(options);
    }
    this.options = options || {};
    this.url = this.options.url || sessionUrl(this.options.session, this.options.base);
    this.token = this.options.token || null;
    this.lastSeq = typeof this.options.since === "number" ? this.options.since : null;
    this.batch = this.options.batch !== false;
    this.attempts = 0;
    this.state = "idle";
    this.stopped = false;
    this.socket = null;
    this.pingTimer = null;
    this.retryTimer = null;
    this.subscriptions = {};
  }

  StatusMessengerClient.prototype.connect = function () {
    this.stopped = false;
    this.open();
    return this;
  };

  StatusMessengerClient.prototype.close = function () {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket) {
      this.socket.close(CLOSE_NORMAL, "client closed");
    }
    this.setState("closed");
  };

  /** Watches a task's log on this session's socket (kept across reconnects). */
  StatusMessengerClient.prototype.subscribe = function (task, since) {
    this.subscriptions[task] = typeof since === "number" ? since : null;
    this.send({ type: "subscribe", task: task, since: this.subscriptions[task] === null ? undefined : since });
  };

  StatusMessengerClient.prototype.unsubscribe = function (task) {
    delete this.subscriptions[task];
    this.send({ type: "unsubscribe", task: task });
  };

  StatusMessengerClient.prototype.send = function (message) {
    if (this.socket && this.socket.readyState === 1 && this.state === "ready") {
      this.socket.send(JSON.stringify(message));
    }
  };

  StatusMessengerClient.prototype.setState = function (state, detail) {
    this.state = state;
    (this.options.onStateChange || noop)(state, detail);
  };

  StatusMessengerClient.prototype.open = function () {
    var self = this;
    var url = this.url;
    if (!this.token) {
      // servers with STATUS_MESSENGER_AUTH=none take the cursor and batch mode in the query
      var u = new URL(url);
      if (this.lastSeq !== null) u.searchParams.set("since", String(this.lastSeq));
      if (this.batch) u.searchParams.set("batch", "true");
      url = u.toString();
    }
    this.setState(this.attempts === 0 ? "connecting" : "reconnecting", { attempt: this.attempts });
    var socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = function () {
      if (self.token) {
        var auth = { type: "auth", token: self.token, batch: self.batch };
        if (self.lastSeq !== null) auth.since = self.lastSeq;
        socket.send(JSON.stringify(auth));
      }
    };
    socket.onmessage = function (event) {
      if (self.socket !== socket) return; // a connection given up for dead
      self.heardAt = Date.now();
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type === "batch" && Array.isArray(frame.messages)) {
        frame.messages.forEach(function (inner) { self.handle(inner); });
      } else {
        self.handle(frame);
      }
    };
    socket.onclose = function (event) {
      if (self.socket !== socket) return;
      clearInterval(self.pingTimer);
      self.socket = null;
      if (self.stopped) return;
      if (NO_RECONNECT[event.code]) {
        self.stopped = true;
        self.setState("refused", { code: event.code, reason: event.reason || NO_RECONNECT[event.code] });
        return;
      }
      self.scheduleReconnect(event.code, event.reason);
    };
  };

  StatusMessengerClient.prototype.scheduleReconnect = function (code, reason) {
    var o = this.options;
    var max = typeof o.maxAttempts === "number" ? o.maxAttempts : Infinity;
    if (this.attempts >= max) {
      this.stopped = true;
      this.setState("gave-up", { code: code, reason: reason });
      return;
    }
    var base = o.baseDelayMs || 500;
    var cap = o.maxDelayMs || 15000;
    var ceiling = Math.min(cap, base * Math.pow(2, this.attempts));
    var delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2)); // exponential, with jitter
    this.attempts++;
    this.setState("waiting", { code: code, reason: reason, delayMs: delay, attempt: this.attempts });
    var self = this;
    this.retryTimer = setTimeout(function () { self.open(); }, delay);
  };

  StatusMessengerClient.prototype.handle = function (frame) {
    var o = this.options;
    switch (frame.type) {
      case "ready":
        if (frame.task !== undefined && this.subscriptions.hasOwnProperty(frame.task)) {
          // a task subscription is live; resume from here if none was given
          if (this.subscriptions[frame.task] === null) this.subscriptions[frame.task] = frame.seq;
          (o.onSubscribed || noop)(frame);
          return;
        }
        this.attempts = 0;
        // a fresh connection starts at the stream's position; a resume keeps its cursor (the
        // server sends what was missed, or a reset)
        if (this.lastSeq === null) this.lastSeq = frame.seq;
        this.setState("ready", frame);
        this.startPing();
        for (var task in this.subscriptions) {
          this.send({ type: "subscribe", task: task, since: this.subscriptions[task] === null ? undefined : this.subscriptions[task] });
        }
        (o.onReady || noop)(frame);
        return;
      case "reset":
        if (frame.task !== undefined) {
          if (this.subscriptions.hasOwnProperty(frame.task)) this.subscriptions[frame.task] = frame.seq;
        } else {
          this.lastSeq = frame.seq;
        }
        (o.onReset || noop)(frame);
        return;
      case "status":
      case "event":
        // the server sends each message once, in order; the cursor follows the newest
        if (typeof frame.seq === "number" && (this.lastSeq === null || frame.seq > this.lastSeq)) {
          this.lastSeq = frame.seq;
        }
        if (frame.type === "status") (o.onStatus || noop)(frame.data, frame);
        else (o.onEvent || noop)(frame.event_type, frame.data, frame);
        return;
      case "log":
        // "task" is the watched log (its seq); "source_task" the (sub)task that wrote the line
        if (this.subscriptions.hasOwnProperty(frame.task) && typeof frame.seq === "number") {
          this.subscriptions[frame.task] = frame.seq;
        }
        (o.onLog || noop)(frame);
        return;
      case "error":
        (o.onError || noop)(frame);
        return;
      default:
        return; // pong and frames of later protocol versions
    }
  };

  StatusMessengerClient.prototype.startPing = function () {
    var self = this;
    var every = this.options.pingIntervalMs || 25000;
    clearInterval(this.pingTimer);
    this.heardAt = Date.now();
    this.pingTimer = setInterval(function () {
      if (Date.now() - self.heardAt <= 2 * every) {
        self.send({ type: "ping" });
        return;
      }
      // silent for two intervals: leave the connection behind (its close may never come) and resume
      var dead = self.socket;
      clearInterval(self.pingTimer);
      self.socket = null;
      try { dead.close(CLOSE_NORMAL, "no answer to ping"); } catch (e) { /* already closing */ }
      self.scheduleReconnect(1006, "no answer to ping");
    }, every);
  };

  /**
   * The original API: shows the latest status of a session in the element, as text.
   * url is the session's WebSocket URL (ws://host/ws/<session>); options may carry the token and
   * any StatusMessengerClient option. Returns the client.
   */
  function startStatusUpdates(elementId, url, options) {
    var element = global.document.getElementById(elementId);
    var opts = Object.assign({}, options || {}, { url: url });
    var onStatus = opts.onStatus || noop;
    opts.onStatus = function (text, frame) {
      if (element) element.textContent = text;
      onStatus(text, frame);
    };
    return new StatusMessengerClient(opts).connect();
  }

  global.StatusMessengerClient = StatusMessengerClient;
  global.startStatusUpdates = startStatusUpdates;
  global.StatusMessenger = {
    Client: StatusMessengerClient,
    connect: function (options) { return new StatusMessengerClient(options).connect(); },
    sessionUrl: sessionUrl,
    startStatusUpdates: startStatusUpdates
  };
})(typeof window !== "undefined" ? window : this);
