// Node double of @ohos.worker (exported by @kit.ArkTS as `worker`): ThreadWorker on the host side
// over a node:worker_threads Worker, `worker.workerPort` inside it. As strict as OpenHarmony 5.0's
// worker (commonlibrary_ets_utils, js_concurrent_module/worker/worker.cpp) in what the app relies on:
// - Messages cross by structured clone: fields are kept, prototypes dropped. A message that cannot
//   be cloned (a function) calls the sender's onmessageerror, then throws BusinessError 10200006.
// - The worker's run state is shared by both threads, as on the device: once the worker thread has
//   ended (its script threw while loading) or terminate() was called, host postMessage throws
//   BusinessError 10200004 "The Worker instance is not running" at once, even before onerror or
//   onexit reached the host. terminate() is then a no-op; after onexit (the native worker is freed)
//   postMessage and terminate() both throw 10200004.
// - An uncaught error inside the worker calls workerPort.onerror, then the host's onerror (and
//   'error' listeners) with an ErrorEvent { message: String(error), filename, lineno, colno, error,
//   type }, then the host terminates the worker. A host with neither rethrows it: on a phone that is
//   an uncaught exception on the UI thread. onexit gets 1 after an error, else 0.
// - A script that throws while loading ends the worker: onerror, then onexit(1).
// - Inside the worker, postMessage after close() is dropped, as on the device.
// - The worker thread has no ArkUI: bundle.mjs bundles a worker entry without the UI globals, and
//   UI modules fail to load there.
// Unhandled promise rejections end the worker (Node's default), which is harsher than the device.
// Node-only hooks for tests are in `nodeWorkers` (register a bundled script for a URL, crash a worker).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { BusinessError } from './business-error';

const STARTING = 0;
const RUNNING = 1;
const TERMINATING = 2;
const TERMINATED = 3;
/** Marks the double's own messages between the threads (never shown to the app). */
const CONTROL = '__quotedeckWorkerControl';
const MAX_WORKERS = 64;


function notRunning(detail: string): BusinessError {
  return new BusinessError(10200004, `The Worker instance is not running, ${detail}`);
}

function serializationFailed(): BusinessError {
  return new BusinessError(10200006, 'An exception occurred during serialization, failed to serialize message.');
}

export interface ErrorEvent {
  type: string;
  message: string;
  filename: string;
  lineno: number;
  colno: number;
  error: Object;
}

export interface MessageEvents {
  type: string;
  data: Object;
}

/** The device's ErrorEvent: message is String(error), position from the top frame of the stack. */
function errorEventOf(error: unknown): ErrorEvent {
  const e = error instanceof Error ? error : new Error(String(error));
  const frame = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/m.exec((e.stack ?? '').split('\n').slice(1).join('\n')) ?? undefined;
  return {
    type: 'ErrorEvent',
    message: String(e),
    filename: frame?.[1] ?? '',
    lineno: frame ? Number(frame[2]) : 0,
    colno: frame ? Number(frame[3]) : 0,
    error: e,
  };
}

/** What of an error crosses to the host (an Error may carry fields that cannot be cloned). */
function plainError(error: unknown): { name: string; message: string; stack: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, stack: e.stack ?? '' };
}

function errorFromPlain(p: { name: string; message: string; stack: string }): Error {
  const e = new Error(p.message);
  e.name = p.name;
  e.stack = p.stack;
  return e;
}

function transferOf(arg: unknown): ArrayBuffer[] | undefined {
  if (Array.isArray(arg)) return arg as ArrayBuffer[];
  if (arg !== null && typeof arg === 'object' && Array.isArray((arg as { transfer?: unknown }).transfer)) {
    return (arg as { transfer: ArrayBuffer[] }).transfer;
  }
  return undefined;
}

function isDataCloneError(e: unknown): boolean {
  return e instanceof Error && e.name === 'DataCloneError';
}

type Listener = (...args: Object[]) => void;

/** on/once/off/addEventListener/removeEventListener/removeAllListener of WorkerEventTarget. */
class EventTargetDouble {
  private readonly listeners = new Map<string, { fn: Listener; once: boolean }[]>();

  protected add(type: string, fn: Listener, once: boolean): void {
    if (typeof type !== 'string' || typeof fn !== 'function') throw new BusinessError(401, 'Parameter error. The input parameters are invalid.');
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), { fn, once }]);
  }

  on(type: string, fn: Listener): void { this.add(type, fn, false); }
  once(type: string, fn: Listener): void { this.add(type, fn, true); }
  addEventListener(type: string, fn: Listener): void { this.add(type, fn, false); }

  off(type: string, fn?: Listener): void {
    const list = this.listeners.get(type) ?? [];
    this.listeners.set(type, fn === undefined ? [] : list.filter((l) => l.fn !== fn));
  }

  removeEventListener(type: string, fn?: Listener): void { this.off(type, fn); }
  removeAllListener(): void { this.listeners.clear(); }

  /** The `on<type>` handler, then the listeners of `type`, as the device calls them. */
  protected dispatch(type: string, handler: ((e: MessageEvents) => void) | undefined, event: MessageEvents): void {
    if (handler !== undefined) handler(event);
    this.emitToListeners(type, event);
  }

  /** Calls the listeners of `type`; true when there was at least one. */
  protected emitToListeners(type: string, ...args: Object[]): boolean {
    const list = this.listeners.get(type) ?? [];
    this.listeners.set(type, list.filter((l) => !l.once));
    for (const l of list) l.fn(...args);
    return list.length > 0;
  }
}

