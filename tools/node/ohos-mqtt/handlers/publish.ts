// An inbound PUBLISH as the wrapper hands it to JS ([napi] CreateMqttMessage; [paho]
// MQTTProtocol_handlePublishes): payload is the UTF-8 text up to the first NUL byte, payloadBinary
// exactly the bytes, retained/dup are 0/1 (dup forced 0 for QoS 2), properties.contentType is
// "application/json" for a non-empty payload, userProperties are {key, val} objects.
import type { MqttMessage, MqttQos } from '../../../types/ohos-mqtt';
import { MQTTVERSION_5 } from '../codes';
import type { Bag } from '../napi';
import { Properties, emptyProperties } from '../responses';

/** MqttMessage.payload: non-fatal (invalid UTF-8 becomes U+FFFD), shared by every client. */
const UTF8 = new TextDecoder('utf-8');

/** The message for a PUBLISH packet of mqtt.js, or undefined when it has no topic. */
export function toMqttMessage(version: number, packet: Bag): MqttMessage | undefined {
  const topic = String(packet.topic ?? '');
  if (topic === '') return undefined;
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
  if (version === MQTTVERSION_5) {
    properties = v5Properties(packet.properties);
    properties.contentType = length > 0 ? 'application/json' : '';
  } else {
    properties = { contentType: length > 0 ? 'application/json' : '', userProperties: [], integerProperties: [], strProperties: [] };
  }
  return {
    topic,
    // one shared decoder: decode() without {stream} keeps no state between calls
    payload: UTF8.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes),
    payloadBinary: ab,
    qos,
    retained: packet.retain ? 1 : 0,
    dup: qos === 2 ? 0 : packet.dup ? 1 : 0,
    msgid: Number(packet.messageId ?? 0),
    properties,
  } as MqttMessage;
}

/** MQTT 5 properties of a packet as the wrapper shapes them (userProperties as {key, val}). */
export function v5Properties(props: unknown): Properties {
  const p = emptyProperties();
  const up = (props as Bag | undefined)?.userProperties as Record<string, string | string[]> | undefined;
  if (up) {
    const list: Array<{ key: string; val: string }> = [];
    for (const [key, v] of Object.entries(up)) for (const val of Array.isArray(v) ? v : [v]) list.push({ key, val: String(val) });
    p.userProperties = list;
  }
  return p;
}
