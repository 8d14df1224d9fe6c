// MqttClient of the @ohos/mqtt double over the real paho.mqtt.c: paho does the protocol, the
// sockets, TLS, the MQTT 3.1 fallback, its timeouts and its threads; this class re-does what the
// wrapper's native layer adds on top (ohos_mqtt mqtt_client.cpp, mqtt_impl.cpp, connect_context.cpp;
// see README.md for the list and the sources). Nothing here decides a protocol outcome itself.
import fs from 'node:fs';
import type {
  MqttClientOptions, MqttConnectOptions, MqttMessage, MqttPublishOptions, MqttQos, MqttResponse,
  MqttSubscribeOptions
} from '../../types/ohos-mqtt';
import { paho, PahoBinding, PahoConnectOptions, PahoEvent, PahoHandle, PahoProperties } from './native';
import { Bag, has, readArrayBuffer, readBool, readInt32, readString, readStringArray, readUint32 } from './napi-values';

type AsyncCallback<T> = (err: Error | undefined, data: T) => void;

/** MQTT 5 properties as the wrapper reports them (userProperties as {key, val} objects). */
export interface Properties {
  contentType?: string;
  userProperties?: Array<{ key: string; val: string }>;
  integerProperties?: number[];
  strProperties?: string[];
}

// The wrapper's native constants (mqtt_impl.h, mqtt_constant.cpp) and paho's (MQTTAsync.h).
const POLL_MS = 10; // MqttImpl::sleepTime_ (10000 us between two looks at the "finished" flag)
const POLL_CYCLES = 1000; // MqttImpl::cyclesCount_: subscribe/unsubscribe/disconnect/reconnect wait ~10 s
const PUBLISH_WAIT_MS = 3000; // MqttImpl::waitCompletionTime_, passed to MQTTAsync_waitForCompletion
const CONNECT_GRACE_SECONDS = 5; // MqttConnect waits (connectTimeout + 5) s
const OHOS_CA_PATH = '/etc/ssl/certs/cacert.pem'; // MqttConstant::OHOS_CA_PATH, the default trustStore
/** Where Linux distributions keep the system CA bundle (Debian first). */
const MACHINE_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];
const MQTTVERSION_DEFAULT = 0;
const MQTTVERSION_5 = 5;
const PERSISTENCE_DEFAULT = 0;
const MQTT_PUBLISH_FAILED = -1;
const MQTT_IS_BROKEN = -2;
/** How long an event already flagged as finished on paho's thread may take to reach JS. */
const EVENT_HOP_LIMIT_MS = 1000;

/** What one native operation produced: paho's answer, or the wrapper's own "<Op> fail". */
interface Outcome {
  code: number;
  message: string;
  reasonCode: number;
  errorCode: number;
  properties?: Properties;
}

/** The native call failed before paho answered (precondition, paho refused, no answer in time). */
class NativeFailure {
  constructor(readonly errorCode = 0) {}
}

type WorkResult = Outcome | NativeFailure;

/** What the callback forms give when the native call fails (MqttAsyncClient::RejectError). */
type OnNativeFailure = 'silent' | 'failed';

