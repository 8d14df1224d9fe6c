// One network connection of the emulated client (one mqtt.js client on one socket) and one paho
// connect attempt over it with one MQTT version, with paho's failure codes and messages
// ([paho] nextOrClose, MQTTAsync_connecting, MQTTAsync_checkTimeouts):
//   CONNACK refused (3.1.1/3.1): code 1..5, "CONNACK return code"
//   TCP connect refused/unreachable, TLS handshake failure: code -1, "TCP/TLS connect failure"
//   socket closed after CONNECT was sent, before CONNACK: code -1, "TCP connect completion failure"
//   paho connect timeout: code -1, "TCP connect timeout"
//   synchronous socket failure (e.g. DNS): code -1, message NULL -> "failed"
import net from 'node:net';
import tls from 'node:tls';
import { MqttClient as MqttJsClient, connect as mqttJsConnect } from 'mqtt';
import { MQTTVERSION_3_1, MQTTVERSION_5 } from '../codes';
import { v5Properties } from '../handlers/publish';
import type { Bag } from '../napi';
import type { Properties } from '../responses';
import type { Session } from '../store';
import type { ConnectSpec, SslSpec } from './options';
import { tlsOptions } from './tls';
import { emulation } from '../settings';
import type { UrlInfo } from './url';

export class Link {
  connected = false;
  intentional = false;
  closed = false;
  constructor(readonly mc: MqttJsClient, readonly version: number, readonly socket: net.Socket | undefined) {}

  /** Polite close: DISCONNECT then end (paho MQTTAsync_closeOnly). */
  closePolitely(): Promise<void> {
    this.intentional = true;
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const timer = setTimeout(() => {
        this.destroy();
        resolve();
      }, 3000);
      this.mc.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.mc.end(false);
      } catch {
        this.destroy();
      }
    });
  }

  destroy(): void {
    this.intentional = true;
    try {
      this.mc.end(true);
    } catch {
      /* already closed */
    }
    this.socket?.destroy();
  }
}

export type AttemptResult =
  | { ok: true; link: Link; reasonCode: number; properties?: Properties }
  | { ok: false; code: number; message: string };

