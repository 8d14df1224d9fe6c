// The library's waits ([napi] mqtt_impl.h: MqttImpl::sleepTime_, cyclesCount_,
// waitCompletionTime_; MqttConnect's grace) and the emulation's switches. Tests may shorten the
// waits; the defaults are the library's.

/** MqttImpl::sleepTime_ (10000 us): the native layer polls for an answer every 10 ms. */
export const POLL_MS = 10;
/** MqttImpl::cyclesCount_. */
const POLL_CYCLES = 1000;

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
