// Node emulation of the ohpm package @ohos/mqtt (OpenHarmony-TPC ohos_mqtt: a NAPI wrapper over
// paho.mqtt.c's MQTTAsync), built over mqtt.js. FOR TESTS ONLY: tools/node/bundle.mjs maps the
// import '@ohos/mqtt' to this file, so the app's adapter (common/.../OhosMqttTransport.ets) runs
// unchanged against a real broker (aedes, mosquitto) on Linux. It is never packaged into the app.
//
// It reproduces the library's API (the exports of the 2.0.24 package: MqttAsync, MqttClient,
// MQTT_SSL_VERSION) and, as far as they could be established, its observable semantics: result
// codes and messages, promise vs callback behaviour, option parsing, timing rules and the paho
// connection logic. Sources (reference only, nothing copied):
//   [napi]  ohos_mqtt's native layer: mqtt_client.cpp (Construct, Connect..Destroy,
//           MqttResponseComplete, ResponseCallBack, CreateMqttResponse, CreateMqttMessage,
//           RejectError), mqtt_impl.cpp/.h (MqttConnect, OnConnectFail, ConnectionLost,
//           MessageArrived, MqttPublish, timing constants), connect_context.cpp
//           (ParseConnectOptions, ParseSslOptions, ParseWillOptions), subscribe_context.cpp,
//           mqtt_napi_utils.cpp (GetInt32Property etc.), mqtt_constant.cpp, index.d.ts.
//   [paho]  eclipse-paho/paho.mqtt.c MQTTAsync.c / MQTTAsyncUtils.c (nextOrClose,
//           MQTTAsync_checkConn, MQTTAsync_connecting, MQTTAsync_checkTimeouts, receive thread,
//           MQTTAsync_reconnect, MQTTAsync_connect checks, setMessageArrivedCallback),
//           MQTTProtocolClient.c (MQTTProtocol_handlePublishes), issue #1187 (3.1 fallback).
//   [ndk]   OpenHarmony NDK napi docs: napi_get_value_int32 returns napi_number_expected for a
//           non-number (the out value then stays 0).
//   [netstack] OpenHarmony netstack EventManager::AddListener (same pattern as ohos_mqtt's
//           event list): a new listener of a type replaces the previous one.
//
// VERIFIED in the sources above (the ohos_mqtt file versions read are recent but their exact
// package version could not be matched to 2.0.24/2.0.26):
// - connect resolves {code 0, message "Connect Success"} ("Connect5 Success" for MQTT 5). A paho
//   failure gives code = paho's failure code and message = paho's message or "failed":
//     CONNACK refused (3.1.1/3.1): code 1..5, "CONNACK return code"      [paho nextOrClose]
//     TCP connect refused/unreachable, TLS handshake failure:
//                                   code -1, "TCP/TLS connect failure"     [paho MQTTAsync_connecting]
//     socket closed after CONNECT was sent, before CONNACK:
//                                   code -1, "TCP connect completion failure"
//     paho connect timeout:         code -1, "TCP connect timeout"         [checkTimeouts]
//     synchronous socket failure (e.g. DNS): code -1, message NULL -> "failed"
//   and the native layer's own failures give code -1 with "Connect fail" / "Subscribe fail" /
//   "Unsubscribe fail" / "Publish fail" / "Disconnect fail" (already connected on connect, not
//   connected on the others, paho refusing the call, or no answer in time).            [napi]
// - Promise forms: resolve when code == 0, otherwise REJECT WITH THE RESPONSE OBJECT
//   {message, code, errorCode, reasonCode, properties?} (not an Error).                  [napi]
// - Callback forms: the callback gets (undefined, {message, code, reasonCode, properties?}) for
//   success AND failure (no errorCode field). When the native precondition fails, connect and
//   subscribe(Many) never call back; unsubscribe, publish and disconnect call back with
//   {message "failed", code -1}.                                                         [napi]
// - Timing: subscribe/unsubscribe/disconnect/reconnect wait at most 1000 x 10 ms; publish waits
//   3000 ms for completion (errorCode -2 "broken" if still connected, else -1); connect waits
//   (connectTimeout + 5) s, then gives "Connect fail" while paho may go on connecting.   [napi]
// - Option parsing: cleanSession, connectTimeout, keepAliveInterval, MQTTVersion and
//   willOptions.retained/qos are read with napi_get_value_int32, so a BOOLEAN cleanSession or
//   retained is read as 0 (cleanSession: true gives a persistent session, retained: true is
//   dropped); a present-but-undefined field counts as present. enableServerCertAuth/verify are
//   booleans. sslOptions absent on an ssl:// URL -> paho MQTTASYNC_NULL_PARAMETER -> "Connect fail".
//   trustStore defaults to /etc/ssl/certs/cacert.pem. automaticReconnect is forced off.   [napi][ndk][paho]
// - MQTTVersion in the connect options only selects MQTT 5; otherwise paho runs with
//   MQTTVERSION_DEFAULT: every failed 3.1.1 attempt is retried once with MQTT 3.1 ("MQIsdp"), and
//   the last attempt's result is reported. Brokers reject 3.1 client ids longer than 23
//   characters with CONNACK 2, which then masks the 3.1.1 refusal (e.g. 4 bad credentials).
//   After a PASSIVE loss of a 3.1.1 connection paho calls connectionLost and then silently
//   connects again once with MQTT 3.1 (no callback; paho issue #1187).                  [paho]
// - connectLost is called only for a passive loss (not after disconnect()/destroy()), with
//   {message "null", code 0, reasonCode 0}.                                              [paho][napi]
// - QoS 1: paho sends PUBACK on receipt, BEFORE the message reaches the application; the message
//   is then handed to the JS thread asynchronously (thread-safe function). So an exception or a
//   crash in messageArrived loses the message: do not rely on "ack after processing".    [paho]
// - paho refuses to set the message/connection-lost callbacks while a connect is in progress
//   (connect_state != NOT_IN_PROGRESS), and the wrapper then drops the new listener; messages
//   arriving while no handler is set are queued by paho and delivered once one is set.   [paho][napi]
// - MqttMessage: payload is the UTF-8 text up to the first NUL byte, payloadBinary exactly the
//   bytes, retained/dup are 0/1 (dup forced 0 for QoS 2), properties.contentType is
//   "application/json" for a non-empty payload, userProperties are {key, val} objects.   [napi][paho]
// - reconnect() re-runs the last connect options (versions restarted), resolves true once
//   connected, false if already connected, destroyed, or not connected after 10 s.       [napi][paho]
// - destroy() resolves true the first time, false afterwards.                         [napi]
//
// INFERRED (not established from sources; chosen to be conservative):
// - A later messageArrived/connectLost registration replaces the earlier one, and a refused
//   registration (during a connect) leaves no handler at all: the wrapper's event list was not
//   read; OpenHarmony netstack's EventManager::AddListener, which it mirrors, erases the old
//   listener of the type before adding the new one.
// - destroy() closes the connection politely (DISCONNECT, so no will), as paho's
//   MQTTAsync_destroy -> closeSession is remembered to do.
// - persistenceType 0 (or absent, which the native code reads as 0) and 2: creation fails
//   (createMqtt returns undefined). Paho's file persistence in the app's working directory is
//   expected to fail on a device; 2 needs a context the wrapper never passes.
// - new MqttClient(options) whose native creation failed: every method throws (natively: crash).
// - reconnect() before any connect(): resolves false at once (paho would connect with zeroed
//   options). connect() while another connect is running: "Connect fail" at once. connect()
//   while the background 3.1 attempt runs: that attempt is abandoned.
// - Pending subscribe/unsubscribe on a passive loss with a clean session: code -11
//   (MQTTASYNC_OPERATION_INCOMPLETE) "failed"; otherwise the native wait times out.
// - destroy() during a connect: the pending connect promise rejects with "Connect fail" at once.
// - Invalid UTF-8 in the payload becomes U+FFFD in `payload` (napi_create_string_utf8).
// - Timings are real-time: the 3 s granularity of paho's connect-timeout check is not modelled.
// - Message delivery is batched: one setImmediate delivers, in order, every message that arrived
//   since the previous batch (Node dispatches a thread-safe function's queued calls the same way,
//   up to 1000 per loop wake-up; how the ArkTS runtime batches them was not established). Each
//   message is delivered after the socket read that brought it, never inside it. Unlike Node's
//   thread-safe functions, promise jobs queued by one messageArrived call run after the whole
//   batch, not before the next message: the app's message path is synchronous, so it cannot tell.
// - ws:// and wss:// go through mqtt.js's WebSocket transport; their failure messages are coarser.
// - MQTT 5 is emulated only in outline (messages, reasonCode, properties), untested here.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { MqttClient as MqttJsClient, Store, connect as mqttJsConnect } from 'mqtt';

