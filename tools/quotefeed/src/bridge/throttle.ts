// Per-symbol publish throttle: at most `maxRate` publishes a second for each symbol, and the latest
// value always goes out. A value that arrives while its symbol is still within its interval waits,
// replacing any older waiting value, and is sent as soon as the interval has passed.
import type { Timers } from '@quotedeck/core';

interface Slot<T> {
  lastSentAt: number;
  pending: T | undefined;
  timer: number | undefined;
}

export class Throttle<T> {
  readonly intervalMs: number;
  private readonly slots = new Map<string, Slot<T>>();
  /** Values replaced by a newer one before they were sent. */
  superseded = 0;

  constructor(
    maxRatePerSymbol: number,
    private readonly send: (key: string, value: T) => void,
    private readonly timers: Timers,
    private readonly now: () => number,
  ) {
    if (!(maxRatePerSymbol > 0)) throw new Error('the rate must be > 0');
    this.intervalMs = 1000 / maxRatePerSymbol;
  }

  offer(key: string, value: T): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastSentAt: -Infinity, pending: undefined, timer: undefined };
      this.slots.set(key, slot);
    }
    if (slot.pending !== undefined) this.superseded++;
    slot.pending = value;
    if (slot.timer !== undefined) return;
    const wait = slot.lastSentAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush(key, slot);
    else slot.timer = this.timers.setTimeout(() => this.flush(key, slot), Math.ceil(wait));
  }

  /** Values waiting for their interval. */
  get waiting(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.pending !== undefined) n++;
    return n;
  }

  /** Drops waiting values and timers. */
  close(): void {
    for (const slot of this.slots.values()) {
      if (slot.timer !== undefined) this.timers.clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.pending = undefined;
    }
  }

  private flush(key: string, slot: Slot<T>): void {
    slot.timer = undefined;
    const value = slot.pending;
    if (value === undefined) return;
    slot.pending = undefined;
    slot.lastSentAt = this.now();
    this.send(key, value);
  }
}
