// '@ohos/mqtt' on Node (the ohpm package OpenHarmony-TPC ohos_mqtt: a NAPI wrapper over
// paho.mqtt.c's MQTTAsync). FOR TESTS ONLY: tools/node/bundle.mjs maps the import '@ohos/mqtt' to
// this file, so the app's adapter (common/platform/.../OhosMqttTransport.ets) runs unchanged
// against a real broker (aedes, mosquitto) on Linux. It is never packaged into the app.
//
// This folder is the emulation over mqtt.js, the default double ($QUOTEDECK_OHOS_MQTT=paho makes
// bundle.mjs take the one over the real paho.mqtt.c in ../ohos-mqtt-paho instead). Both have the
// library's API (the exports of the 2.0.24 package: MqttAsync, MqttClient, MQTT_SSL_VERSION; types
// in tools/types/ohos-mqtt.d.ts) and follow, as far as they could be established, its observable
// semantics listed below: result codes and messages, promise vs callback behaviour, option parsing,
// timing rules and the paho connection logic. Sources (reference only, nothing copied):
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
//   The 3.1 retry and that reconnect start ~1.1 s later (measured with paho 1.3.12 on an otherwise
//   idle client); a connect() issued while the reconnect waits takes its place and its turn: one
//   3.1.1 CONNECT, our callbacks (measured).                                             [paho]
// - An MQTT 5 connect is not retried; a refused MQTT 5 CONNACK gives code = the reason code,
//   reasonCode 0 (measured).                                                             [paho]
// - connectLost is called only for a passive loss (not after disconnect()/destroy()), with
//   {message "null", code 0, reasonCode 0}.                                              [paho][napi]
// - QoS 1: paho sends PUBACK on receipt, BEFORE the message reaches the application; the message
//   is then handed to the JS thread asynchronously (thread-safe function). So an exception or a
//   crash in messageArrived loses the message: do not rely on "ack after processing".    [paho]
// - paho refuses to set the message/connection-lost callbacks while a connect is in progress
//   (connect_state != NOT_IN_PROGRESS), and the wrapper then drops the new listener; messages
//   arriving while no handler is set are queued by paho, and once one is set it hands over one
//   of them per packet it reads (measured).                                              [paho][napi]
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
//   while the background 3.1 attempt is already on the wire: that attempt is abandoned.
// - Pending subscribe/unsubscribe on a passive loss with a clean session: code -11
//   (MQTTASYNC_OPERATION_INCOMPLETE) "failed" (measured); on a persistent session paho never
//   answers and the native wait ends it after 10 s, "Subscribe fail" (measured).
// - An empty host is created; its connect fails with -1 "failed" (measured).
// - destroy() during a connect: the pending connect promise rejects with "Connect fail" at once.
// - Invalid UTF-8 in the payload becomes U+FFFD in `payload` (napi_create_string_utf8).
//
// The emulation is laid out like mqtt.js's lib/:
//   client.ts            MqttClient and MqttAsync: the API; paho's client state (link, connect run, pending operations)
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
// Where it departs from the library in its own ways (tests/paho/conformance.test.ts measures it
// against the paho double; docs/ohos-mqtt-doubles.md):
// - Timings are real-time. paho's connect-timeout check every 3 s is modelled as a check on a
//   grid from the attempt's start; the up to 1 s a new paho socket waits for its receive thread's
//   next select turn is not (each attempt starts at once here).
// - Message delivery is batched: one setImmediate delivers, in order, every message that arrived
//   since the previous batch (delivery.ts).
// - ws:// and wss:// go through mqtt.js's WebSocket transport; their failure messages are coarser.
// - MQTT 5 is emulated in outline (messages, reasonCode, properties); the conformance test compares
//   a connect, a refused CONNACK (reason in code), a one-topic SUBACK (granted QoS in reasonCode), a
//   delivery and a takeover (connectLost {code 0, "null"}: the DISCONNECT's 0x8E is not passed on)
//   with paho. Not modelled: a client created for MQTT 5 but connected with the default version
//   (the wrapper would answer its later operations with the MQTT 5 callbacks; the app never does it).
// - MQTTVersion 4 (issue 13): like the wrapper, only 5 is special; 4 keeps paho's default, 3.1.1
//   falling back to 3.1 (conformance test "MQTT version").

export type {
  MqttQos, MqttPersistenceType, MqttClientOptions, MqttConnectOptions, MqttSubscribeOptions, MqttPublishOptions,
  MqttResponse, MqttMessage
} from '../../types/ohos-mqtt';
export type { Properties } from './responses';
export { MqttAsync, MqttClient } from './client';
export { MQTT_SSL_VERSION } from './codes';
export { emulation } from './settings';
export { MqttAsync as default } from './client';
