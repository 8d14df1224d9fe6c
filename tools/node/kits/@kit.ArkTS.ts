// Node double of the parts of @kit.ArkTS that plain ArkTS code in `common` uses: util's
// TextDecoder/TextEncoder (the platform's decoder rules over Node's, see below), buffer, and
// worker (ThreadWorker and workerPort over node:worker_threads, see worker.ts).
import { Buffer } from 'node:buffer';
import { BusinessError } from './business-error';

export { worker, nodeWorkers } from './worker';
// util.TextDecoder as API 12 behaves (OpenHarmony 5.0.0 commonlibrary_ets_utils js_util_module/util:
// util_js.ts and js_textdecoder.cpp), over Node's decoder:
// - decodeToString keeps a leading U+FEFF unless ignoreBOM is true (then it drops one leading U+FEFF
//   of each call's text): the reverse of the WHATWG flag, which Node follows;
// - under `fatal`, bytes that are not valid in the encoding throw an Error whose code is the STRING
//   '401' (napi_throw_error), message 'Parameter error. Please check if the decode data matches the
//   encoding format.';
// - a null input throws BusinessError 401 (a number); undefined or empty input gives '';
// - create() throws BusinessError 401 for an encoding that is not a string or options not an object;
// - the deprecated decodeWithStream follows WHATWG (drops the BOM unless ignoreBOM) and throws
//   BusinessError 10200019 on bad bytes under `fatal`.
type DecoderOptions = { fatal?: boolean; ignoreBOM?: boolean };

class TextDecoderDouble {
  private readonly encodingName: string;
  private readonly fatalFlag: boolean;
  private readonly ignoreBomFlag: boolean;
  private readonly decoder: TextDecoder;
  private readonly whatwg: TextDecoder;

  constructor(encoding?: string, options?: DecoderOptions) {
    this.encodingName = encoding ?? 'utf-8';
    this.fatalFlag = options?.fatal ?? false;
    this.ignoreBomFlag = options?.ignoreBOM ?? false;
    // Node's ignoreBOM: true means "keep it": we decide about the BOM ourselves.
    this.decoder = new TextDecoder(this.encodingName, { fatal: this.fatalFlag, ignoreBOM: true });
    this.whatwg = new TextDecoder(this.encodingName, { fatal: this.fatalFlag, ignoreBOM: this.ignoreBomFlag });
  }

  static create(encoding?: string, options?: DecoderOptions): TextDecoderDouble {
    if (typeof encoding !== 'string' && encoding !== undefined && encoding !== null) {
      throw new BusinessError(401, `Parameter error. The type of ${String(encoding)} must be string`);
    }
    if (typeof options !== 'object' && options !== undefined && options !== null) {
      throw new BusinessError(401, `Parameter error. The type of ${String(options)} must be object`);
    }
    return new TextDecoderDouble(encoding ?? undefined, options ?? undefined);
  }

  get encoding(): string { return this.encodingName; }
  get fatal(): boolean { return this.fatalFlag; }
  get ignoreBOM(): boolean { return this.ignoreBomFlag; }

  decodeToString(input: Uint8Array, options?: { stream?: boolean }): string {
    if (input === null) throw new BusinessError(401, 'Parameter error. The type of Parameter must be Uint8Array.');
    if (input === undefined || input.length === 0) return '';
    let text: string;
    try {
      text = this.decoder.decode(input, { stream: options?.stream ?? false });
    } catch (e) {
      const err = new Error('Parameter error. Please check if the decode data matches the encoding format.') as Error & { code: string };
      err.code = '401';
      throw err;
    }
    return this.ignoreBomFlag && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  decodeWithStream(input: Uint8Array, options?: { stream?: boolean }): string {
    try {
      return this.whatwg.decode(input, { stream: options?.stream ?? false });
    } catch (e) {
      throw new BusinessError(10200019, 'TextDecoder decoding error.');
    }
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
