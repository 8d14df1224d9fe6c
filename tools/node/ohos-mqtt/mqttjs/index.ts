// The @ohos/mqtt double over mqtt.js (the "mqttjs" double, the default): the library's API and
// the observable behaviour listed in ../index.ts, emulated on mqtt.js clients. Laid out like
// mqtt.js's lib/:
//   client.ts            MqttClient: the API; paho's client state (link, connect run, pending operations)
//   connect/url.ts       the server URL as paho reads it
//   connect/options.ts   connect options as the wrapper parses them, paho's synchronous checks
//   connect/tls.ts       paho's SSL options as Node TLS options
//   connect/link.ts      one connection and one connect attempt (TCP/TLS/WS, CONNACK, failure messages)
//   handlers/publish.ts  an inbound PUBLISH as an MqttMessage
//   delivery.ts          handing messages to the JS thread (queue while no handler, batches)
//   store.ts             the in-memory session (persistenceType 1)
//   responses.ts         response shapes, promise vs callback delivery
//   napi.ts              reading JS values as the native layer does
//   codes.ts, settings.ts  the sources' numbers; the native waits (tests may shorten them)
//
// How the emulation differs from the library (see also INFERRED in ../index.ts):
// - Timings are real-time: the 3 s granularity of paho's connect-timeout check is not modelled.
// - Message delivery is batched: one setImmediate delivers, in order, every message that arrived
//   since the previous batch (delivery.ts).
// - ws:// and wss:// go through mqtt.js's WebSocket transport; their failure messages are coarser.
// - MQTT 5 is emulated only in outline (messages, reasonCode, properties), untested here.
export { MqttAsync, MqttClient } from './client';
export { MQTT_SSL_VERSION } from './codes';
export { emulation } from './settings';
