// The Node `ws` peer of the benchmark: the same endpoint shape as the product (/ws/{session}, an
// auth message answered by ready, one ~200-byte JSON text frame per message) and the same control
// socket and paced in-process producer as the product's bench build (bench/run.sh starts it).
import { WebSocketServer } from 'ws';
import http from 'node:http';

const port = Number(process.argv[2]);
const PAD = 'x'.repeat(64);
const sockets = new Map();
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (req.url === '/bench/control') {
      ws.on('message', (data) => control(ws, String(data)));
      return;
    }
    const session = decodeURIComponent(req.url.slice('/ws/'.length));
    ws.on('message', (data) => {
      if (String(data).includes('"auth"')) {
        sockets.set(session, ws);
        ws.send(`{"type":"ready","session":"${session}","seq":0}`);
      }
    });
    ws.on('close', () => { if (sockets.get(session) === ws) sockets.delete(session); });
  });
});

// The wall clock, read once per produce call at the edge of a millisecond (Date.now() has no finer
// grain) and followed from there by the monotonic clock. performance.timeOrigin is fixed when the
// process starts and drifts from the wall clock with every adjustment since: in the full runs
// before 2026-12-03 midday this peer's p50 read 0.01 ms, its latencies shifted below zero.
function wallAnchor() {
  const first = Date.now();
  let ms;
  while ((ms = Date.now()) === first) { /* at most a millisecond */ }
  return { micros: ms * 1000, nanos: process.hrtime.bigint() };
}

function epochMicros(anchor) {
  return anchor.micros + Number((process.hrtime.bigint() - anchor.nanos) / 1000n);
}

function control(ws, text) {
  const args = text.trim().split(' ');
  if (args[0] === 'tokens') {
    ws.send('tokens' + ' x'.repeat(Number(args[1])));
  } else if (args[0] === 'produce') {
    produce(ws, Number(args[1]), Number(args[2]), Number(args[3]));
  } else if (args[0] === 'mem') {
    if (global.gc) { global.gc(); global.gc(); }
    const m = process.memoryUsage();
    ws.send(`mem ${m.heapUsed + m.external}`);
  } else {
    ws.send('error unknown command');
  }
}

// Sends every message that is due, then yields to the event loop (sockets must be written too).
function produce(ws, rate, seconds, sessions) {
  const total = Math.floor(rate * seconds);
  const targets = [];
  for (let s = 0; s < sessions; s++) targets.push(sockets.get('b' + s));
  const anchor = wallAnchor();
  const startMicros = epochMicros(anchor);
  let i = 0;
  let sent = 0;
  let callNanos = 0n;
  const step = () => {
    const now = epochMicros(anchor);
    while (i < total) {
      const due = startMicros + Math.floor((i * 1e6) / rate);
      if (due > now) break;
      const target = targets[i % sessions];
      const before = process.hrtime.bigint();
      if (target) {
        target.send(`{"type":"event","event_type":"bench","data":{"t":${due},"pad":"${PAD}"},"seq":${i},"ts":"${new Date().toISOString()}"}`);
        sent++;
      }
      callNanos += process.hrtime.bigint() - before;
      i++;
    }
    // setImmediate polls the loop between sends: on its one thread that takes nothing from the
    // sockets' writes, so the peer keeps the form it was always measured with (a 1 ms timer, as
    // the Java producer's tick, held the same 30k/s in one full run; docs/performance.md).
    if (i < total) setImmediate(step);
    else ws.send(`produced ${sent} 0 ${callNanos}`);
  };
  step();
}

server.listen(port, '127.0.0.1', () => console.log(`ws peer listening on ${port}`));
