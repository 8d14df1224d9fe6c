// What an operation answers and how the answer reaches JS ([napi] mqtt_client.cpp:
// MqttResponseComplete, ResponseCallBack, CreateMqttResponse, RejectError): the promise form
// resolves on code 0 and otherwise rejects with the response object itself; the callback form gets
// (undefined, response) for success and failure, without errorCode.
import type { MqttResponse } from '../../types/ohos-mqtt';
import type { Bag } from './napi';

export type AsyncCallback<T> = (err: Error | undefined, data: T) => void;

export interface Properties {
  contentType?: string;
  userProperties?: Array<[string, string]> | Array<{ key: string; val: string }>;
  integerProperties?: number[];
  strProperties?: string[];
}

export function emptyProperties(): Properties {
  return { contentType: '', userProperties: [], integerProperties: [], strProperties: [] };
}

/** One operation's result as paho reports it. */
export interface Outcome {
  code: number;
  message: string;
  reasonCode: number;
  errorCode: number;
  properties?: Properties;
}

export function fail(message: string, code = -1, errorCode = 0): Outcome {
  return { code, message, reasonCode: 0, errorCode };
}

export function ok(message: string, reasonCode = 0, properties?: Properties): Outcome {
  return { code: 0, message, reasonCode, errorCode: 0, properties };
}

/** MqttResponseComplete: the promise payload (with errorCode). */
function promiseResponse(o: Outcome): MqttResponse {
  const r: Bag = { code: o.code, errorCode: o.errorCode, reasonCode: o.reasonCode, message: o.message };
  if (o.properties) r.properties = o.properties;
  return r as unknown as MqttResponse;
}

/** CreateMqttResponse: the callback payload (no errorCode). */
export function callbackResponse(o: Outcome): MqttResponse {
  const r: Bag = { message: o.message, code: o.code, reasonCode: o.reasonCode };
  if (o.properties) r.properties = o.properties;
  return r as unknown as MqttResponse;
}

/**
 * The native call failed before paho answered (precondition, paho refusing the call, or no
 * answer in time): the promise gets `outcome` (default "<Op> fail", -1), the callback form gets
 * nothing or {message "failed", code -1} depending on the operation.
 */
export class NativeFailure {
  constructor(readonly outcome?: Outcome) {}
}

export type WorkResult = Outcome | NativeFailure;

/**
 * Delivers an operation's outcome the way mqtt_client.cpp does: promise resolve/reject (with
 * the response object) after the polling thread notices; or the callback with (undefined, r).
 * `work` returns a NativeFailure when the native call failed before paho answered; the callback
 * form then hears nothing ('silent': connect, subscribe) or {message "failed", code -1}.
 */
export function complete(work: () => Promise<WorkResult>, failMessage: string, callback: AsyncCallback<MqttResponse> | undefined, onNativeFailure: 'silent' | 'failed'): Promise<MqttResponse> | void {
  if (typeof callback !== 'function') {
    return new Promise<MqttResponse>((resolve, reject) => {
      work().then((r) => {
        const outcome = r instanceof NativeFailure ? r.outcome ?? fail(failMessage) : r;
        setImmediate(() => (outcome.code === 0 ? resolve(promiseResponse(outcome)) : reject(promiseResponse(outcome))));
      }, (e: Error) => setImmediate(() => reject(promiseResponse(fail(`${failMessage}: ${e.message}`)))));
    });
  }
  void work().then((r) => {
    if (r instanceof NativeFailure) {
      // MqttAsyncClient::RejectError: only message and code
      const rejected = { message: 'failed', code: -1 } as unknown as MqttResponse;
      if (onNativeFailure === 'failed') setImmediate(() => callback(undefined, rejected));
      return;
    }
    setImmediate(() => callback(undefined, callbackResponse(r)));
  });
}
