#!/usr/bin/env node
// status-messenger-tail: follow a task's log in a terminal, coloured by level.
//
//   node bin/status-messenger-tail.mjs <server-url> <task-id> [--key KEY | --token TOKEN]
//        [--lines N] [--level LEVEL] [--color | --no-color] [--max-retries N] [--heartbeat SECONDS]
//
// Prints the latest lines, then follows the task live over /ws/tasks/<task>. After any drop it
// reconnects by itself (exponential backoff with jitter) and resumes from the last line it
// printed, so nothing is missed or printed twice; where the server's history no longer reaches
// back, it says so. It pings the server every --heartbeat seconds (15) and replaces a connection
// that stays silent for two beats: a half-open TCP connection (a sleeping laptop, a NAT that
// forgot the flow) sends no close, so only a heartbeat can tell. The credential is a producer key or a token of the task's session; it may also
// come from STATUS_MESSENGER_KEY or STATUS_MESSENGER_TOKEN. Needs Node 20 or later.
import { spawnSync } from "node:child_process";

if (typeof WebSocket === "undefined") {
  // Node 20 ships its WebSocket client behind a flag; Node 22 and later have it on by default.
  const again = spawnSync(process.execPath, ["--experimental-websocket", "--no-warnings", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(again.status ?? 1);
}

const LEVELS = ["debug", "info", "warning", "error", "critical"];
const USAGE = "usage: status-messenger-tail <server-url> <task-id> [--key KEY | --token TOKEN] [--lines N] [--level LEVEL] [--color|--no-color] [--max-retries N] [--heartbeat SECONDS]";

function parseArgs(argv) {
  const opts = { lines: 20, level: "debug", color: process.stdout.isTTY, maxRetries: Infinity, heartbeat: 15,
    credential: process.env.STATUS_MESSENGER_KEY || process.env.STATUS_MESSENGER_TOKEN || "" };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) fail(`${a} needs a value`); return argv[++i]; };
    if (a === "--key" || a === "--token") opts.credential = value();
    else if (a === "--lines") opts.lines = Number(value());
    else if (a === "--level") opts.level = value();
    else if (a === "--max-retries") opts.maxRetries = Number(value());
    else if (a === "--heartbeat") opts.heartbeat = Number(value());
    else if (a === "--color") opts.color = true;
    else if (a === "--no-color") opts.color = false;
    else if (a === "-h" || a === "--help") { console.log(USAGE); process.exit(0); }
    else if (a.startsWith("--")) fail(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 2) fail(USAGE);
  if (!LEVELS.includes(opts.level)) fail(`--level must be one of ${LEVELS.join(", ")}`);
  if (!Number.isInteger(opts.lines) || opts.lines < 0) fail("--lines must be a whole number");
  if (!(opts.heartbeat > 0)) fail("--heartbeat must be a positive number of seconds");
  opts.base = positional[0].endsWith("/") ? positional[0] : positional[0] + "/";
  opts.task = positional[1];
  return opts;
}

function fail(message, code = 2) {
  process.stderr.write(`status-messenger-tail: ${message}\n`);
  process.exit(code);
}

const opts = parseArgs(process.argv.slice(2));
const paint = {
  debug: (s) => opts.color ? `\x1b[90m${s}\x1b[0m` : s,
  info: (s) => opts.color ? `\x1b[36m${s}\x1b[0m` : s,
  warning: (s) => opts.color ? `\x1b[33m${s}\x1b[0m` : s,
  error: (s) => opts.color ? `\x1b[31m${s}\x1b[0m` : s,
  critical: (s) => opts.color ? `\x1b[1;97;41m${s}\x1b[0m` : s,
  note: (s) => opts.color ? `\x1b[2m${s}\x1b[0m` : s,
};
const minLevel = LEVELS.indexOf(opts.level);
let cursor = null;   // seq of the last line printed (or the log's position)
let attempts = 0;
let stopping = false;
let current = null;  // the open socket, closed cleanly on Ctrl-C
process.once("SIGINT", () => {
  stopping = true;
  if (current) current.close(1000);
  process.exit(0);
});

