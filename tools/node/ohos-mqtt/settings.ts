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
  /**
   * How long after a failed 3.1.1 attempt paho's 3.1 retry starts, and after a passive loss its own
   * 3.1 reconnect: ~1.1 s with paho 1.3.12 whenever its threads are otherwise idle (a new socket
   * joins the receive thread's select on its next 1 s turn; tests/paho/conformance.test.ts).
   */
  mqtt31RetryDelayMs: 1100,
  /** paho checks connect timeouts every 3 s (MQTTAsync_checkTimeouts): an attempt gives up at the first check past connectTimeout. */
  timeoutCheckMs: 3000,
};
