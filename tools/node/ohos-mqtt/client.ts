// MqttClient: the library's client API over the pieces of this folder. It keeps paho's client
// state: the link (connect/link.ts), the connect run (3.1.1 then 3.1, or 5 only), the session
// (store.ts), the message hand-over (delivery.ts) and the operations waiting for an answer.
import type {
  MqttClientOptions, MqttConnectOptions, MqttMessage, MqttPublishOptions, MqttQos, MqttResponse, MqttSubscribeOptions
} from '../../types/ohos-mqtt';
import {
  MQTTASYNC_OPERATION_INCOMPLETE, MQTTVERSION_3_1, MQTTVERSION_3_1_1, MQTTVERSION_5, MQTTVERSION_DEFAULT,
  MQTT_IS_BROKEN, MQTT_PUBLISH_FAILED
} from './codes';
import { AttemptResult, Link, attempt } from './connect/link';
import { ConnectSpec, checkConnectSpec, parseConnectOptions } from './connect/options';
import { UrlInfo, parseUrl } from './connect/url';
import { MessageDelivery } from './delivery';
import { toMqttMessage } from './handlers/publish';
import { Bag, has, readArrayBuffer, readBool, readString, readUint32, topicList } from './napi';
import {
  AsyncCallback, NativeFailure, Outcome, WorkResult, callbackResponse, complete, emptyProperties, fail, ok
} from './responses';
import { POLL_MS, emulation } from './settings';
import { Session } from './store';

interface ConnectRun {
  promise: Promise<AttemptResult>;
  abort(): void;
  background: boolean;
  /** When its first attempt starts (epoch ms), or 0 once it has started. */
  startsAt(): number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class MqttClient {
  private readonly initialized: boolean;
  private destroyed = false;
  private readonly url: UrlInfo | undefined;
  private readonly clientId: string;
  private readonly createVersion: number;
  private lostHandler: AsyncCallback<MqttResponse> | undefined;
  private readonly delivery = new MessageDelivery();
  private link: Link | undefined;
  private run: ConnectRun | undefined;
  private lastConnect: ConnectSpec | undefined;
  private readonly session = new Session();
  private readonly pending = new Set<(o: Outcome | undefined) => void>();
  private traceLevel = 0;

  constructor(options: MqttClientOptions) {
    // mqtt_client.cpp Construct -> MqttImpl::Initialize -> MQTTAsync_createWithOptions
    this.url = parseUrl(readString(options, 'url'));
    this.clientId = readString(options, 'clientId');
    const persistence = readUint32(options, 'persistenceType');
    this.createVersion = has(options, 'MQTTVersion') && readUint32(options, 'MQTTVersion') === MQTTVERSION_5 ? MQTTVERSION_5 : MQTTVERSION_DEFAULT;
    // an empty host is created too; its connect fails (link.ts)
    this.initialized = this.url !== undefined && persistence === 1;
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
    this.delivery.setHandler(undefined);
    if (this.destroyed || this.run !== undefined) return;
    this.delivery.setHandler(callback);
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
      // paho's own 3.1 reconnect after a loss, still waiting for its turn: this connect takes its
      // place and its turn (measured: one 3.1.1 CONNECT ~1.1 s after the loss, our callbacks). One
      // already on the wire is abandoned (inferred).
      const pendingUntil = this.run?.startsAt() ?? 0;
      if (this.run !== undefined) this.run.abort();
      this.lastConnect = spec;
      if (spec.cleansession !== 0) this.session.reset();
      const run = this.startRun(spec, false, undefined, Math.max(0, pendingUntil - Date.now()));
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
      // paho reports a refused MQTT 5 CONNACK with code = its reason code and reasonCode 0
      return { code: first.code, message: first.message, reasonCode: 0, errorCode: 0 };
    };
    return complete(work, 'Connect fail', callback, 'silent');
  }

