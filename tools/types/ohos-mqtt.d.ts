// module: @ohos/mqtt
//
// Our own declarations of the ohpm package @ohos/mqtt (OpenHarmony-TPC ohos_mqtt, a NAPI wrapper
// over paho.mqtt.c), used only by `npm run check` (tools/check/arkts.mjs maps the module name to
// this file). On a device the package's own declarations apply, so this file must not declare
// anything the package does not export.
//
// Written from: the package's NAPI typings (index.d.ts of libmqttasync.so: option, result and
// client shapes, overloads, the local AsyncCallback), its README, and the export list checked
// against the 2.0.24 package build (docs/harmonyos-api-facts.md §1.2). The package root exports as
// values only MqttAsync, MqttClient and MQTT_SSL_VERSION, and as types MqttClientOptions,
// MqttConnectOptions, MqttSubscribeOptions, MqttPublishOptions, MqttResponse, MqttMessage, MqttQos
// and MqttPersistenceType. Properties, UserPropertiesType and MQTTASYNC_TRACE_LEVELS are declared
// below because the exported shapes use them, but they are not exported (as in the package):
// pass the trace level as a number, e.g. setMqttTrace(6).
//
// Runtime facts the typings do not tell (read in the native sources; see the header of
// tools/node/ohos-mqtt/index.ts for the full list, which the Node doubles follow):
// - The promise forms reject with the MqttResponse object itself (not an Error) when code != 0.
// - The callback forms call back with err === undefined and a response whose `code` says whether
//   it failed; the callback response has no `errorCode`.
// - cleanSession and willOptions.retained are read natively as int32: a boolean value is ignored
//   and read as 0. Omit cleanSession to get a clean session (the paho default).
// - An ssl:// or wss:// connect without sslOptions is refused (paho MQTTASYNC_NULL_PARAMETER).

/** The package's own callback type (declared locally in its typings, like @ohos.base's). */
interface AsyncCallback<T> {
  (err: Error, data: T): void;
}

/** 0 = at most once, 1 = at least once, 2 = exactly once. */
export type MqttQos = 0 | 1 | 2;

/** 0 = file persistence (not supported), 1 = in memory (the only supported value), 2 = custom (not supported). */
export type MqttPersistenceType = 0 | 1 | 2;

/** Trace levels for setMqttTrace (not exported by the package: pass the number). */
declare enum MQTTASYNC_TRACE_LEVELS {
  MQTTASYNC_TRACE_MAXIMUM = 1,
  MQTTASYNC_TRACE_MEDIUM,
  MQTTASYNC_TRACE_MINIMUM,
  MQTTASYNC_TRACE_PROTOCOL,
  MQTTASYNC_TRACE_ERROR,
  MQTTASYNC_TRACE_SEVERE,
  MQTTASYNC_TRACE_FATAL
}

/** The SSL/TLS version to use: 0 default, 1 TLS 1.0, 2 TLS 1.1, 3 TLS 1.2. */
export declare enum MQTT_SSL_VERSION {
  MQTT_SSL_VERSION_DEFAULT = 0,
  MQTT_SSL_VERSION_TLS_1_0,
  MQTT_SSL_VERSION_TLS_1_1,
  MQTT_SSL_VERSION_TLS_1_2
}

type UserPropertiesType = [string, string];

/** MQTT 5 properties. */
type Properties = {
  contentType?: string;
  userProperties?: UserPropertiesType[];
  integerProperties?: number[];
  strProperties?: string[];
};

export interface MqttClientOptions {
  /** protocol://host:port where protocol is tcp, ssl, ws or wss, e.g. tcp://localhost:1883. */
  url: string;
  /** The client identifier passed to the server (UTF-8). */
  clientId: string;
  /** Only 1 (in-memory) is supported. */
  persistenceType?: MqttPersistenceType;
  /** 0 = 3.1.1 then fall back to 3.1 (default), 3 = 3.1 only, 4 = 3.1.1 only, 5 = MQTT 5 only. */
  MQTTVersion?: number;
}

