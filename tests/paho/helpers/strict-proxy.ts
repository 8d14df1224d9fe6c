// A TCP proxy on loopback that turns any broker into one that does not speak MQTT 3.1: it reads the
// first packet of every connection (the CONNECT) and, for protocol level 3 ("MQIsdp"), either closes
// the connection without an answer ('close') or answers CONNACK 1 "unacceptable protocol version"
// ('connack1'); every other CONNECT (3.1.1, 5) goes on to the broker behind it, byte for byte. In
// front of mosquitto 2 this is a broker that rejects 3.1 and speaks MQTT 5, which the aedes-based
// strict broker (strict-broker.ts) cannot be: aedes answers an MQTT 5 CONNECT with CONNACK 1.
import net from 'node:net';
import type { ConnectAttempt, On31 } from './strict-broker';

export interface StrictProxy {
  url: string;
  port: number;
  /** Every CONNECT seen, with its protocol level. */
  attempts: ConnectAttempt[];
  close(): Promise<void>;
}

const CONNACK_UNACCEPTABLE_PROTOCOL = Buffer.from([0x20, 0x02, 0x00, 0x01]);

/** The protocol level of a complete-enough CONNECT at the start of `b`, undefined while more bytes are needed. */
function connectLevel(b: Buffer): number | undefined {
  if (b.length < 2) return undefined;
  if (b[0] >> 4 !== 1) return -1; // not a CONNECT: let the broker deal with it
  let i = 1;
  while (i < b.length && i <= 4 && (b[i] & 0x80) !== 0) i++; // remaining length (variable byte integer)
  const nameAt = i + 1;
  if (b.length < nameAt + 2) return undefined;
  const nameLength = b.readUInt16BE(nameAt);
  const levelAt = nameAt + 2 + nameLength;
  return b.length > levelAt ? b[levelAt] : undefined;
}

/** The client id of a CONNECT whose level is known, for the record (best effort). */
function clientIdOf(b: Buffer, level: number): string {
  try {
    let i = 1;
    while ((b[i] & 0x80) !== 0) i++;
    let at = i + 1;
    at += 2 + b.readUInt16BE(at) + 1 + 1 + 2; // name, level, flags, keep-alive
    if (level === 5) {
      let length = 0;
      let shift = 0;
      let byte = 0;
      do {
        byte = b[at++];
        length += (byte & 0x7f) << shift;
        shift += 7;
      } while ((byte & 0x80) !== 0);
      at += length; // CONNECT properties
    }
    return b.subarray(at + 2, at + 2 + b.readUInt16BE(at)).toString('utf8');
  } catch {
    return '';
  }
}

export async function startStrictProxy(targetPort: number, on31: Exclude<On31, 'accept'>): Promise<StrictProxy> {
  const attempts: ConnectAttempt[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const level = connectLevel(head);
      if (level === undefined) return;
      client.off('data', onData);
      attempts.push({ clientId: clientIdOf(head, level), version: level, at: Date.now() });
      if (level === 3) {
        if (on31 === 'connack1') client.end(CONNACK_UNACCEPTABLE_PROTOCOL);
        else client.destroy();
        return;
      }
      client.pause();
      const upstream = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
      open.add(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      upstream.on('close', () => {
        open.delete(upstream);
        end();
      });
      upstream.on('error', end);
      client.on('close', end);
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    attempts,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