// ------------------------------------------------------------------------------------------------
// The public types are the package's own shapes, declared once in tools/types/ohos-mqtt.d.ts (what
// the ArkTS check compiles the app against), so the emulation and the check cannot drift apart.
import type {
  MqttQos, MqttPersistenceType, MqttClientOptions, MqttConnectOptions, MqttSubscribeOptions, MqttPublishOptions,
  MqttResponse, MqttMessage
} from '../../types/ohos-mqtt';

export type {
  MqttQos, MqttPersistenceType, MqttClientOptions, MqttConnectOptions, MqttSubscribeOptions, MqttPublishOptions,
  MqttResponse, MqttMessage
};
type AsyncCallback<T> = (err: Error | undefined, data: T) => void;

export interface Properties {
  contentType?: string;
  userProperties?: Array<[string, string]> | Array<{ key: string; val: string }>;
  integerProperties?: number[];
  strProperties?: string[];
}

export enum MQTT_SSL_VERSION {
  MQTT_SSL_VERSION_DEFAULT = 0,
  MQTT_SSL_VERSION_TLS_1_0,
  MQTT_SSL_VERSION_TLS_1_1,
  MQTT_SSL_VERSION_TLS_1_2,
}

// ------------------------------------------------------------------------------------------------
// Constants taken from the sources ([napi] mqtt_impl.h, mqtt_constant.cpp; [paho] MQTTAsync.h)

const POLL_MS = 10; // MqttImpl::sleepTime_ (10000 us)
const POLL_CYCLES = 1000; // MqttImpl::cyclesCount_
const OHOS_CA_PATH = '/etc/ssl/certs/cacert.pem'; // MqttConstant::OHOS_CA_PATH
const MQTTVERSION_DEFAULT = 0;
const MQTTVERSION_3_1 = 3;
const MQTTVERSION_3_1_1 = 4;
const MQTTVERSION_5 = 5;
const MQTTASYNC_OPERATION_INCOMPLETE = -11;
const MQTT_PUBLISH_FAILED = -1;
const MQTT_IS_BROKEN = -2;