export interface AttemptParams {
  url: UrlInfo;
  clientId: string;
  spec: ConnectSpec;
  version: number;
  session: Session;
  /** The link exists (before its CONNACK): the caller may abort it. */
  onLink: (link: Link) => void;
  /** A PUBLISH arrived on the link; paho has already acknowledged it. */
  onPublish: (link: Link, packet: Bag) => void;
}

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** One TCP/TLS/WS connection attempt with one MQTT version. */
export function attempt(p: AttemptParams): Promise<AttemptResult> {
  const { url, spec, version } = p;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let tcpUp = false;
    let tlsUp = url.scheme === 'tcp' || url.scheme === 'ws';
    let lastError: (Error & { code?: string }) | undefined;
    let link: Link | undefined;
    const finish = (r: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const failWith = (code: number, message: string): void => {
      if (settled) return;
      link?.destroy();
      finish({ ok: false, code, message });
    };
    // paho MQTTAsync_checkTimeouts: connect_state != NOT_IN_PROGRESS for longer than connectTimeout,
    // looked at every 3 s: the attempt gives up at the first look past it (a connectTimeout of 0
    // at the first look)
    const checks = Math.max(1, Math.ceil((spec.connectTimeout * 1000) / emulation.timeoutCheckMs));
    const timer = setTimeout(() => failWith(-1, 'TCP connect timeout'), checks * emulation.timeoutCheckMs);
    if (url.host === '') {
      // paho cannot even start the socket (MQTTAsync_connecting: no address): code -1, no message
      failWith(-1, 'failed');
      return;
    }

    const mqttOptions: Bag = {
      clientId: p.clientId,
      protocolVersion: version,
      protocolId: version === MQTTVERSION_3_1 ? 'MQIsdp' : 'MQTT',
      clean: version === MQTTVERSION_5 ? true : spec.cleansession !== 0,
      keepalive: spec.keepAliveInterval,
      reconnectPeriod: 0,
      connectTimeout: 0x7fffffff,
      manualConnect: true,
      resubscribe: false,
      queueQoSZero: false,
      incomingStore: p.session.incoming,
      outgoingStore: p.session.outgoing,
      log: () => undefined,
    };
    if (spec.userName !== undefined) mqttOptions.username = spec.userName;
    if (spec.password !== undefined) mqttOptions.password = Buffer.from(spec.password, 'utf8');
    if (version === MQTTVERSION_5) mqttOptions.properties = { sessionExpiryInterval: 0 };
    if (spec.will) {
      mqttOptions.will = { topic: spec.will.topicName, payload: Buffer.from(spec.will.message, 'utf8'), qos: spec.will.qos, retain: spec.will.retained !== 0 };
    }

    let socket: net.Socket | undefined;
    let mc: MqttJsClient;
    try {
      if (url.scheme === 'tcp' || url.scheme === 'ssl') {
        socket = url.scheme === 'tcp'
          ? net.connect({ host: url.host, port: url.port })
          : tls.connect({ host: url.host, port: url.port, ...tlsOptions(spec.ssl as SslSpec, url.host) });
        socket.on('connect', () => {
          tcpUp = true;
        });
        socket.on('secureConnect', () => {
          tlsUp = true;
        });
        socket.on('error', (e: Error & { code?: string }) => {
          lastError = e;
        });
        const s = socket;
        mc = new MqttJsClient(() => s, mqttOptions as never);
      } else {
        const wsUrl = `${url.scheme}://${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}${url.wsPath}`;
        if (url.scheme === 'wss') Object.assign(mqttOptions, tlsOptions(spec.ssl as SslSpec, url.host));
        mc = mqttJsConnect(wsUrl, mqttOptions as never);
      }
    } catch (e) {
      // e.g. unreadable trustStore or an invalid cipher list: the TLS context cannot be made
      lastError = e as Error;
      clearTimeout(timer);
      settled = true;
      setImmediate(() => resolve({ ok: false, code: -1, message: 'TCP/TLS connect failure' }));
      return;
    }
    const live = new Link(mc, version, socket);
    link = live;
    p.onLink(live);
    // paho acknowledges QoS 1/2 on receipt and then hands the message over (see ../index.ts).
    (mc as unknown as { handleMessage: (packet: Bag, cb: (e?: Error) => void) => void }).handleMessage = (packet, cb) => {
      p.onPublish(live, packet);
      cb();
    };
    mc.on('packetreceive', (packet: Bag) => {
      if (packet.cmd !== 'connack' || settled) return;
      tcpUp = true;
      tlsUp = true;
      const rc = Number(version === MQTTVERSION_5 ? packet.reasonCode ?? 0 : packet.returnCode ?? 0);
      if (rc !== 0) {
        failWith(rc, 'CONNACK return code');
        return;
      }
      live.connected = true;
      finish({ ok: true, link: live, reasonCode: rc, properties: version === MQTTVERSION_5 ? v5Properties(packet.properties) : undefined });
    });
    mc.on('error', (e: Error & { code?: string }) => {
      lastError = lastError ?? e;
    });
    mc.on('close', () => {
      live.closed = true;
      if (settled) return;
      const code = lastError?.code ?? '';
      if (url.scheme === 'ws' || url.scheme === 'wss') {
        if (DNS_ERRORS.has(code)) failWith(-1, 'failed');
        else if (/^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET)$/.test(code) || /TLS|SSL|CERT|certificate/i.test(String(lastError?.message ?? code))) failWith(-1, 'TCP/TLS connect failure');
        else failWith(-1, 'TCP connect completion failure');
        return;
      }
      if (!tcpUp) failWith(-1, DNS_ERRORS.has(code) ? 'failed' : 'TCP/TLS connect failure');
      else if (!tlsUp) failWith(-1, 'TCP/TLS connect failure');
      else failWith(-1, 'TCP connect completion failure');
    });
    mc.connect();
  });
}