function show(line) {
  if (typeof line.seq === "number") cursor = line.seq;
  if (LEVELS.indexOf(line.level) < minLevel) return;
  const time = (line.ts || "").slice(11, 23);
  const source = line.source_task && line.source_task !== line.task ? ` [${line.source_task.slice(0, 8)}]` : "";
  const level = line.level.toUpperCase().padEnd(8);
  const meta = line.metadata && Object.keys(line.metadata).length ? " " + JSON.stringify(line.metadata) : "";
  // the message is printed as data: control characters other than tab are made visible
  const message = String(line.message).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  process.stdout.write(`${paint.note(time)} ${paint[line.level](level)}${paint.note(source)} ${message}${paint.note(meta)}\n`);
}

function note(text) {
  process.stderr.write(paint.note(`-- ${text}`) + "\n");
}

async function history() {
  const url = new URL(`api/v1/tasks/${encodeURIComponent(opts.task)}/logs`, opts.base);
  url.searchParams.set("limit", String(Math.max(opts.lines, 1)));
  const headers = opts.credential ? { Authorization: `Bearer ${opts.credential}` } : {};
  const response = await fetch(url, { headers });
  if (response.status === 404) fail(`no such task: ${opts.task}`, 3);
  if (response.status === 401 || response.status === 403) fail("refused: pass a producer key (--key) or a token of the task's session (--token)", 3);
  if (!response.ok) throw new Error(`history answered ${response.status}`);
  const page = await response.json();
  if (opts.lines > 0) page.lines.forEach(show);
  cursor = page.seq;
}

function connect() {
  const url = new URL(`ws/tasks/${encodeURIComponent(opts.task)}`, opts.base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (!opts.credential) {
    if (cursor !== null) url.searchParams.set("since", String(cursor)); // servers with auth=none
    url.searchParams.set("batch", "true");
  }
  const socket = new WebSocket(url);
  current = socket;
  let ready = false;
  let heard = Date.now();
  const beat = setInterval(() => {
    if (Date.now() - heard > 2 * opts.heartbeat * 1000) {
      // silent for two beats: the connection is dead even if TCP never said so; leave it behind
      clearInterval(beat);
      current = null;
      try { socket.close(); } catch { /* already closing */ }
      reconnect("no answer to the heartbeat");
    } else if (ready) {
      socket.send('{"type":"ping"}');
    }
  }, opts.heartbeat * 1000);
  socket.addEventListener("open", () => {
    heard = Date.now();
    if (opts.credential) {
      const auth = { type: "auth", token: opts.credential, batch: true };
      if (cursor !== null) auth.since = cursor;
      socket.send(JSON.stringify(auth));
    }
  });
  socket.addEventListener("message", (event) => {
    if (socket !== current) return; // a connection given up for dead
    heard = Date.now();
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    for (const f of frame.type === "batch" ? frame.messages : [frame]) {
      if (f.type === "ready") {
        if (attempts > 0) note(`reconnected, resuming after line ${cursor}`);
        attempts = 0;
        ready = true;
        if (cursor === null) cursor = f.seq;
      } else if (f.type === "log") {
        show(f);
      } else if (f.type === "reset") {
        note(`the server no longer has the lines after ${cursor}; continuing from ${f.seq}`);
        cursor = f.seq;
      } else if (f.type === "error") {
        note(`server: ${f.message}`);
      }
    }
  });
  socket.addEventListener("close", (event) => {
    clearInterval(beat);
    if (stopping || socket !== current) return;
    current = null;
    if (event.code === 1008) fail(`refused by the server: ${event.reason || "policy"}`, 3);
    reconnect(`connection lost (${event.code || "no close frame"})`);
  });
  socket.addEventListener("error", () => {}); // a close event follows
}

function reconnect(why) {
  if (attempts >= opts.maxRetries) fail(`gave up after ${attempts} reconnects`, 4);
  const ceiling = Math.min(15000, 500 * 2 ** attempts);
  const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
  attempts++;
  note(`${why}; reconnecting in ${delay} ms`);
  setTimeout(connect, delay);
}

async function start() {
  for (;;) {
    try {
      await history();
      break;
    } catch (e) {
      if (attempts >= opts.maxRetries) fail(`cannot reach ${opts.base}: ${e.message}`, 4);
      const delay = Math.min(15000, 500 * 2 ** attempts++);
      note(`cannot reach the server (${e.cause?.code || e.message}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  attempts = 0;
  connect();
}

start();