/** Emulation settings. Tests may shorten the native waits; defaults are the library's. */
export const emulation = {
  /** Wait of subscribe/unsubscribe/disconnect/reconnect (POLL_CYCLES x POLL_MS). */
  operationWaitMs: POLL_CYCLES * POLL_MS,
  /** MqttImpl::waitCompletionTime_. */
  publishWaitMs: 3000,
  /** MqttConnect waits (connectTimeout + connectGraceSeconds) seconds. */
  connectGraceSeconds: 5,
  /** paho's 3.1 fallback after a failed 3.1.1 attempt and after a passive loss (MQTTVERSION_DEFAULT). */
  mqtt31Fallback: true,
};

// ------------------------------------------------------------------------------------------------
// NAPI value reading, as mqtt_napi_utils.cpp does it

type Bag = Record<string, unknown>;

function has(obj: unknown, key: string): boolean {
  // napi_has_named_property: own or inherited, a present-but-undefined value counts.
  return typeof obj === 'object' && obj !== null && key in (obj as Bag);
}

function readInt32(obj: unknown, key: string): number {
  if (!has(obj, key)) return 0;
  const v = (obj as Bag)[key];
  return typeof v === 'number' ? v | 0 : 0; // napi_get_value_int32 refuses non-numbers [ndk]
}

function readUint32(obj: unknown, key: string): number {
  if (!has(obj, key)) return 0;
  const v = (obj as Bag)[key];
  return typeof v === 'number' ? v >>> 0 : 0;
}

function readBool(obj: unknown, key: string): boolean {
  if (!has(obj, key)) return false;
  const v = (obj as Bag)[key];
  return typeof v === 'boolean' ? v : false;
}

function readString(obj: unknown, key: string): string {
  if (!has(obj, key)) return '';
  const v = (obj as Bag)[key];
  return typeof v === 'string' ? v : '';
}

function readArrayBuffer(obj: unknown, key: string): Buffer {
  if (!has(obj, key)) return Buffer.alloc(0);
  const v = (obj as Bag)[key];
  return v instanceof ArrayBuffer ? Buffer.from(new Uint8Array(v)) : Buffer.alloc(0); // napi_get_arraybuffer_info
}

// ------------------------------------------------------------------------------------------------
// Parsed options (paho structures)

interface UrlInfo {
  scheme: 'tcp' | 'ssl' | 'ws' | 'wss';
  host: string;
  port: number;
  wsPath: string;
}

interface SslSpec {
  enableServerCertAuth: boolean;
  verify: boolean;
  caPath: string;
  trustStore: string;
  keyStore: string;
  privateKey: string;
  privateKeyPassword: string;
  enabledCipherSuites: string;
  sslVersion: number;
}

interface WillSpec {
  topicName: string;
  message: string;
  retained: number;
  qos: number;
}

interface ConnectSpec {
  mqttVersion: number; // 5 or MQTTVERSION_DEFAULT
  cleansession: number;
  connectTimeout: number;
  keepAliveInterval: number;
  userName: string | undefined;
  password: string | undefined;
  ssl: SslSpec | undefined;
  will: WillSpec | undefined;
}

function parseUrl(url: string): UrlInfo | undefined {
  // paho MQTTAsync_createWithOptions: known prefixes, anything else with "://" is BAD_PROTOCOL;
  // no "://" at all means tcp host:port.
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(url);
  let scheme: UrlInfo['scheme'];
  let rest: string;
  if (!m) {
    scheme = 'tcp';
    rest = url;
  } else {
    const s = m[1];
    if (s === 'tcp' || s === 'mqtt') scheme = 'tcp';
    else if (s === 'ssl' || s === 'mqtts') scheme = 'ssl';
    else if (s === 'ws') scheme = 'ws';
    else if (s === 'wss') scheme = 'wss';
    else return undefined;
    rest = m[2];
  }
  let wsPath = '/mqtt';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    wsPath = rest.slice(slash) || '/mqtt';
    rest = rest.slice(0, slash);
  }
  let host = rest;
  let portText = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    host = rest.slice(1, close);
    if (rest[close + 1] === ':') portText = rest.slice(close + 2);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
  }
  // paho MQTTProtocol_addressPort: default ports by scheme; atoi() of the port text.
  const defaults = { tcp: 1883, ssl: 8883, ws: 80, wss: 443 };
  const port = portText === '' ? defaults[scheme] : parseInt(portText, 10) || 0;
  return { scheme, host, port, wsPath };
}

function parseConnectOptions(o: unknown): ConnectSpec {
  // connect_context.cpp ParseConnectOptions, paho MQTTAsync_connectOptions_initializer defaults.
  const mqttVersion = has(o, 'MQTTVersion') && readInt32(o, 'MQTTVersion') === MQTTVERSION_5 ? MQTTVERSION_5 : MQTTVERSION_DEFAULT;
  const spec: ConnectSpec = {
    mqttVersion,
    cleansession: mqttVersion === MQTTVERSION_5 ? 0 : 1,
    connectTimeout: 30,
    keepAliveInterval: 60,
    userName: undefined,
    password: undefined,
    ssl: undefined,
    will: undefined,
  };
  if (has(o, 'password')) spec.password = readString(o, 'password');
  if (has(o, 'userName')) spec.userName = readString(o, 'userName');
  if (has(o, 'connectTimeout')) spec.connectTimeout = readInt32(o, 'connectTimeout');
  if (has(o, 'cleanSession')) spec.cleansession = readInt32(o, 'cleanSession');
  if (has(o, 'keepAliveInterval')) spec.keepAliveInterval = readInt32(o, 'keepAliveInterval');
  if (has(o, 'sslOptions')) {
    const s = (o as Bag).sslOptions;
    spec.ssl = {
      enableServerCertAuth: has(s, 'enableServerCertAuth') ? readBool(s, 'enableServerCertAuth') : true,
      verify: has(s, 'verify') ? readBool(s, 'verify') : false,
      caPath: readString(s, 'caPath'),
      trustStore: has(s, 'trustStore') ? readString(s, 'trustStore') : OHOS_CA_PATH,
      keyStore: readString(s, 'keyStore'),
      privateKey: readString(s, 'privateKey'),
      privateKeyPassword: readString(s, 'privateKeyPassword'),
      enabledCipherSuites: readString(s, 'enabledCipherSuites'),
      sslVersion: readInt32(s, 'sslVersion'),
    };
  }
  if (has(o, 'willOptions')) {
    const w = (o as Bag).willOptions;
    spec.will = {
      topicName: readString(w, 'topicName'),
      message: readString(w, 'message'),
      retained: readInt32(w, 'retained'),
      qos: readInt32(w, 'qos'),
    };
  }
  return spec;
}

