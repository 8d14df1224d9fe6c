// Handing messages to the JS thread ([napi] MessageArrived over a thread-safe function; [paho]
// setMessageArrivedCallback). paho keeps messages on the client's queue while no handler is set;
// once one is set, its receive thread hands over ONE queued message after each packet it reads
// (MQTTAsync_receiveThread), and a message that arrives while the queue is not empty joins its end
// (measured: 5 queued, then one more published: only the first queued is delivered). Each message
// is delivered after the socket read that brought it, never inside it. Node dispatches a thread-safe function's queued calls in batches (up to 1000 per
// wake-up of the loop); likewise one setImmediate here delivers every message queued since the
// previous one. How the ArkTS runtime batches them was not established.
import type { MqttMessage } from '../../types/ohos-mqtt';
import type { AsyncCallback } from './responses';

export class MessageDelivery {
  /** The registered messageArrived handler. */
  handler: AsyncCallback<MqttMessage> | undefined;
  /** paho's queue: messages that arrived while no handler was set. */
  private queue: MqttMessage[] = [];
  /** Messages handed to the JS thread and not yet delivered (see deliver). */
  private outbox: MqttMessage[] = [];
  private drainScheduled = false;
  private closed = false;

  /** Sets (or clears) the handler; what paho queued meanwhile follows one message per packet read (afterPacket). */
  setHandler(handler: AsyncCallback<MqttMessage> | undefined): void {
    this.handler = handler;
  }

  /** A message off the network. */
  receive(msg: MqttMessage): void {
    if (this.handler === undefined || this.queue.length > 0) {
      this.queue.push(msg); // paho keeps it on the client's message queue, behind the ones there
      return;
    }
    this.deliver(msg);
  }

  /** paho read a packet (any kind) and handled it: one queued message goes to the handler, if one is set. */
  afterPacket(): void {
    if (this.closed || this.handler === undefined) return;
    const next = this.queue.shift();
    if (next !== undefined) this.deliver(next);
  }

  /** The client is destroyed: nothing more is delivered. */
  close(): void {
    this.closed = true;
    this.handler = undefined;
    this.queue = [];
  }

  /** Hands a message to the JS thread later, in order (napi_call_threadsafe_function). */
  private deliver(msg: MqttMessage): void {
    this.outbox.push(msg);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(this.drainOutbox);
    }
  }

  /**
   * Runs the handler for each queued message, in order. The handler is looked up per message
   * (a replacement takes effect for the next one); without a handler the message goes back to
   * paho's queue. Messages queued while this runs go to the next batch. An exception thrown by
   * the handler is not caught (natively it is an uncaught exception in the app): the messages
   * after it are re-queued in front and delivered on the next turn, as separate callbacks would be.
   * Unlike Node's thread-safe functions, promise jobs queued by one messageArrived call run after
   * the whole batch, not before the next message: the app's message path is synchronous, so it
   * cannot tell.
   */
  private readonly drainOutbox = (): void => {
    const batch = this.outbox;
    this.outbox = [];
    this.drainScheduled = false;
    let i = 0;
    try {
      for (; i < batch.length; i++) {
        if (this.closed) return;
        const msg = batch[i];
        const h = this.handler;
        if (h) h(undefined, msg);
        else this.queue.push(msg);
      }
    } finally {
      if (i < batch.length - 1 && !this.closed) {
        this.outbox = batch.slice(i + 1).concat(this.outbox);
        if (!this.drainScheduled) {
          this.drainScheduled = true;
          setImmediate(this.drainOutbox);
        }
      }
    }
  };
}
