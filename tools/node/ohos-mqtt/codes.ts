// Numbers from the sources: MQTT versions as paho names them ([paho] MQTTAsync.h), the device's CA
// bundle ([napi] MqttConstant::OHOS_CA_PATH) and the return codes the emulation gives itself
// ([paho] MQTTAsync.h, [napi] mqtt_impl.h).

export const MQTTVERSION_DEFAULT = 0;
export const MQTTVERSION_3_1 = 3;
export const MQTTVERSION_3_1_1 = 4;
export const MQTTVERSION_5 = 5;

export const OHOS_CA_PATH = '/etc/ssl/certs/cacert.pem';

/** paho: a pending operation ended by the loss of a clean session. */
export const MQTTASYNC_OPERATION_INCOMPLETE = -11;
/** paho MQTTAsync_connect's synchronous refusals. */
export const MQTTASYNC_BAD_STRUCTURE = -8;
export const MQTTASYNC_NULL_PARAMETER = -6;
export const MQTTASYNC_BAD_QOS = -9;
export const MQTTASYNC_BAD_MQTT_OPTION = -15;
export const MQTTASYNC_WRONG_MQTT_VERSION = -16;
/** The wrapper's publish errorCodes: not completed in time, and still connected (broken) or not. */
export const MQTT_PUBLISH_FAILED = -1;
export const MQTT_IS_BROKEN = -2;

/** The library's exported SSL/TLS version enum. */
export enum MQTT_SSL_VERSION {
  MQTT_SSL_VERSION_DEFAULT = 0,
  MQTT_SSL_VERSION_TLS_1_0,
  MQTT_SSL_VERSION_TLS_1_1,
  MQTT_SSL_VERSION_TLS_1_2,
}