/** paho MQTTAsync_connect's synchronous checks that matter here; non-zero means refused. */
function checkConnectSpec(spec: ConnectSpec, url: UrlInfo, createVersion: number): number {
  if ((url.scheme === 'ssl' || url.scheme === 'wss') && spec.ssl === undefined) return -6; // NULL_PARAMETER
  if ((createVersion === MQTTVERSION_5) !== (spec.mqttVersion === MQTTVERSION_5)) return -16; // WRONG_MQTT_VERSION
  if (spec.mqttVersion === MQTTVERSION_5 && spec.cleansession !== 0) return -15; // BAD_MQTT_OPTION
  if (spec.will && (spec.will.qos < 0 || spec.will.qos > 2)) return -9; // BAD_QOS
  if (spec.keepAliveInterval < 0 || spec.connectTimeout < 0) return -8; // BAD_STRUCTURE-like (inferred)
  return 0;
}

// ------------------------------------------------------------------------------------------------
// Responses

interface Outcome {
  code: number;
  message: string;
  reasonCode: number;
  errorCode: number;
  properties?: Properties;
}

function emptyProperties(): Properties {
  return { contentType: '', userProperties: [], integerProperties: [], strProperties: [] };
}

/** MqttResponseComplete: the promise payload (with errorCode). */
function promiseResponse(o: Outcome): MqttResponse {
  const r: Bag = { code: o.code, errorCode: o.errorCode, reasonCode: o.reasonCode, message: o.message };
  if (o.properties) r.properties = o.properties;
  return r as unknown as MqttResponse;
}

/** CreateMqttResponse: the callback payload (no errorCode). */
function callbackResponse(o: Outcome): MqttResponse {
  const r: Bag = { message: o.message, code: o.code, reasonCode: o.reasonCode };
  if (o.properties) r.properties = o.properties;
  return r as unknown as MqttResponse;
}

function fail(message: string, code = -1, errorCode = 0): Outcome {
  return { code, message, reasonCode: 0, errorCode };
}

function ok(message: string, reasonCode = 0, properties?: Properties): Outcome {
  return { code: 0, message, reasonCode, errorCode: 0, properties };
}

/**
 * The native call failed before paho answered (precondition, paho refusing the call, or no
 * answer in time): the promise gets `outcome` (default "<Op> fail", -1), the callback form gets
 * nothing or {message "failed", code -1} depending on the operation.
 */
class NativeFailure {
  constructor(readonly outcome?: Outcome) {}
}

type WorkResult = Outcome | NativeFailure;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A store whose close() is a no-op, so one paho session can span several mqtt.js clients. */
class SessionStore extends Store {
  close(cb?: () => void): void {
    if (cb) cb();
  }
}

// ------------------------------------------------------------------------------------------------
// One network connection (one mqtt.js client)

class Link {
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

type AttemptResult =
  | { ok: true; link: Link; reasonCode: number; properties?: Properties }
  | { ok: false; code: number; message: string };

interface ConnectRun {
  promise: Promise<AttemptResult>;
  abort(): void;
  background: boolean;
}

// ------------------------------------------------------------------------------------------------
// The client

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** MqttMessage.payload: non-fatal (invalid UTF-8 becomes U+FFFD), shared by every client. */
const UTF8 = new TextDecoder('utf-8');

export class MqttClient {
  private readonly initialized: boolean;
  private destroyed = false;
  private readonly url: UrlInfo | undefined;
  private readonly clientId: string;
  private readonly createVersion: number;
  private messageHandler: AsyncCallback<MqttMessage> | undefined;
  private lostHandler: AsyncCallback<MqttResponse> | undefined;
  private inboundQueue: MqttMessage[] = [];
  /** Messages handed to the JS thread and not yet delivered (see deliver). */
  private outbox: MqttMessage[] = [];
  private drainScheduled = false;
  private link: Link | undefined;
  private run: ConnectRun | undefined;
  private lastConnect: ConnectSpec | undefined;
  private incomingStore = new SessionStore();
  private outgoingStore = new SessionStore();
  private readonly pending = new Set<(o: Outcome | undefined) => void>();
  private traceLevel = 0;

  constructor(options: MqttClientOptions) {
    // mqtt_client.cpp Construct -> MqttImpl::Initialize -> MQTTAsync_createWithOptions
    this.url = parseUrl(readString(options, 'url'));
    this.clientId = readString(options, 'clientId');
    const persistence = readUint32(options, 'persistenceType');
    this.createVersion = has(options, 'MQTTVersion') && readUint32(options, 'MQTTVersion') === MQTTVERSION_5 ? MQTTVERSION_5 : MQTTVERSION_DEFAULT;
    this.initialized = this.url !== undefined && persistence === 1 && this.url.host !== '';
  }