// ---- host side --------------------------------------------------------------------------------

/** Bundled scripts by worker URL (`{module}/ets/{path}`), registered by the test that runs them. */
const scripts = new Map<string, string>();
const live = new Set<ThreadWorker>();

// Runs first in the worker thread: shares the run state, reports errors the way the device does,
// then loads the bundled worker entry.
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
const d = workerData['${CONTROL}'];
const state = new Int32Array(d.state);
process.on('uncaughtException', (error) => {
  const scope = globalThis['${CONTROL}'];
  if (scope !== undefined) scope.uncaught(error);
  else parentPort.postMessage({ '${CONTROL}': 'error', error: { name: String(error && error.name), message: String(error && error.message), stack: String(error && error.stack) } });
});
import(d.script).then(() => {
  Atomics.compareExchange(state, 0, ${STARTING}, ${RUNNING});
}, (error) => {
  // The script threw while loading: the worker ends at once, the host hears it as an error.
  Atomics.store(state, 0, ${TERMINATED});
  process.removeAllListeners('uncaughtException');
  setImmediate(() => { throw error; });
});
`;

export class ThreadWorker extends EventTargetDouble {
  onmessage?: (event: MessageEvents) => void;
  onmessageerror?: (event: MessageEvents) => void;
  onerror?: (event: ErrorEvent) => void;
  onexit?: (code: number) => void;
  /** The worker's run state, shared with its thread (STARTING … TERMINATED). */
  private readonly state: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  private readonly thread: Worker;
  private terminateCalled: boolean = false;
  private errorExit: boolean = false;
  private freed: boolean = false;

  constructor(scriptURL: string, options?: { name?: string; type?: string; shared?: boolean }) {
    super();
    if (typeof scriptURL !== 'string') throw new BusinessError(401, 'Parameter error. The input parameters are invalid.');
    const script = scripts.get(scriptURL);
    if (script === undefined) {
      throw new BusinessError(10200007, `The worker file path is invalid, no bundle of ${scriptURL} is registered (nodeWorkers.register)`);
    }
    if (live.size >= MAX_WORKERS) {
      throw new BusinessError(10200003, 'Worker initialization failed, the number of workers exceeds the maximum.');
    }
    this.thread = new Worker(BOOTSTRAP, {
      eval: true,
      name: options?.name,
      workerData: { [CONTROL]: { script: pathToFileURL(script).href, state: this.state.buffer, name: options?.name ?? '' } },
    });
    live.add(this);
    // A worker a test forgot to end must not keep the test run alive (the app's own waits do).
    this.thread.unref();
    this.thread.on('message', (data: unknown) => this.fromWorker(data));
    this.thread.on('error', (error: Error) => this.workerError(error, false));
    this.thread.on('exit', () => this.exited());
  }

  postMessage(message: Object, transferOrOptions?: ArrayBuffer[] | { transfer?: ArrayBuffer[] }): void {
    if (this.freed) throw notRunning('maybe worker is terminated when PostMessage');
    if (Atomics.load(this.state, 0) >= TERMINATING) throw notRunning('maybe worker is terminated when PostMessage');
    if (message === undefined) throw new BusinessError(401, 'Parameter error. The input parameters are invalid.');
    try {
      this.thread.postMessage(message, transferOf(transferOrOptions));
    } catch (e) {
      if (!isDataCloneError(e)) throw e;
      this.dispatch('messageerror', this.onmessageerror, { type: 'messageerror', data: {} });
      throw serializationFailed();
    }
  }

  terminate(): void {
    if (this.freed) throw notRunning('worker is nullptr when Terminate');
    if (this.terminateCalled || Atomics.load(this.state, 0) >= TERMINATING) return;
    this.terminateCalled = true;
    this.terminateInner();
  }

  private terminateInner(): void {
    if (Atomics.load(this.state, 0) < TERMINATING) Atomics.store(this.state, 0, TERMINATING);
    void this.thread.terminate();
  }

  private fromWorker(data: unknown): void {
    const control = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[CONTROL] : undefined;
    if (control === 'error') {
      this.workerError(errorFromPlain((data as { error: { name: string; message: string; stack: string } }).error), true);
      return;
    }
    if (this.freed) return;
    this.dispatch('message', this.onmessage, { type: 'message', data: data as Object });
  }

  /** An uncaught error in the worker: onerror on the host, then the worker is terminated. */
  private workerError(error: unknown, terminate: boolean): void {
    if (this.freed) return;
    this.errorExit = true;
    const event = errorEventOf(error);
    const handled = this.onerror !== undefined;
    if (this.onerror !== undefined) this.onerror(event);
    const heard = this.emitToListeners('error', event);
    if (terminate) this.terminateInner();
    if (!handled && !heard) throw event.error;
  }

  private exited(): void {
    Atomics.store(this.state, 0, TERMINATED);
    live.delete(this);
    const code = this.errorExit ? 1 : 0;
    if (this.onexit !== undefined) this.onexit(code);
    this.emitToListeners('exit', code);
    this.freed = true;
  }

  /** For nodeWorkers: blocks until the worker thread has ended (or `ms` passed); true if it did. */
  waitThreadEnded(ms: number): boolean {
    const deadline = Date.now() + ms;
    for (let s = Atomics.load(this.state, 0); s !== TERMINATED; s = Atomics.load(this.state, 0)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.state, 0, s, Math.min(left, 20));
    }
    return true;
  }

  /** For nodeWorkers: makes the worker thread throw an uncaught error from a macrotask. */
  crash(message: string): void {
    this.thread.postMessage({ [CONTROL]: 'crash', message });
  }
}

/** Node-only hooks for tests: which bundle runs for a worker URL, and the workers alive now. */
export const nodeWorkers = {
  register(scriptURL: string, bundleFile: string): void {
    scripts.set(scriptURL, bundleFile);
  },
  unregister(scriptURL: string): void {
    scripts.delete(scriptURL);
  },
  running(): ThreadWorker[] {
    return [...live];
  },
};

// ---- worker side ------------------------------------------------------------------------------

class ThreadWorkerGlobalScope extends EventTargetDouble {
  readonly name: string;
  onmessage?: (event: MessageEvents) => void;
  onmessageerror?: (event: MessageEvents) => void;
  onerror?: (event: ErrorEvent) => void;
  private readonly state: Int32Array;
  private readonly port: NonNullable<typeof parentPort>;

  constructor(port: NonNullable<typeof parentPort>, state: Int32Array, name: string) {
    super();
    this.port = port;
    this.state = state;
    this.name = name;
    port.on('message', (data: unknown) => this.fromHost(data));
  }

  get self(): ThreadWorkerGlobalScope {
    return this;
  }

  postMessage(message: Object, transferOrOptions?: ArrayBuffer[] | { transfer?: ArrayBuffer[] }): void {
    if (message === undefined) throw new BusinessError(401, 'Parameter error. The input parameters are invalid.');
    if (Atomics.load(this.state, 0) >= TERMINATING) return; // not running: dropped, as on the device
    try {
      this.port.postMessage(message, transferOf(transferOrOptions));
    } catch (e) {
      if (!isDataCloneError(e)) throw e;
      this.dispatch('messageerror', this.onmessageerror, { type: 'messageerror', data: {} });
      throw serializationFailed();
    }
  }

  close(): void {
    if (Atomics.load(this.state, 0) >= TERMINATING) return;
    Atomics.store(this.state, 0, TERMINATED);
    setImmediate(() => process.exit(0));
  }

  /** The bootstrap's uncaughtException handler: workerPort.onerror first, then the host's. */
  uncaught(error: unknown): void {
    const event = errorEventOf(error);
    if (this.onerror !== undefined) {
      try {
        this.onerror(event);
      } catch (e) {
        // An onerror that throws changes nothing: the host still hears the first error.
      }
    }
    this.emitToListeners('error', event);
    this.port.postMessage({ [CONTROL]: 'error', error: plainError(event.error) });
  }

  private fromHost(data: unknown): void {
    const control = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[CONTROL] : undefined;
    if (control === 'crash') {
      setImmediate(() => {
        throw new Error(String((data as { message: string }).message));
      });
      return;
    }
    if (Atomics.load(this.state, 0) === TERMINATED) return;
    try {
      this.dispatch('message', this.onmessage, { type: 'message', data: data as Object });
    } catch (e) {
      this.uncaught(e);
    }
  }
}

function workerScope(): ThreadWorkerGlobalScope | undefined {
  const boot = !isMainThread && workerData !== null && typeof workerData === 'object'
    ? (workerData as Record<string, { state: SharedArrayBuffer; name: string } | undefined>)[CONTROL] : undefined;
  if (boot === undefined || parentPort === null) return undefined;
  const g = globalThis as Record<string, unknown>;
  if (g[CONTROL] === undefined) g[CONTROL] = new ThreadWorkerGlobalScope(parentPort, new Int32Array(boot.state), boot.name);
  return g[CONTROL] as ThreadWorkerGlobalScope;
}

const scope = workerScope();

export const worker = {
  ThreadWorker,
  /** Only inside a worker thread, as on the device (the UI thread has no workerPort). */
  get workerPort(): ThreadWorkerGlobalScope {
    if (scope === undefined) throw new Error('worker.workerPort exists only inside a worker thread');
    return scope;
  },
};
