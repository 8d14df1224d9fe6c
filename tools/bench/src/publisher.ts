// Load publisher for the network benches (its own process, forked by run.mjs with an IPC channel).
// Quotes come from quotefeed's market simulator and encoder (the ~100-byte field subset
// symbol/price/timestamp/seq/volume/prevClose over the 50 bench symbols). They are framed as MQTT
// 3.1.1 PUBLISH packets before the clock starts and written straight to a TCP socket, so the
// publisher costs a memcpy per message and the subscriber, never the publisher, is the bottleneck
// at saturation. QoS 1 packets carry ids 1..65535 in turn; PUBACKs are counted (4 bytes each).
//
// IPC in: {cmd:'probe'} publishes a probe quote for an unwatched symbol every 20 ms until
// {cmd:'go'}, which publishes `count` quotes (as fast as the socket takes them when rate = 0, else
// paced at `rate` msg/s on 1 ms ticks); {cmd:'exit'}. IPC out: {type:'connected'}, {type:'done', ...}.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { encodeQuote, Quote, TimestampFormat } from '@quotedeck/core';
import { createSimulator } from '../../quotefeed/src/index';
import { SYMBOLS, SEED } from './shared';

interface Options { port: number; qos: 0 | 1; count: number; rate: number; }
const o: Options = JSON.parse(process.argv[2]);
const send = (m: object): void => { process.send?.(m); };

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

let nextId = 1;
function publishPacket(topic: string, payload: string, qos: 0 | 1): Buffer {
  const t = Buffer.from(topic, 'utf8');
  const p = Buffer.from(payload, 'utf8');
  const rest = 2 + t.length + (qos > 0 ? 2 : 0) + p.length;
  const head = [0x30 | (qos << 1), ...varint(rest), t.length >> 8, t.length & 0xff];
  const parts: Buffer[] = [Buffer.from(head), t];
  if (qos > 0) {
    const id = nextId;
    nextId = nextId === 65535 ? 1 : nextId + 1;
    parts.push(Buffer.from([id >> 8, id & 0xff]));
  }
  parts.push(p);
  return Buffer.concat(parts);
}

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const body = Buffer.concat([
    Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x00]), // MQTT, v4, clean session, keepalive 0
    Buffer.from([id.length >> 8, id.length & 0xff]), id,
  ]);
  return Buffer.concat([Buffer.from([0x10, ...varint(body.length)]), body]);
}

// Build every packet before the clock starts.
const sim = createSimulator({ seed: SEED, symbols: SYMBOLS, profile: 'normal' });
const base = Date.now() - o.count - 1000;
const packets: Buffer[] = [];
let payloadBytes = 0;
for (let i = 0; i < o.count; i++) {
  const q = sim.next(base + i);
  const subset = new Quote(q.symbol, q.price, q.timestamp);
  subset.seq = q.seq;
  subset.volume = q.volume;
  subset.prevClose = q.prevClose;
  const text = encodeQuote(subset, TimestampFormat.EPOCH_MS);
  payloadBytes += text.length;
  packets.push(publishPacket(`finance/${q.symbol}/quotes`, text, o.qos));
}
let probeSeq = 0;
const probePacket = (): Buffer => {
  const probe = new Quote('ZZPROBE', 1, Date.now());
  probe.seq = probeSeq++;
  return publishPacket('finance/ZZPROBE/quotes', encodeQuote(probe, TimestampFormat.EPOCH_MS), 1);
};

const socket = net.connect({ host: '127.0.0.1', port: o.port });
socket.setNoDelay(true);
let connected = false;
let acks = 0;
let pending = Buffer.alloc(0);
socket.on('data', (d: Buffer) => {
  if (!connected) {
    pending = Buffer.concat([pending, d]);
    if (pending.length < 4) return;
    if (pending[0] !== 0x20 || pending[3] !== 0) {
      console.error(`publisher: CONNACK refused ${pending.subarray(0, 4).toString('hex')}`);
      process.exit(1);
    }
    connected = true;
    acks += Math.floor((pending.length - 4) / 4);
    send({ type: 'connected', payloadBytes: payloadBytes / o.count });
    return;
  }
  acks += d.length / 4; // only PUBACKs (4 bytes) come back: no subscriptions, no keepalive
});
socket.on('error', (e) => {
  console.error(`publisher: ${e.message}`);
  process.exit(1);
});
socket.write(connectPacket(`bench-pub-${process.pid}`));

let probeTimer: NodeJS.Timeout | undefined;
let probesSent = 0;

function writeAll(chunk: Buffer): Promise<void> {
  return socket.write(chunk) ? Promise.resolve() : new Promise((resolve) => socket.once('drain', () => resolve()));
}

async function go(): Promise<void> {
  if (probeTimer !== undefined) clearInterval(probeTimer);
  const start = performance.now();
  if (o.rate <= 0) {
    const CHUNK = 512;
    for (let i = 0; i < packets.length; i += CHUNK) {
      await writeAll(Buffer.concat(packets.slice(i, i + CHUNK)));
    }
  } else {
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = Math.min(packets.length, Math.floor(((performance.now() - start) / 1000) * o.rate) + 1);
        if (due > sent) {
          socket.write(due - sent === 1 ? packets[sent] : Buffer.concat(packets.slice(sent, due)));
          sent = due;
        }
        if (sent >= packets.length) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  const writtenMs = performance.now() - start;
  // A QoS 1 fence on a topic nobody subscribes to: its PUBACK means the broker has processed (and
  // queued for the subscriber) everything written before it, QoS 0 included.
  socket.write(publishPacket('bench/fence', 'fence', 1));
  const deadline = Date.now() + 30_000;
  const expected = (o.qos === 1 ? packets.length : 0) + probesSent + 1;
  while (acks < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  send({ type: 'done', sent: packets.length, writtenMs, ackedMs: performance.now() - start, acks: acks - probesSent - 1, fenced: acks >= expected });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'probe') {
    const probe = (): void => {
      probesSent++;
      socket.write(probePacket());
    };
    probe();
    probeTimer = setInterval(probe, 20);
  } else if (m.cmd === 'go') {
    void go();
  } else if (m.cmd === 'exit') {
    socket.end(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  }
});