  /** @internal used by MqttAsync.createMqtt. */
  get __created(): boolean {
    return this.initialized;
  }

  private alive(): void {
    if (!this.initialized) throw new Error('@ohos/mqtt emulation: the native client was not created (bad url, clientId or persistenceType)');
  }

  private get connected(): boolean {
    return !this.destroyed && this.link !== undefined && this.link.connected && !this.link.closed;
  }

  // ---- registration ---------------------------------------------------------------------------

  messageArrived(callback: AsyncCallback<MqttMessage>): void {
    this.alive();
    if (typeof callback !== 'function') return; // "param error", nothing registered
    // AddListener replaces the old listener, then paho refuses while connecting or destroyed.
    this.messageHandler = undefined;
    if (this.destroyed || this.run !== undefined) return;
    this.messageHandler = callback;
    const queued = this.inboundQueue;
    this.inboundQueue = [];
    for (const m of queued) this.deliver(m);
  }

  connectLost(callback: AsyncCallback<MqttResponse>): void {
    this.alive();
    if (typeof callback !== 'function') return;
    this.lostHandler = undefined;
    if (this.destroyed || this.run !== undefined) return;
    this.lostHandler = callback;
  }

  setMqttTrace(level: number): void {
    this.alive();
    this.traceLevel = level || 3;
  }

  // ---- connect --------------------------------------------------------------------------------

  connect(options: MqttConnectOptions): Promise<MqttResponse>;
  connect(options: MqttConnectOptions, callback: AsyncCallback<MqttResponse>): void;
  connect(options: MqttConnectOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      // MqttImpl::MqttConnect: CheckConnecte (initialized, not connected)
      if (this.destroyed || this.connected) return new NativeFailure();
      if (this.run !== undefined && !this.run.background) return new NativeFailure(); // inferred
      const spec = parseConnectOptions(options);
      if (checkConnectSpec(spec, this.url as UrlInfo, this.createVersion) !== 0) return new NativeFailure();
      if (this.run !== undefined) this.run.abort(); // abandon paho's background 3.1 attempt (inferred)
      this.lastConnect = spec;
      if (spec.cleansession !== 0) this.resetSession();
      const run = this.startRun(spec, false);
      const deadlineMs = (spec.connectTimeout + emulation.connectGraceSeconds) * 1000;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((r) => {
        timer = setTimeout(() => r('deadline'), deadlineMs);
      });
      const first = await Promise.race([run.promise, deadline]);
      clearTimeout(timer);
      if (this.destroyed) return new NativeFailure();
      if (first === 'deadline') return new NativeFailure(); // paho goes on; its late callback is dropped
      if (first.ok) {
        const v5 = spec.mqttVersion === MQTTVERSION_5;
        return v5 ? ok('Connect5 Success', first.reasonCode, first.properties ?? emptyProperties()) : ok('Connect Success');
      }
      return { code: first.code, message: first.message, reasonCode: spec.mqttVersion === MQTTVERSION_5 ? first.code : 0, errorCode: 0 };
    };
    return this.complete(work, 'Connect fail', callback, 'silent');
  }

  private resetSession(): void {
    this.incomingStore = new SessionStore();
    this.outgoingStore = new SessionStore();
  }

  /** Runs paho's connect command: 3.1.1 then 3.1 (MQTTVERSION_DEFAULT), or 5 only. */
  private startRun(spec: ConnectSpec, background: boolean, versions?: number[]): ConnectRun {
    let aborted = false;
    let current: Link | undefined;
    const order = versions ?? (spec.mqttVersion === MQTTVERSION_5 ? [MQTTVERSION_5] : emulation.mqtt31Fallback ? [MQTTVERSION_3_1_1, MQTTVERSION_3_1] : [MQTTVERSION_3_1_1]);
    const run: ConnectRun = {
      background,
      abort: () => {
        aborted = true;
        current?.destroy();
      },
      promise: (async (): Promise<AttemptResult> => {
        let result: AttemptResult = { ok: false, code: -1, message: 'failed' };
        for (const version of order) {
          if (aborted || this.destroyed) return { ok: false, code: -1, message: 'failed' };
          result = await this.attempt(spec, version, (l) => {
            current = l;
          });
          if (aborted || this.destroyed) {
            if (result.ok) result.link.destroy();
            return { ok: false, code: -1, message: 'failed' };
          }
          if (result.ok) break;
        }
        if (this.run === run) this.run = undefined;
        if (result.ok) this.adopt(result.link, spec);
        return result;
      })(),
    };
    this.run = run;
    return run;
  }

  private adopt(link: Link, spec: ConnectSpec): void {
    this.link = link;
    link.mc.on('close', () => this.onLinkClosed(link, spec));
    if (link.closed) this.onLinkClosed(link, spec);
  }

