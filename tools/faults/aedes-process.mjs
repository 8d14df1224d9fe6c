#!/usr/bin/env node
// aedes (in-memory) in its own process on a free 127.0.0.1 port (TCP_NODELAY), for load scenarios
// where an in-process broker would share the test's core with the engine (R7). Prints
// `listening <port>` once ready; stops on SIGTERM/SIGINT or when stdin closes (the parent died).
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker({});
const sockets = new Set();
const server = net.createServer({ noDelay: true }, (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
  s.on('error', () => undefined);
  broker.handle(s);
});
await new Promise((resolve) => server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', resolve));
process.stdout.write(`listening ${server.address().port}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const s of sockets) s.destroy();
  server.close(() => broker.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
