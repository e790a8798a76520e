/*
 * The operator page: opens /ws/ops/live with a producer key (kept in sessionStorage, sent in the
 * socket's first message), and draws the node's ops snapshots as they arrive every second. Data is
 * always set as text (textContent, attributes), never parsed as HTML.
 */
(function () {
  'use strict';

  var KEY_STORAGE = 'status-messenger-ops-key';
  var SVG = 'http://www.w3.org/2000/svg';
  var TYPES = ['status', 'event', 'log'];
  var POLICY_VIOLATION = 1008;

  var socket = null;
  var retryDelay = 1000;
  var retryTimer = null;
  var samples = [];          // oldest first, one per interval, at most windowSeconds of them
  var windowSeconds = 300;
  var intervalMs = 1000;
  var last = null;           // the latest ops frame

  function $(id) { return document.getElementById(id); }

  function setState(state, text) {
    var pill = $('state');
    pill.dataset.state = state;
    pill.textContent = text || state;
  }

  /** /ctx/ops/ (or /ctx/ops/index.html) → ws(s)://host/ctx/ws/ops/live */
  function socketUrl() {
    var url = new URL('../ws/ops/live', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.hash = '';
    url.search = '';
    return url.toString();
  }

  function connect() {
    var key = sessionStorage.getItem(KEY_STORAGE);
    if (key === null) {
      showKeyForm('');
      return;
    }
    clearTimeout(retryTimer);
    setState('connecting');
    var ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: 'auth', token: key }));
    };
    ws.onmessage = function (e) {
      if (socket !== ws) { return; }
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (frame.type === 'ready') {
        retryDelay = 1000;
        setState('live');
        showDashboard();
      } else if (frame.type === 'ops') {
        setState('live');
        showDashboard();
        take(frame);
      }
      // error frames (already_authenticated where auth is off) and pongs need nothing
    };
    ws.onclose = function (e) {
      if (socket !== ws) { return; }
      socket = null;
      if (e.code === POLICY_VIOLATION) {
        sessionStorage.removeItem(KEY_STORAGE);
        setState('refused');
        showKeyForm('The server refused the key (' + (e.reason || 'policy') + ').');
        return;
      }
      setState('reconnecting');
      retryTimer = setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    };
  }

  function disconnect() {
    clearTimeout(retryTimer);
    if (socket) {
      var ws = socket;
      socket = null;
      ws.close(1000, 'operator left');
    }
  }

  function showKeyForm(error) {
    $('dashboard').hidden = true;
    $('forget').hidden = true;
    $('key-form').hidden = false;
    $('key-error').textContent = error;
    $('key').focus();
  }

  function showDashboard() {
    $('key-form').hidden = true;
    $('dashboard').hidden = false;
    $('forget').hidden = false;
  }

  /** Merges a frame's samples (by their end time, so a repeat is harmless) and redraws. */
  function take(frame) {
    last = frame;
    windowSeconds = frame.window_s || windowSeconds;
    intervalMs = frame.interval_ms || intervalMs;
    var byTime = {};
    samples.forEach(function (s) { byTime[s.t] = s; });
    (frame.samples || []).forEach(function (s) { byTime[s.t] = s; });
    var newest = Date.now();
    samples = Object.keys(byTime).map(function (t) { return byTime[t]; })
      .sort(function (a, b) { return a.t - b.t; });
    if (samples.length) { newest = samples[samples.length - 1].t; }
    samples = samples.filter(function (s) { return s.t > newest - windowSeconds * 1000; });
    render();
  }

  function sum(byType) {
    return TYPES.reduce(function (n, t) { return n + ((byType && byType[t]) || 0); }, 0);
  }

  function number(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US') : '–';
  }

  function ms(n) {
    if (typeof n !== 'number') { return '–'; }
    if (n === 0) { return '0 ms'; }
    return (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()) + ' ms';
  }

  function render() {
    var now = last.now || {};
    $('now-connections').textContent = number(now.connections);
    $('now-sessions').textContent = number(now.sessions);
    $('now-tasks').textContent = number(now.tasks);
    $('now-queue').textContent = number(now.queue_depth);
    var latest = samples[samples.length - 1];
    var perSecond = 1000 / intervalMs;
    $('rate-in').textContent = latest ? number(Math.round(sum(latest.in) * perSecond)) : '–';
    $('rate-out').textContent = latest ? number(Math.round(sum(latest.out) * perSecond)) : '–';
    var withLatency = samples.filter(function (s) { return s.latency_ms; });
    $('now-p95').textContent = withLatency.length ? ms(withLatency[withLatency.length - 1].latency_ms.p95) : '–';
    $('win-dropped').textContent = number(samples.reduce(function (n, s) { return n + (s.dropped || 0); }, 0));
    var totals = last.totals || {};
    $('total-in').textContent = number(sum(totals.in));
    $('total-out').textContent = number(sum(totals.out));
    $('total-dropped').textContent = number(totals.dropped);
    $('total-coalesced').textContent = number(totals.coalesced);
    $('total-auth').textContent = number(totals.auth_failures);

    chart($('chart-throughput'), [
      { cls: 'in', value: function (s) { return sum(s.in) * perSecond; } },
      { cls: 'out', value: function (s) { return sum(s.out) * perSecond; } }
    ], function (v) { return number(Math.round(v)); });
    chart($('chart-latency'), ['p50', 'p95', 'p99'].map(function (p) {
      return { cls: p, value: function (s) { return s.latency_ms ? s.latency_ms[p] : null; } };
    }), ms);

    var busiest = last.busiest || {};
    table($('busiest-sessions'), $('no-sessions'), busiest.sessions || [], function (s) {
      return [idCell(s.id), numCell(s.messages), numCell(s.sockets)];
    });
    table($('busiest-tasks'), $('no-tasks'), busiest.tasks || [], function (t) {
      var description = cell(t.description || '');
      description.title = t.description || '';
      description.className = 'description';
      return [idCell(t.id), description, numCell(t.lines), numCell(t.viewers)];
    });
    $('updated').textContent = 'Updated ' + new Date(latest ? latest.t : Date.now()).toLocaleTimeString()
      + ' · ' + samples.length + ' of ' + windowSeconds + ' s held';
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = String(text);
    return td;
  }

  function numCell(n) {
    var td = cell(number(n));
    td.className = 'num';
    return td;
  }

  /** Ids are shown shortened (the full id is the cell's title and data-id, for copying). */
  function idCell(id) {
    var td = cell(id.length > 14 ? id.slice(0, 12) + '…' : id);
    td.className = 'id';
    td.title = id;
    td.dataset.id = id;
    return td;
  }

  function table(el, empty, rows, cells) {
    var body = el.tBodies[0];
    body.replaceChildren.apply(body, rows.map(function (row) {
      var tr = document.createElement('tr');
      cells(row).forEach(function (td) { tr.appendChild(td); });
      return tr;
    }));
    el.hidden = rows.length === 0;
    empty.hidden = rows.length !== 0;
  }

  function svg(name, attributes) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    return el;
  }

  /** Draws one line per series over the window (gaps where a sample has no value). */
  function chart(el, series, label) {
    var width = Math.max(300, Math.round(el.clientWidth || 800));
    var height = 200;
    var left = 64;
    var bottom = height - 18;
    el.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    // the axis spans what is held (at least a minute, at most the window): a node that has just
    // started fills the chart rather than its last few pixels
    var end = samples.length ? samples[samples.length - 1].t : Date.now();
    var held = samples.length ? end - samples[0].t : 0;
    var span = Math.min(windowSeconds * 1000, Math.max(60000, held));
    var start = end - span;
    var max = 0;
    series.forEach(function (line) {
      samples.forEach(function (s) {
        var v = line.value(s);
        if (typeof v === 'number' && v > max) { max = v; }
      });
    });
    var top = niceCeiling(max);
    var nodes = [];
    [0, 0.5, 1].forEach(function (f) {
      var y = bottom - f * (bottom - 8);
      nodes.push(svg('line', { 'class': 'grid', x1: left, x2: width, y1: y, y2: y }));
      var text = svg('text', { 'class': 'axis', x: left - 6, y: y + 4, 'text-anchor': 'end' });
      text.textContent = label(top * f);
      nodes.push(text);
    });
    var spanSeconds = Math.round(span / 1000);
    var spanLabel = spanSeconds < 120 ? '-' + spanSeconds + ' s' : '-' + Math.round(spanSeconds / 60) + ' min';
    [spanLabel, 'now'].forEach(function (t, i) {
      var text = svg('text', { 'class': 'axis', x: i ? width - 2 : left, y: height - 4,
        'text-anchor': i ? 'end' : 'start' });
      text.textContent = t;
      nodes.push(text);
    });
    series.forEach(function (line) {
      var points = [];
      function flush() {
        if (points.length === 1) { // a lone sample: a short dash, so it shows
          var xy = points[0].split(',');
          points = [(+xy[0] - 2) + ',' + xy[1], (+xy[0] + 2) + ',' + xy[1]];
        }
        if (points.length) {
          nodes.push(svg('polyline', { 'class': line.cls, points: points.join(' ') }));
          points = [];
        }
      }
      samples.forEach(function (s) {
        var v = line.value(s);
        if (typeof v !== 'number') { flush(); return; }
        var x = left + (s.t - start) / (end - start) * (width - left);
        var y = bottom - (top ? v / top : 0) * (bottom - 8);
        points.push(x.toFixed(1) + ',' + y.toFixed(1));
      });
      flush();
    });
    el.replaceChildren.apply(el, nodes);
    el.dataset.max = String(max);
  }

  /** 1, 2 or 5 times a power of ten, at least the value (1 for an empty chart). */
  function niceCeiling(v) {
    if (!(v > 0)) { return 1; }
    var power = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= v) { return steps[i] * power; }
    }
    return 10 * power;
  }

  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var key = $('key').value.trim();
    if (!key) {
      $('key-error').textContent = 'Enter a producer key.';
      return;
    }
    $('key').value = '';
    sessionStorage.setItem(KEY_STORAGE, key);
    $('key-error').textContent = '';
    disconnect();
    connect();
  });

  $('forget').addEventListener('click', function () {
    sessionStorage.removeItem(KEY_STORAGE);
    disconnect();
    samples = [];
    setState('idle', 'not connected');
    showKeyForm('');
  });

  window.addEventListener('resize', function () { if (last) { render(); } });

  connect();
}());