  /** One TCP/TLS/WS connection attempt with one MQTT version. */
  private attempt(spec: ConnectSpec, version: number, onLink: (l: Link) => void): Promise<AttemptResult> {
    const url = this.url as UrlInfo;
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
      // paho MQTTAsync_checkTimeouts: connect_state != NOT_IN_PROGRESS for longer than connectTimeout
      // (paho checks every 3 s at most; a connectTimeout of 0 times out at the first check)
      const timer = setTimeout(() => failWith(-1, 'TCP connect timeout'), spec.connectTimeout > 0 ? spec.connectTimeout * 1000 : 3000);

      const mqttOptions: Bag = {
        clientId: this.clientId,
        protocolVersion: version,
        protocolId: version === MQTTVERSION_3_1 ? 'MQIsdp' : 'MQTT',
        clean: version === MQTTVERSION_5 ? true : spec.cleansession !== 0,
        keepalive: spec.keepAliveInterval,
        reconnectPeriod: 0,
        connectTimeout: 0x7fffffff,
        manualConnect: true,
        resubscribe: false,
        queueQoSZero: false,
        incomingStore: this.incomingStore,
        outgoingStore: this.outgoingStore,
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
      onLink(live);
      // paho acknowledges QoS 1/2 on receipt and then hands the message over (see header).
      (mc as unknown as { handleMessage: (p: Bag, cb: (e?: Error) => void) => void }).handleMessage = (packet, cb) => {
        this.onPublish(live, packet);
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

  /** The connection dropped: passive unless we closed it (paho nextOrClose). */
  private onLinkClosed(link: Link, spec: ConnectSpec): void {
    if (this.link !== link) return;
    this.link = undefined;
    if (link.intentional || this.destroyed) return;
    if (spec.cleansession !== 0) this.failPending(fail('failed', MQTTASYNC_OPERATION_INCOMPLETE));
    const lost = this.lostHandler;
    if (lost) {
      const r = callbackResponse({ code: 0, message: 'null', reasonCode: 0, errorCode: 0 });
      setImmediate(() => {
        if (!this.destroyed && this.lostHandler === lost) lost(undefined, r);
      });
    }
    // MQTTAsync_checkConn: a 3.1.1 connection of a MQTTVERSION_DEFAULT client has "more to try":
    // paho queues a connect with MQTT 3.1, without callbacks.
    if (emulation.mqtt31Fallback && spec.mqttVersion === MQTTVERSION_DEFAULT && link.version === MQTTVERSION_3_1_1 && this.run === undefined) {
      this.startRun(spec, true, [MQTTVERSION_3_1]);
    }
  }

  private failPending(o: Outcome | undefined): void {
    for (const settle of [...this.pending]) settle(o);
  }

  // ---- inbound messages -----------------------------------------------------------------------

  private onPublish(link: Link, packet: Bag): void {
    if (this.destroyed) return;
    const topic = String(packet.topic ?? '');
    if (topic === '') return;
    const bytes = Buffer.isBuffer(packet.payload) ? (packet.payload as Buffer) : Buffer.from(String(packet.payload ?? ''), 'utf8');
    // payloadBinary: a new ArrayBuffer holding exactly the payload bytes, as napi_create_arraybuffer
    // gives natively. mqtt.js's Buffer is a view into the socket's read chunk (or into Node's
    // Buffer pool), so it is copied; `new ArrayBuffer` + `set` is the cheapest copy on Node 20
    // (ArrayBuffer#slice of the large backing store costs more).
    const length = bytes.length;
    const ab = new ArrayBuffer(length);
    if (length > 0) new Uint8Array(ab).set(bytes);
    const nul = bytes.indexOf(0);
    const qos = Number(packet.qos ?? 0) as MqttQos;
    let properties: Properties;
    if (link.version === MQTTVERSION_5) {
      properties = v5Properties(packet.properties);
      properties.contentType = length > 0 ? 'application/json' : '';
    } else {
      properties = { contentType: length > 0 ? 'application/json' : '', userProperties: [], integerProperties: [], strProperties: [] };
    }
    const msg: MqttMessage = {
      topic,
      // one shared decoder: decode() without {stream} keeps no state between calls
      payload: UTF8.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes),
      payloadBinary: ab,
      qos,
      retained: packet.retain ? 1 : 0,
      dup: qos === 2 ? 0 : packet.dup ? 1 : 0,
      msgid: Number(packet.messageId ?? 0),
      properties,
    };
    if (this.messageHandler === undefined) {
      this.inboundQueue.push(msg); // paho keeps it on the client's message queue
      return;
    }
    this.deliver(msg);
  }

  /**
   * Hands a message to the JS thread later, in order (napi_call_threadsafe_function). Node
   * dispatches a thread-safe function's queued calls in batches, up to 1000 per wake-up of the
   * loop; likewise one setImmediate here delivers every message queued since the previous one.
   */
  private deliver(msg: MqttMessage): void {
    this.outbox.push(msg);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(this.drainOutbox);
    }
  }

  /**
   * Runs the handler for each queued message, in order. The handler is looked up per message
   * (a replacement takes effect for the next one); without a handler the message goes back to
   * paho's queue. Messages queued while this runs go to the next batch. An exception thrown by
   * the handler is not caught (natively it is an uncaught exception in the app): the messages
   * after it are re-queued in front and delivered on the next turn, as separate callbacks would be.
   */
  private readonly drainOutbox = (): void => {
    const batch = this.outbox;
    this.outbox = [];
    this.drainScheduled = false;
    let i = 0;
    try {
      for (; i < batch.length; i++) {
        if (this.destroyed) return;
        const msg = batch[i];
        const h = this.messageHandler;
        if (h) h(undefined, msg);
        else this.inboundQueue.push(msg);
      }
    } finally {
      if (i < batch.length - 1 && !this.destroyed) {
        this.outbox = batch.slice(i + 1).concat(this.outbox);
        if (!this.drainScheduled) {
          this.drainScheduled = true;
          setImmediate(this.drainOutbox);
        }
      }
    }
  };

  // ---- operations -----------------------------------------------------------------------------

  subscribe(options: MqttSubscribeOptions): Promise<MqttResponse>;
  subscribe(options: MqttSubscribeOptions, callback: AsyncCallback<MqttResponse>): void;
  subscribe(options: MqttSubscribeOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    return this.subscribeMany(options as unknown as MqttSubscribeOptions[], callback as AsyncCallback<MqttResponse>);
  }

  subscribeMany(options: MqttSubscribeOptions[]): Promise<MqttResponse>;
  subscribeMany(options: MqttSubscribeOptions[], callback: AsyncCallback<MqttResponse>): void;
  subscribeMany(options: MqttSubscribeOptions[], callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      const subs = topicList(options);
      if (!this.connected || subs.some((s) => s.qos > 2)) return new NativeFailure(); // not connected / BAD_QOS
      const link = this.link as Link;
      const v5 = link.version === MQTTVERSION_5;
      const r = await this.wait(emulation.operationWaitMs, (settle) => {
        const map: Record<string, { qos: MqttQos }> = {};
        for (const sub of subs) map[sub.topic] = { qos: sub.qos as MqttQos };
        link.mc.subscribe(map, (err: (Error & { packet?: Bag }) | null, _g: unknown, packet?: Bag) => {
          const granted = ((packet ?? err?.packet)?.granted ?? []) as number[];
          if (granted.length === 0 && err) return settle(undefined); // refused before sending (e.g. invalid filter)
          const first = granted[0] ?? 0;
          if (granted.length === 1 && first >= 0x80) {
            // v3: onFailure(code 0x80, message NULL); v5: onFailure5 with code 0 and the reason code
            return settle(v5 ? { code: 0, message: 'failed', reasonCode: first, errorCode: 0, properties: emptyProperties() } : fail('failed', first));
          }
          settle(v5 ? ok('Subscribe5 Success', first, emptyProperties()) : ok('Subscribe Success'));
        });
      });
      return r ?? new NativeFailure();
    };
    return this.complete(work, 'Subscribe fail', callback, 'silent');
  }