export interface MqttConnectOptions {
  /** Default true (paho's). Read natively as an int32: see the note at the top of this file. */
  cleanSession?: boolean;
  /** Seconds, default 30. */
  connectTimeout?: number;
  /** Seconds, default 60. */
  keepAliveInterval?: number;
  serverURIs?: Array<string>;
  /** Default 0. */
  retryInterval?: number;
  sslOptions?: {
    /** Verify the server certificate chain; default true. */
    enableServerCertAuth?: boolean;
    /** Verify that the certificate names the host; default false. */
    verify?: boolean;
    /** A directory of CA certificates in PEM format. */
    caPath?: string;
    /** A PEM file of trusted CA certificates; default /etc/ssl/certs/cacert.pem (the device store). */
    trustStore?: string;
    /** A PEM file with the client certificate chain (and possibly its key). */
    keyStore?: string;
    /** A PEM file with the client private key, when not in keyStore. */
    privateKey?: string;
    privateKeyPassword?: string;
    /** OpenSSL cipher list; default "ALL" without the non-encrypting suites. */
    enabledCipherSuites?: string;
    sslVersion?: MQTT_SSL_VERSION;
  };
  willOptions?: {
    topicName: string;
    message: string;
    /** Read natively as an int32: a boolean value is read as 0 (not retained). */
    retained?: boolean;
    qos?: MqttQos;
  };
  /** Read natively only to choose MQTT 5 (5); any other value keeps the 3.1.1-then-3.1 default. */
  MQTTVersion?: number;
  /** Currently not supported (forced off natively). */
  automaticReconnect?: boolean;
  /** Seconds, default 1. */
  minRetryInterval?: number;
  /** Seconds, default 60. */
  maxRetryInterval?: number;
  /** The user name (capital N); optional since 2.0.23. */
  userName?: string;
  password?: string;
}

export interface MqttSubscribeOptions {
  topic: string;
  qos: MqttQos;
}

export interface MqttPublishOptions {
  topic: string;
  /** Sent when payloadBinary is absent or empty. */
  payload?: string;
  payloadBinary?: ArrayBuffer;
  qos: MqttQos;
  /** MQTT 5 only. */
  properties?: Properties;
  retained?: boolean;
  /** Output only. */
  dup?: boolean;
  /** Output only. */
  msgid?: number;
}

export interface MqttResponse {
  message: string;
  /** 0 on success. */
  code: number;
  errorCode: number;
  /** MQTT 5 reason code. */
  reasonCode: number;
  /** MQTT 5 properties. */
  properties: Properties;
}

export interface MqttMessage {
  topic: string;
  /** The payload as a UTF-8 string (cut at the first NUL byte natively). */
  payload: string;
  /** Exactly the payload bytes. */
  payloadBinary: ArrayBuffer;
  qos: MqttQos;
  /** 1 when the broker sent a retained message, else 0. */
  retained: number;
  /** 1 when the broker flagged the message as a re-delivery, else 0. */
  dup: number;
  msgid: number;
  properties: Properties;
}

export declare class MqttClient {
  constructor(options: MqttClientOptions);

  connect(options: MqttConnectOptions, callback: AsyncCallback<MqttResponse>): void;
  connect(options: MqttConnectOptions): Promise<MqttResponse>;

  /** Frees the native client; it cannot be used afterwards. */
  destroy(): Promise<boolean>;

  disconnect(callback: AsyncCallback<MqttResponse>): void;
  disconnect(): Promise<MqttResponse>;

  /** Registers the message handler (a later registration replaces it). */
  messageArrived(callback: AsyncCallback<MqttMessage>): void;

  /** Registers the handler for a connection lost without the application asking. */
  connectLost(callback: AsyncCallback<MqttResponse>): void;

  publish(options: MqttPublishOptions, callback: AsyncCallback<MqttResponse>): void;
  publish(options: MqttPublishOptions): Promise<MqttResponse>;

  subscribe(options: MqttSubscribeOptions, callback: AsyncCallback<MqttResponse>): void;
  subscribe(options: MqttSubscribeOptions): Promise<MqttResponse>;

  subscribeMany(options: MqttSubscribeOptions[], callback: AsyncCallback<MqttResponse>): void;
  subscribeMany(options: MqttSubscribeOptions[]): Promise<MqttResponse>;

  unsubscribe(options: MqttSubscribeOptions, callback: AsyncCallback<MqttResponse>): void;
  unsubscribe(options: MqttSubscribeOptions): Promise<MqttResponse>;

  unsubscribeMany(options: MqttSubscribeOptions[], callback: AsyncCallback<MqttResponse>): void;
  unsubscribeMany(options: MqttSubscribeOptions[]): Promise<MqttResponse>;

  isConnected(): Promise<boolean>;

  /** Reconnects with the options of the last connect(); resolves whether the client is connected. */
  reconnect(): Promise<boolean>;

  /** Trace level for hilog: 1 (maximum) .. 7 (fatal). */
  setMqttTrace(level: MQTTASYNC_TRACE_LEVELS): void;
}

export declare class MqttAsync {
  /** Synchronous. The official demo treats a falsy result as failure. */
  static createMqtt(options: MqttClientOptions): MqttClient;
}
