// Connect options as the wrapper parses them into paho's MQTTAsync_connectOptions
// ([napi] connect_context.cpp ParseConnectOptions, ParseSslOptions, ParseWillOptions; [paho]
// MQTTAsync_connectOptions_initializer defaults) and paho's synchronous checks of them.
import {
  MQTTASYNC_BAD_MQTT_OPTION, MQTTASYNC_BAD_QOS, MQTTASYNC_BAD_STRUCTURE, MQTTASYNC_NULL_PARAMETER,
  MQTTASYNC_WRONG_MQTT_VERSION, MQTTVERSION_5, MQTTVERSION_DEFAULT, OHOS_CA_PATH
} from '../codes';
import { Bag, has, readBool, readInt32, readString } from '../napi';
import type { UrlInfo } from './url';

export interface SslSpec {
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

export interface WillSpec {
  topicName: string;
  message: string;
  retained: number;
  qos: number;
}

export interface ConnectSpec {
  mqttVersion: number; // 5 or MQTTVERSION_DEFAULT
  cleansession: number;
  connectTimeout: number;
  keepAliveInterval: number;
  userName: string | undefined;
  password: string | undefined;
  ssl: SslSpec | undefined;
  will: WillSpec | undefined;
}

export function parseConnectOptions(o: unknown): ConnectSpec {
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
export function checkConnectSpec(spec: ConnectSpec, url: UrlInfo, createVersion: number): number {
  if ((url.scheme === 'ssl' || url.scheme === 'wss') && spec.ssl === undefined) return MQTTASYNC_NULL_PARAMETER;
  // paho refuses an MQTT 5 connect on a client not created for MQTT 5; the reverse (an MQTT 5 client
  // connecting with the default version) is accepted (measured with paho 1.3.12, conformance test)
  if (spec.mqttVersion === MQTTVERSION_5 && createVersion !== MQTTVERSION_5) return MQTTASYNC_WRONG_MQTT_VERSION;
  if (spec.mqttVersion === MQTTVERSION_5 && spec.cleansession !== 0) return MQTTASYNC_BAD_MQTT_OPTION;
  if (spec.will && (spec.will.qos < 0 || spec.will.qos > 2)) return MQTTASYNC_BAD_QOS;
  if (spec.keepAliveInterval < 0 || spec.connectTimeout < 0) return MQTTASYNC_BAD_STRUCTURE; // BAD_STRUCTURE-like (inferred)
  return 0;
}