  unsubscribe(options: MqttSubscribeOptions): Promise<MqttResponse>;
  unsubscribe(options: MqttSubscribeOptions, callback: AsyncCallback<MqttResponse>): void;
  unsubscribe(options: MqttSubscribeOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    return this.unsubscribeMany(options as unknown as MqttSubscribeOptions[], callback as AsyncCallback<MqttResponse>);
  }

  unsubscribeMany(options: MqttSubscribeOptions[]): Promise<MqttResponse>;
  unsubscribeMany(options: MqttSubscribeOptions[], callback: AsyncCallback<MqttResponse>): void;
  unsubscribeMany(options: MqttSubscribeOptions[], callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      const subs = topicList(options);
      if (!this.connected) return new NativeFailure();
      const link = this.link as Link;
      const v5 = link.version === MQTTVERSION_5;
      const r = await this.wait(emulation.operationWaitMs, (settle) => {
        link.mc.unsubscribe(subs.map((s) => s.topic), (err?: Error) => {
          if (err) return settle(undefined);
          settle(v5 ? ok('UnSubscribe5 Success', 0, emptyProperties()) : ok('UnSubscribe Success'));
        });
      });
      return r ?? new NativeFailure();
    };
    return this.complete(work, 'Unsubscribe fail', callback, 'failed');
  }

  publish(options: MqttPublishOptions): Promise<MqttResponse>;
  publish(options: MqttPublishOptions, callback: AsyncCallback<MqttResponse>): void;
  publish(options: MqttPublishOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      // publish_context.cpp: topic/payload strings, payloadBinary ArrayBuffer, qos uint32, retained bool
      const topic = readString(options, 'topic');
      const binary = readArrayBuffer(options, 'payloadBinary');
      const payload = binary.length > 0 ? binary : Buffer.from(readString(options, 'payload'), 'utf8');
      const qos = readUint32(options, 'qos');
      const retain = readBool(options, 'retained');
      if (!this.connected || qos > 2) return new NativeFailure();
      const link = this.link as Link;
      const v5 = link.version === MQTTVERSION_5;
      const r = await this.wait(emulation.publishWaitMs, (settle) => {
        link.mc.publish(topic, payload, { qos: qos as MqttQos, retain }, (err?: Error) => {
          settle(err ? undefined : v5 ? ok('Publish5 Success', 0, emptyProperties()) : ok('Publish Success'));
        });
      });
      // MQTTAsync_waitForCompletion failed: errorCode MQTT_IS_BROKEN if still connected
      if (r === undefined) return new NativeFailure(fail('Publish fail', -1, this.connected ? MQTT_IS_BROKEN : MQTT_PUBLISH_FAILED));
      return r;
    };
    return this.complete(work, 'Publish fail', callback, 'failed');
  }

  disconnect(): Promise<MqttResponse>;
  disconnect(callback: AsyncCallback<MqttResponse>): void;
  disconnect(callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      if (!this.connected) return new NativeFailure();
      const link = this.link as Link;
      const v5 = link.version === MQTTVERSION_5;
      this.link = undefined;
      await link.closePolitely();
      return v5 ? ok('Disconnect5 Success', 0, emptyProperties()) : ok('Disconnect Success');
    };
    return this.complete(work, 'Disconnect fail', callback, 'failed');
  }

  isConnected(): Promise<boolean> {
    this.alive();
    const c = this.connected;
    return new Promise((r) => setImmediate(() => r(c)));
  }

  reconnect(): Promise<boolean> {
    this.alive();
    return (async (): Promise<boolean> => {
      if (this.destroyed || this.connected) return false;
      const spec = this.lastConnect;
      if (spec === undefined) return false; // inferred (see header)
      if (this.run === undefined) {
        if (spec.cleansession !== 0) this.resetSession();
        this.startRun(spec, true);
      }
      const start = Date.now();
      while (!this.connected && Date.now() - start < emulation.operationWaitMs) {
        if (this.destroyed) return false;
        await sleep(POLL_MS);
      }
      return this.connected;
    })();
  }

  destroy(): Promise<boolean> {
    this.alive();
    return (async (): Promise<boolean> => {
      if (this.destroyed) return false;
      this.destroyed = true;
      this.messageHandler = undefined;
      this.lostHandler = undefined;
      this.inboundQueue = [];
      const run = this.run;
      this.run = undefined;
      run?.abort();
      const link = this.link;
      this.link = undefined;
      this.failPending(undefined);
      if (link) await link.closePolitely();
      return true;
    })();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Waits for an operation's answer up to `ms`; undefined when no answer came. */
  private wait(ms: number, start: (settle: (o: Outcome | undefined) => void) => void): Promise<Outcome | undefined> {
    return new Promise((resolve) => {
      let done = false;
      const settle = (o: Outcome | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.pending.delete(settle);
        resolve(o);
      };
      const timer = setTimeout(() => settle(undefined), ms);
      this.pending.add(settle);
      try {
        start(settle);
      } catch {
        settle(undefined);
      }
    });
  }

  /**
   * Delivers an operation's outcome the way mqtt_client.cpp does: promise resolve/reject (with
   * the response object) after the polling thread notices; or the callback with (undefined, r).
   * `work` returns a NativeFailure when the native call failed before paho answered.
   */
  private complete(work: () => Promise<WorkResult>, failMessage: string, callback: AsyncCallback<MqttResponse> | undefined, onNativeFailure: 'silent' | 'failed'): Promise<MqttResponse> | void {
    if (typeof callback !== 'function') {
      return new Promise<MqttResponse>((resolve, reject) => {
        work().then((r) => {
          const outcome = r instanceof NativeFailure ? r.outcome ?? fail(failMessage) : r;
          setImmediate(() => (outcome.code === 0 ? resolve(promiseResponse(outcome)) : reject(promiseResponse(outcome))));
        }, (e: Error) => setImmediate(() => reject(promiseResponse(fail(`${failMessage}: ${e.message}`)))));
      });
    }
    void work().then((r) => {
      if (r instanceof NativeFailure) {
        // MqttAsyncClient::RejectError: only message and code
        const rejected = { message: 'failed', code: -1 } as unknown as MqttResponse;
        if (onNativeFailure === 'failed') setImmediate(() => callback(undefined, rejected));
        return;
      }
      setImmediate(() => callback(undefined, callbackResponse(r)));
    });
  }
}