  /**
   * Runs paho's connect command: 3.1.1 then 3.1 (MQTTVERSION_DEFAULT), or 5 only; the first attempt
   * after `delayMs`, the 3.1 retry emulation.mqtt31RetryDelayMs after a failed 3.1.1 attempt.
   */
  private startRun(spec: ConnectSpec, background: boolean, versions?: number[], delayMs = 0): ConnectRun {
    let aborted = false;
    let current: Link | undefined;
    let startsAt = Date.now() + delayMs;
    let wake: (() => void) | undefined;
    const pause = (ms: number): Promise<void> => new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const order = versions ?? (spec.mqttVersion === MQTTVERSION_5 ? [MQTTVERSION_5] : emulation.mqtt31Fallback ? [MQTTVERSION_3_1_1, MQTTVERSION_3_1] : [MQTTVERSION_3_1_1]);
    const run: ConnectRun = {
      background,
      startsAt: () => startsAt,
      abort: () => {
        aborted = true;
        wake?.();
        current?.destroy();
      },
      promise: (async (): Promise<AttemptResult> => {
        let result: AttemptResult = { ok: false, code: -1, message: 'failed' };
        for (const [i, version] of order.entries()) {
          await pause(i === 0 ? delayMs : emulation.mqtt31RetryDelayMs);
          startsAt = 0;
          if (aborted || this.destroyed) return { ok: false, code: -1, message: 'failed' };
          result = await attempt({
            url: this.url as UrlInfo,
            clientId: this.clientId,
            spec,
            version,
            session: this.session,
            onLink: (l) => {
              current = l;
            },
            onPublish: this.onPublish,
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
    // after every packet handled, paho's receive thread hands over one queued message (delivery.ts)
    link.mc.on('packetreceive', () => setImmediate(() => this.delivery.afterPacket()));
    link.mc.on('close', () => this.onLinkClosed(link, spec));
    if (link.closed) this.onLinkClosed(link, spec);
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
    // paho queues a connect with MQTT 3.1, without callbacks, which runs on its next turn.
    if (emulation.mqtt31Fallback && spec.mqttVersion === MQTTVERSION_DEFAULT && link.version === MQTTVERSION_3_1_1 && this.run === undefined) {
      this.startRun(spec, true, [MQTTVERSION_3_1], emulation.mqtt31RetryDelayMs);
    }
  }

  private failPending(o: Outcome | undefined): void {
    for (const settle of [...this.pending]) settle(o);
  }

  /** A PUBLISH off a link (already acknowledged by paho): to the JS thread. */
  private readonly onPublish = (link: Link, packet: Bag): void => {
    if (this.destroyed) return;
    const msg = toMqttMessage(link.version, packet);
    if (msg !== undefined) this.delivery.receive(msg);
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
          // the link closed before the SUBACK: paho gives no answer (a clean session's request was
          // failed at the loss already); the wait ends it
          if (granted.length === 0 && err && link.closed) return;
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
    return complete(work, 'Subscribe fail', callback, 'silent');
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
          if (err && link.closed) return; // no answer from paho, as for subscribe
          if (err) return settle(undefined);
          settle(v5 ? ok('UnSubscribe5 Success', 0, emptyProperties()) : ok('UnSubscribe Success'));
        });
      });
      return r ?? new NativeFailure();
    };
    return complete(work, 'Unsubscribe fail', callback, 'failed');
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
    return complete(work, 'Publish fail', callback, 'failed');
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
    return complete(work, 'Disconnect fail', callback, 'failed');
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
      if (spec === undefined) return false; // inferred (see index.ts)
      if (this.run === undefined) {
        if (spec.cleansession !== 0) this.session.reset();
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
      this.delivery.close();
      this.lostHandler = undefined;
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
}

/** The package's factory. */
export class MqttAsync {
  /** Synchronous; returns undefined when the native client cannot be created (the demo checks for a falsy value). */
  static createMqtt(options: MqttClientOptions): MqttClient {
    const client = new MqttClient(options);
    return (client.__created ? client : undefined) as MqttClient;
  }
}