const UTF8 = new TextDecoder('utf-8');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function responseProperties(p: PahoProperties): Properties {
  return { contentType: '', userProperties: p.userProperties, integerProperties: p.integerProperties, strProperties: p.strProperties };
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

/** ImplCallBack's response for a paho success or failure event. */
function outcomeOf(e: PahoEvent, successMessage: string, v5: boolean): Outcome {
  const properties = v5 ? responseProperties(e.properties) : undefined;
  if (e.kind === 'success') return { code: 0, message: successMessage, reasonCode: v5 ? e.reasonCode : 0, errorCode: 0, properties };
  return { code: e.code, message: e.message ?? 'failed', reasonCode: v5 ? e.reasonCode : 0, errorCode: 0, properties };
}

/** A promise-based mutex: MqttImpl::mutex_, held by connect, publish and destroy for their whole wait. */
class NativeMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(body: () => Promise<T>): Promise<T> {
    const result = this.tail.then(body, body);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function topicList(options: unknown): Array<{ topic: string; qos: number }> {
  // subscribe_context.cpp: an array of {topic, qos} or one such object
  const list = Array.isArray(options) ? options : [options];
  return list.map((o) => ({ topic: readString(o, 'topic'), qos: readUint32(o, 'qos') }));
}

/** connect_context.cpp ParseConnectOptions/ParseSslOptions/ParseWillOptions, in paho's terms. */
function parseConnectOptions(o: unknown): PahoConnectOptions {
  const version = has(o, 'MQTTVersion') ? readInt32(o, 'MQTTVersion') : MQTTVERSION_DEFAULT;
  // MQTTAsync_connectOptions_initializer5 or _initializer: paho fills every absent field
  const p: PahoConnectOptions = { MQTTVersion: version === MQTTVERSION_5 ? MQTTVERSION_5 : MQTTVERSION_DEFAULT };
  if (has(o, 'password')) p.password = readString(o, 'password');
  if (has(o, 'userName')) p.username = readString(o, 'userName');
  if (has(o, 'connectTimeout')) p.connectTimeout = readInt32(o, 'connectTimeout');
  if (has(o, 'cleanSession')) p.cleansession = readInt32(o, 'cleanSession');
  if (has(o, 'retryInterval')) p.retryInterval = readInt32(o, 'retryInterval');
  if (has(o, 'keepAliveInterval')) p.keepAliveInterval = readInt32(o, 'keepAliveInterval');
  if (has(o, 'serverURIs')) p.serverURIs = readStringArray(o, 'serverURIs');
  if (has(o, 'minRetryInterval')) p.minRetryInterval = readInt32(o, 'minRetryInterval');
  if (has(o, 'maxRetryInterval')) p.maxRetryInterval = readInt32(o, 'maxRetryInterval');
  p.automaticReconnect = 0; // read, then forced off in MqttImpl::GetOptions
  if (has(o, 'sslOptions')) {
    const s = (o as Bag).sslOptions;
    const ssl: NonNullable<PahoConnectOptions['ssl']> = { trustStore: OHOS_CA_PATH };
    if (has(s, 'caPath')) ssl.CApath = readString(s, 'caPath');
    if (has(s, 'trustStore')) ssl.trustStore = readString(s, 'trustStore');
    if (has(s, 'keyStore')) ssl.keyStore = readString(s, 'keyStore');
    if (has(s, 'privateKey')) ssl.privateKey = readString(s, 'privateKey');
    if (has(s, 'privateKeyPassword')) ssl.privateKeyPassword = readString(s, 'privateKeyPassword');
    if (has(s, 'enabledCipherSuites')) ssl.enabledCipherSuites = readString(s, 'enabledCipherSuites');
    if (has(s, 'enableServerCertAuth')) ssl.enableServerCertAuth = readBool(s, 'enableServerCertAuth') ? 1 : 0;
    if (has(s, 'verify')) ssl.verify = readBool(s, 'verify') ? 1 : 0;
    if (has(s, 'sslVersion')) ssl.sslVersion = readInt32(s, 'sslVersion');
    p.ssl = ssl;
  }
  if (has(o, 'willOptions')) {
    const w = (o as Bag).willOptions;
    const will: NonNullable<PahoConnectOptions['will']> = {};
    if (has(w, 'topicName')) will.topicName = readString(w, 'topicName');
    if (has(w, 'message')) will.message = readString(w, 'message');
    if (has(w, 'retained')) will.retained = readInt32(w, 'retained');
    if (has(w, 'qos')) will.qos = readInt32(w, 'qos');
    p.will = will;
  }
  return p;
}

/**
 * The device's CA bundle (the wrapper's default trustStore) is not on a Linux test machine, and paho
 * fails every TLS connect whose trustStore cannot be loaded, even with server checks off: the
 * machine's own bundle plays its part here. An explicit trustStore is passed as it is.
 */
function machineTrustStore(p: PahoConnectOptions): PahoConnectOptions {
  if (p.ssl?.trustStore !== OHOS_CA_PATH || fs.existsSync(OHOS_CA_PATH)) return p;
  const bundle = MACHINE_CA_BUNDLES.find((f) => fs.existsSync(f));
  return bundle === undefined ? p : { ...p, ssl: { ...p.ssl, trustStore: bundle } };
}

/** The connect timeout paho will use (its initializer's 30 s unless given). */
function effectiveConnectTimeout(p: PahoConnectOptions): number {
  return p.connectTimeout ?? 30;
}

/** A request's event, awaited the way the wrapper polls its "finished" flag. */
interface Expectation {
  /** The event, noticed at the next 10 ms poll; undefined when `cycles` polls saw nothing. */
  wait(cycles: number): Promise<PahoEvent | undefined>;
  /** The event as soon as it reaches JS (its "finished" flag was already seen); undefined after `ms`. */
  arrival(ms: number): Promise<PahoEvent | undefined>;
  cancel(): void;
}

export class MqttClient {
  private readonly lib: PahoBinding | undefined;
  private readonly handle: PahoHandle | undefined;
  /** MqttImpl::initialized_: false when creation failed and after destroy. */
  private initialized = false;
  private readonly created: boolean;
  /** The MQTTVersion given at creation: it selects the MQTT 5 callbacks of every operation. */
  private readonly v5: boolean;
  private messageHandler: AsyncCallback<MqttMessage> | undefined;
  private lostHandler: AsyncCallback<MqttResponse> | undefined;
  private readonly expected = new Map<number, (e: PahoEvent) => void>();
  private nextRequest = 1;
  private readonly mutex = new NativeMutex();

  constructor(options: MqttClientOptions) {
    // MqttAsyncClient::Construct -> ParseClientOptions -> MqttImpl::Initialize
    const url = readString(options, 'url');
    const clientId = readString(options, 'clientId');
    const persistence = readUint32(options, 'persistenceType');
    const version = has(options, 'MQTTVersion') ? readUint32(options, 'MQTTVersion') : MQTTVERSION_DEFAULT;
    this.v5 = version === MQTTVERSION_5;
    // paho's file persistence (0) would write into the working directory: refused here (see README)
    if (persistence === PERSISTENCE_DEFAULT) {
      this.created = false;
      return;
    }
    this.lib = paho();
    const h = this.lib.create(url, clientId, persistence, version, this.onEvent);
    this.created = typeof h !== 'number';
    if (typeof h !== 'number') {
      this.handle = h;
      this.initialized = true;
    }
  }

  /** @internal used by MqttAsync.createMqtt. */
  get __created(): boolean {
    return this.created;
  }

  private alive(): void {
    if (!this.created) throw new Error('@ohos/mqtt paho double: the native client was not created (bad url, clientId or persistenceType)');
  }

  private get native(): { lib: PahoBinding; h: PahoHandle } {
    return { lib: this.lib as PahoBinding, h: this.handle as PahoHandle };
  }

  /** MqttImpl::IsConnected: MQTTAsync_isConnected once initialized. */
  private pahoConnected(): boolean {
    return this.initialized && this.native.lib.isConnected(this.native.h);
  }

  // ---- events from paho's threads -------------------------------------------------------------

  private readonly onEvent = (e: PahoEvent): void => {
    if (e.kind === 'message') this.onMessage(e);
    else if (e.kind === 'lost') this.onLost(e);
    else {
      const taker = this.expected.get(e.request);
      this.expected.delete(e.request);
      taker?.(e); // nobody waiting any more (the wrapper gave up): dropped, as IsComplete false does
    }
  };

  private expect(request: number): Expectation {
    let event: PahoEvent | undefined;
    let wake: (() => void) | undefined;
    this.expected.set(request, (e) => {
      event = e;
      wake?.();
    });
    return {
      cancel: () => {
        this.expected.delete(request);
      },
      wait: (cycles: number) => new Promise<PahoEvent | undefined>((resolve) => {
        // while (!finished && ++count < cycles) usleep(10 ms): looks at 10, 20, ... (cycles-1)*10 ms
        const start = Date.now();
        const limit = Math.max(0, cycles - 1) * POLL_MS;
        let timer: NodeJS.Timeout | undefined;
        const finish = (): void => {
          clearTimeout(timer);
          this.expected.delete(request);
          resolve(event);
        };
        wake = () => {
          const elapsed = Date.now() - start;
          if (elapsed >= limit) return;
          clearTimeout(timer);
          timer = setTimeout(finish, Math.ceil((elapsed + 0.001) / POLL_MS) * POLL_MS - elapsed);
        };
        if (event !== undefined) wake();
        else timer = setTimeout(finish, limit);
      }),
      arrival: (ms: number) => new Promise<PahoEvent | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.expected.delete(request);
          resolve(event);
        }, ms);
        wake = () => {
          clearTimeout(timer);
          resolve(event);
        };
        if (event !== undefined) wake();
      }),
    };
  }

  private onMessage(e: PahoEvent): void {
    const handler = this.messageHandler;
    if (!this.initialized || handler === undefined) return; // paho consumed it (returned 1): lost
    const bytes = new Uint8Array(e.payload as ArrayBuffer);
    const nul = bytes.indexOf(0);
    const msg: MqttMessage = {
      topic: e.topic ?? '',
      // SetStringPropertyUtf8 of the std::string: the text stops at the first NUL byte
      payload: UTF8.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes),
      payloadBinary: e.payload as ArrayBuffer,
      qos: (e.qos ?? 0) as MqttQos,
      retained: e.retained ?? 0,
      dup: e.dup ?? 0,
      msgid: e.msgid ?? 0,
      properties: {
        contentType: bytes.length > 0 ? 'application/json' : '',
        userProperties: e.properties.userProperties,
        integerProperties: [],
        strProperties: [],
      } as unknown as MqttMessage['properties'],
    };
    handler(undefined, msg); // an exception here is uncaught, as in the app's native callback
  }

  private onLost(e: PahoEvent): void {
    const handler = this.lostHandler;
    if (!this.initialized || handler === undefined) return;
    handler(undefined, callbackResponse({ code: 0, message: e.message ?? 'null', reasonCode: 0, errorCode: 0 }));
  }

  // ---- registration ---------------------------------------------------------------------------

  /** AddListener (a later one replaces the earlier), then paho's setter; a refusal leaves no handler. */
  messageArrived(callback: AsyncCallback<MqttMessage>): void {
    this.alive();
    if (typeof callback !== 'function') return; // "param error"
    this.messageHandler = callback;
    const rc = this.initialized ? this.native.lib.setMessageArrived(this.native.h) : -1;
    if (rc !== 0) this.messageHandler = undefined; // DeleteListener
  }

  connectLost(callback: AsyncCallback<MqttResponse>): void {
    this.alive();
    if (typeof callback !== 'function') return;
    this.lostHandler = callback;
    const rc = this.initialized ? this.native.lib.setConnectionLost(this.native.h) : -1;
    if (rc !== 0) this.lostHandler = undefined;
  }

  /**
   * Accepted and ignored: the wrapper sends paho's trace to hilog, which would flood test output
   * here. QUOTEDECK_PAHO_TRACE=<level> turns paho's trace on for a whole run instead (native.ts).
   */
  setMqttTrace(level: number): void {
    this.alive();
    void level;
  }

  // ---- operations -----------------------------------------------------------------------------

  connect(options: MqttConnectOptions): Promise<MqttResponse>;
  connect(options: MqttConnectOptions, callback: AsyncCallback<MqttResponse>): void;
  connect(options: MqttConnectOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const opts = machineTrustStore(parseConnectOptions(options)); // parsed on the calling thread, before the work runs
    const work = (): Promise<WorkResult> => this.mutex.run(async () => {
      // MqttImpl::MqttConnect: CheckConnecte, GetOptions, MQTTAsync_connect, wait (connectTimeout + 5) s
      if (this.pahoConnected() || !this.initialized) return new NativeFailure();
      const { lib, h } = this.native;
      const request = this.nextRequest++;
      const expectation = this.expect(request);
      const rc = lib.connect(h, opts, request);
      if (rc !== 0) {
        expectation.cancel();
        return new NativeFailure();
      }
      const cycles = Math.trunc(((effectiveConnectTimeout(opts) + CONNECT_GRACE_SECONDS) * 1000 * 1000) / (POLL_MS * 1000));
      const e = await expectation.wait(cycles);
      if (e === undefined) return new NativeFailure(); // paho goes on; its late answer is dropped
      const v5 = opts.MQTTVersion === MQTTVERSION_5;
      return outcomeOf(e, v5 ? 'Connect5 Success' : 'Connect Success', v5);
    });
    return this.complete(work, 'Connect fail', callback, 'silent');
  }

  subscribe(options: MqttSubscribeOptions): Promise<MqttResponse>;
  subscribe(options: MqttSubscribeOptions, callback: AsyncCallback<MqttResponse>): void;
  subscribe(options: MqttSubscribeOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    return this.subscribeMany(options as unknown as MqttSubscribeOptions[], callback as AsyncCallback<MqttResponse>);
  }

  subscribeMany(options: MqttSubscribeOptions[]): Promise<MqttResponse>;
  subscribeMany(options: MqttSubscribeOptions[], callback: AsyncCallback<MqttResponse>): void;
  subscribeMany(options: MqttSubscribeOptions[], callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const subs = topicList(options);
    const work = async (): Promise<WorkResult> => {
      // MqttImpl::MqttSubscribe: no lock; IsConnected, MQTTAsync_subscribeMany, wait 1000 x 10 ms
      if (!this.pahoConnected()) return new NativeFailure();
      const { lib, h } = this.native;
      const request = this.nextRequest++;
      const expectation = this.expect(request);
      const rc = lib.subscribeMany(h, subs.map((s) => s.topic), subs.map((s) => s.qos), request, this.v5);
      if (rc !== 0) {
        expectation.cancel();
        return new NativeFailure();
      }
      const e = await expectation.wait(POLL_CYCLES);
      return e === undefined ? new NativeFailure() : outcomeOf(e, this.v5 ? 'Subscribe5 Success' : 'Subscribe Success', this.v5);
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
    const topics = topicList(options).map((s) => s.topic);
    const work = async (): Promise<WorkResult> => {
      if (!this.pahoConnected()) return new NativeFailure();
      const { lib, h } = this.native;
      const request = this.nextRequest++;
      const expectation = this.expect(request);
      const rc = lib.unsubscribeMany(h, topics, request, this.v5);
      if (rc !== 0) {
        expectation.cancel();
        return new NativeFailure();
      }
      // MqttUnsubscribe reuses the topic count as its loop counter: 1000 - n looks
      const e = await expectation.wait(POLL_CYCLES - topics.length);
      return e === undefined ? new NativeFailure() : outcomeOf(e, this.v5 ? 'UnSubscribe5 Success' : 'UnSubscribe Success', this.v5);
    };
    return this.complete(work, 'Unsubscribe fail', callback, 'failed');
  }

  publish(options: MqttPublishOptions): Promise<MqttResponse>;
  publish(options: MqttPublishOptions, callback: AsyncCallback<MqttResponse>): void;
  publish(options: MqttPublishOptions, callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    // publish_context.cpp: topic and payload strings, payloadBinary ArrayBuffer, qos uint32, retained bool
    const topic = readString(options, 'topic');
    const binary = readArrayBuffer(options, 'payloadBinary');
    const payload = binary.byteLength > 0 ? binary : new TextEncoder().encode(readString(options, 'payload')).buffer as ArrayBuffer;
    const qos = readUint32(options, 'qos');
    const retained = readBool(options, 'retained') ? 1 : 0;
    const userProperties = publishUserProperties(options);
    const work = (): Promise<WorkResult> => this.mutex.run(async () => {
      // MqttImpl::MqttPublish: IsConnected, MQTTAsync_sendMessage, MQTTAsync_waitForCompletion(3000)
      if (!this.pahoConnected()) return new NativeFailure();
      const { lib, h } = this.native;
      const request = this.nextRequest++;
      const expectation = this.expect(request);
      const [rc, token] = lib.sendMessage(h, topic, payload, qos, retained, request, this.v5, userProperties);
      if (rc !== 0) {
        expectation.cancel();
        return new NativeFailure();
      }
      const done = await lib.waitForCompletion(h, token, PUBLISH_WAIT_MS, request);
      if (done.rc !== 0 || done.finished === 0) {
        expectation.cancel();
        const broken = done.finished === 0 && done.rc === -1 && this.pahoConnected();
        return new NativeFailure(broken ? MQTT_IS_BROKEN : MQTT_PUBLISH_FAILED);
      }
      // the callback ran on paho's thread before the wait ended; its event is on the way
      const e = await expectation.arrival(EVENT_HOP_LIMIT_MS);
      return e === undefined ? new NativeFailure(MQTT_PUBLISH_FAILED) : outcomeOf(e, this.v5 ? 'Publish5 Success' : 'Publish Success', this.v5);
    });
    return this.complete(work, 'Publish fail', callback, 'failed');
  }

  disconnect(): Promise<MqttResponse>;
  disconnect(callback: AsyncCallback<MqttResponse>): void;
  disconnect(callback?: AsyncCallback<MqttResponse>): Promise<MqttResponse> | void {
    this.alive();
    const work = async (): Promise<WorkResult> => {
      // MqttImpl::MqttDisconnect: IsConnected, MQTTAsync_disconnect (timeout 0, onSuccess only), wait ~10 s
      if (!this.pahoConnected()) return new NativeFailure();
      const { lib, h } = this.native;
      const request = this.nextRequest++;
      const expectation = this.expect(request);
      const rc = lib.disconnect(h, 0, request, this.v5);
      if (rc !== 0) {
        expectation.cancel();
        return new NativeFailure();
      }
      const e = await expectation.wait(POLL_CYCLES);
      return e === undefined ? new NativeFailure() : outcomeOf(e, this.v5 ? 'Disconnect5 Success' : 'Disconnect Success', this.v5);
    };
    return this.complete(work, 'Disconnect fail', callback, 'failed');
  }

  /** MqttImpl::IsConnected on a worker, resolved on a later turn. */
  isConnected(): Promise<boolean> {
    this.alive();
    return new Promise((resolve) => setImmediate(() => resolve(this.pahoConnected())));
  }

  /** MqttImpl::MqttReConnect: MQTTAsync_reconnect (paho re-runs its stored connect), then polls ~10 s. */
  reconnect(): Promise<boolean> {
    this.alive();
    return (async (): Promise<boolean> => {
      await new Promise<void>((r) => setImmediate(r));
      if (!this.initialized || this.pahoConnected()) return false;
      const { lib, h } = this.native;
      if (lib.reconnect(h) !== 0) return false;
      for (let count = 1; !this.pahoConnected() && count < POLL_CYCLES; count++) {
        await sleep(POLL_MS);
        if (!this.initialized) return false;
      }
      return this.pahoConnected();
    })();
  }

  /** MqttImpl::Destroy: under the native mutex (it waits for a running connect or publish), MQTTAsync_destroy. */
  destroy(): Promise<boolean> {
    this.alive();
    return this.mutex.run(async () => {
      if (!this.initialized) return false;
      this.initialized = false;
      this.expected.clear();
      await this.native.lib.destroy(this.native.h);
      return true;
    });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /**
   * Delivers an operation's result the way mqtt_client.cpp does: the promise form resolves on
   * code 0 and rejects with the response object otherwise (MqttResponseComplete, on a later turn);
   * the callback form calls back with (undefined, response), or after a native failure either not
   * at all (connect, subscribe) or with {message "failed", code -1} (RejectError).
   */
  private complete(work: () => Promise<WorkResult>, failMessage: string, callback: AsyncCallback<MqttResponse> | undefined,
    onNativeFailure: OnNativeFailure): Promise<MqttResponse> | void {
    if (typeof callback !== 'function') {
      return new Promise<MqttResponse>((resolve, reject) => {
        void work().then((r) => {
          const outcome: Outcome = r instanceof NativeFailure ? { code: -1, message: failMessage, reasonCode: 0, errorCode: r.errorCode } : r;
          setImmediate(() => (outcome.code === 0 ? resolve(promiseResponse(outcome)) : reject(promiseResponse(outcome))));
        });
      });
    }
    void work().then((r) => {
      if (r instanceof NativeFailure) {
        if (onNativeFailure === 'failed') setImmediate(() => callback(undefined, { message: 'failed', code: -1 } as unknown as MqttResponse));
        return;
      }
      setImmediate(() => callback(undefined, callbackResponse(r)));
    });
  }
}

/** MQTT 5 user properties of a publish, as [key, value] pairs or {key, val} objects. */
function publishUserProperties(options: unknown): Array<[string, string]> {
  const props = has(options, 'properties') ? (options as Bag).properties : undefined;
  const list = has(props, 'userProperties') ? (props as Bag).userProperties : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((p): [string, string] => (Array.isArray(p) ? [String(p[0] ?? ''), String(p[1] ?? '')] : [readString(p, 'key'), readString(p, 'val')]));
}