function topicList(options: unknown): Array<{ topic: string; qos: number }> {
  // subscribe_context.cpp: an array of {topic, qos} or one object
  const list = Array.isArray(options) ? options : [options];
  return list.map((o) => ({ topic: readString(o, 'topic'), qos: readUint32(o, 'qos') }));
}

function v5Properties(props: unknown): Properties {
  const p = emptyProperties();
  const up = (props as Bag | undefined)?.userProperties as Record<string, string | string[]> | undefined;
  if (up) {
    const list: Array<{ key: string; val: string }> = [];
    for (const [key, v] of Object.entries(up)) for (const val of Array.isArray(v) ? v : [v]) list.push({ key, val: String(val) });
    p.userProperties = list;
  }
  return p;
}

function tlsOptions(ssl: SslSpec, host: string): tls.ConnectionOptions {
  // paho SSLSocket_createContext / SSLSocket_connect, mapped onto Node's TLS options.
  const o: tls.ConnectionOptions = {
    rejectUnauthorized: ssl.enableServerCertAuth,
    checkServerIdentity: ssl.verify ? tls.checkServerIdentity : () => undefined,
  };
  if (net.isIP(host) === 0) o.servername = host;
  const cas: Buffer[] = [];
  // The default trustStore is the device's CA bundle; on a machine without that file, Node's
  // own CA store plays the same role. An explicit trustStore must be readable (else TLS fails).
  if (!(ssl.trustStore === OHOS_CA_PATH && !fs.existsSync(OHOS_CA_PATH))) cas.push(fs.readFileSync(ssl.trustStore));
  if (ssl.caPath) {
    for (const f of fs.readdirSync(ssl.caPath)) {
      const p = path.join(ssl.caPath, f);
      if (fs.statSync(p).isFile()) cas.push(fs.readFileSync(p));
    }
  }
  if (cas.length > 0) o.ca = cas;
  if (ssl.keyStore) o.cert = fs.readFileSync(ssl.keyStore);
  if (ssl.privateKey || ssl.keyStore) o.key = fs.readFileSync(ssl.privateKey || ssl.keyStore);
  if (ssl.privateKeyPassword) o.passphrase = ssl.privateKeyPassword;
  if (ssl.enabledCipherSuites) o.ciphers = ssl.enabledCipherSuites;
  const versions: Record<number, tls.SecureVersion> = { 1: 'TLSv1', 2: 'TLSv1.1', 3: 'TLSv1.2' };
  if (versions[ssl.sslVersion]) {
    o.minVersion = versions[ssl.sslVersion];
    o.maxVersion = versions[ssl.sslVersion];
  }
  return o;
}

// ------------------------------------------------------------------------------------------------

export class MqttAsync {
  /** Synchronous; returns undefined when the native client cannot be created (the demo checks for a falsy value). */
  static createMqtt(options: MqttClientOptions): MqttClient {
    const client = new MqttClient(options);
    return (client.__created ? client : undefined) as MqttClient;
  }
}

export default MqttAsync;
