// Node double of the parts of @kit.ArkTS that plain ArkTS code in `common` uses: util's
// TextDecoder/TextEncoder (backed by Node's WHATWG ones, same `fatal` semantics), buffer, and
// worker (ThreadWorker and workerPort over node:worker_threads, see worker.ts).
import { Buffer } from 'node:buffer';

export { worker, nodeWorkers } from './worker';

class TextDecoderDouble {
  private readonly decoder: TextDecoder;
  constructor(encoding?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) {
    this.decoder = new TextDecoder(encoding ?? 'utf-8', { fatal: options?.fatal ?? false, ignoreBOM: options?.ignoreBOM ?? false });
  }
  static create(encoding?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderDouble {
    return new TextDecoderDouble(encoding, options);
  }
  decodeToString(input: Uint8Array, _options?: { stream?: boolean }): string {
    return this.decoder.decode(input);
  }
  decodeWithStream(input: Uint8Array, _options?: { stream?: boolean }): string {
    return this.decoder.decode(input);
  }
}

class TextEncoderDouble {
  private readonly encoder = new TextEncoder();
  encodeInto(input?: string): Uint8Array { return this.encoder.encode(input ?? ''); }
  encodeIntoUint8Array(input: string, dest: Uint8Array): { read: number; written: number } {
    const r = this.encoder.encodeInto(input, dest);
    return { read: r.read ?? 0, written: r.written ?? 0 };
  }
}

function generateRandomUUID(): string {
  return crypto.randomUUID();
}

export const util = { TextDecoder: TextDecoderDouble, TextEncoder: TextEncoderDouble, generateRandomUUID };
export const buffer = { from: (b: ArrayBuffer | string) => Buffer.from(b as ArrayBuffer) };
