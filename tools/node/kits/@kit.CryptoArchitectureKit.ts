// Node double of the part of @ohos.security.cryptoFramework (API 12) that the app uses, over Node's
// crypto. OhosSignatureVerifier: createAsyKeyGenerator('Ed25519').convertKeySync (SPKI DER public
// keys), createMd('SHA256') updateSync/digestSync, createVerify('Ed25519') initSync/verifySync.
// PemKeyDecryptor: createKdf('PBKDF2|<digest>').generateSecretSync, createMd('MD5'),
// createSymKeyGenerator('AES128|192|256').convertKeySync, createCipher('AESn|CBC|PKCS7')
// initSync/doFinalSync (a padding that does not check out is 17630001, as on the device; a key or
// IV of the wrong length, a doFinal without init, an empty digest update are 401, as the
// framework's parameter checks give; doFinal frees the cipher's state, so a second needs a new init).
// Strict like the platform: failures throw a BusinessError-shaped error with the documented codes
// (401 bad parameters, 801 unsupported algorithm, 17630001 crypto operation error); other algorithms
// and the async forms are not doubled and throw 801, so nothing silently passes on Node.
import * as crypto from 'node:crypto';
import { BusinessError } from './business-error';


interface DataBlob {
  data: Uint8Array;
}

function blobBytes(blob: DataBlob | null | undefined, what: string): Uint8Array {
  if (blob === null || blob === undefined || !(blob.data instanceof Uint8Array)) {
    throw new BusinessError(401, `invalid parameters: ${what} must be a DataBlob`);
  }
  return blob.data;
}

class PubKey {
  readonly algName = 'Ed25519';
  readonly format = 'X.509';
  constructor(readonly key: crypto.KeyObject) {}
  getEncoded(): DataBlob {
    return { data: new Uint8Array(this.key.export({ format: 'der', type: 'spki' })) };
  }
}

class KeyPair {
  constructor(readonly pubKey: PubKey) {}
}

class Ed25519KeyGenerator {
  readonly algName = 'Ed25519';
  convertKeySync(pubKey: DataBlob | null, priKey: DataBlob | null): KeyPair {
    if (priKey !== null && priKey !== undefined) throw new BusinessError(801, 'the double converts public keys only');
    const der = blobBytes(pubKey, 'pubKey');
    let key: crypto.KeyObject;
    try {
      key = crypto.createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    } catch {
      throw new BusinessError(17630001, 'crypto operation error');
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new BusinessError(17630001, 'crypto operation error');
    return new KeyPair(new PubKey(key));
  }
}

/** The framework's digest names and Node's. */
const DIGESTS: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA224: 'sha224', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

class Md {
  private hash: crypto.Hash;
  constructor(readonly algName: string, private readonly nodeName: string) {
    this.hash = crypto.createHash(nodeName);
  }
  updateSync(input: DataBlob): void {
    const data = blobBytes(input, 'input');
    if (data.length === 0) throw new BusinessError(401, 'invalid parameters: an empty input');
    this.hash.update(data);
  }
  digestSync(): DataBlob {
    const out = new Uint8Array(this.hash.digest());
    this.hash = crypto.createHash(this.nodeName); // the platform's Md is reusable after digest
    return { data: out };
  }
  getMdLength(): number {
    return crypto.createHash(this.nodeName).digest().length;
  }
}

interface PBKDF2Spec {
  algName: string;
  password: string | Uint8Array;
  salt: Uint8Array;
  iterations: number;
  keySize: number;
}

class Pbkdf2 {
  constructor(readonly algName: string, private readonly digest: string) {}
  generateSecretSync(spec: PBKDF2Spec): DataBlob {
    if (spec === null || spec === undefined || spec.algName !== 'PBKDF2' || !(spec.salt instanceof Uint8Array) ||
      !Number.isInteger(spec.iterations) || spec.iterations <= 0 || !Number.isInteger(spec.keySize) || spec.keySize <= 0 ||
      (typeof spec.password !== 'string' && !(spec.password instanceof Uint8Array))) {
      throw new BusinessError(401, 'invalid parameters: PBKDF2Spec');
    }
    const password = typeof spec.password === 'string' ? Buffer.from(spec.password, 'utf8') : Buffer.from(spec.password);
    return { data: new Uint8Array(crypto.pbkdf2Sync(password, Buffer.from(spec.salt), spec.iterations, spec.keySize, this.digest)) };
  }
}

class SymKey {
  readonly format = 'RAW';
  constructor(readonly algName: string, readonly raw: Uint8Array) {}
  getEncoded(): DataBlob {
    return { data: new Uint8Array(this.raw) };
  }
}

class AesKeyGenerator {
  constructor(readonly algName: string, private readonly bytes: number) {}
  convertKeySync(key: DataBlob): SymKey {
    const raw = blobBytes(key, 'key');
    if (raw.length !== this.bytes) throw new BusinessError(401, 'invalid parameters: key length');
    return new SymKey(this.algName, new Uint8Array(raw));
  }
}

const ENCRYPT_MODE = 0;
const DECRYPT_MODE = 1;

interface IvParamsSpec {
  algName: string;
  iv: DataBlob;
}

class AesCbcCipher {
  private mode = -1;
  private key: SymKey | undefined;
  private iv: Uint8Array | undefined;
  constructor(readonly algName: string) {}
  initSync(opMode: number, key: SymKey, params: IvParamsSpec | null): void {
    if ((opMode !== ENCRYPT_MODE && opMode !== DECRYPT_MODE) || !(key instanceof SymKey)) {
      throw new BusinessError(401, 'invalid parameters: opMode or key');
    }
    if (params === null || params === undefined || params.algName !== 'IvParamsSpec') {
      throw new BusinessError(401, 'invalid parameters: CBC needs an IvParamsSpec');
    }
    const iv = blobBytes(params.iv, 'iv');
    if (iv.length !== 16) throw new BusinessError(401, 'invalid parameters: IV length');
    this.mode = opMode;
    this.key = key;
    this.iv = iv;
  }
  doFinalSync(data: DataBlob | null): DataBlob {
    if (this.key === undefined || this.iv === undefined) throw new BusinessError(401, 'invalid parameters: the cipher is not initialised');
    const input = data === null ? new Uint8Array(0) : blobBytes(data, 'data');
    // the cipher follows the key's length, as the platform's does
    const name = `aes-${this.key.raw.length * 8}-cbc`;
    const c = this.mode === DECRYPT_MODE ? crypto.createDecipheriv(name, this.key.raw, this.iv) : crypto.createCipheriv(name, this.key.raw, this.iv);
    this.key = undefined; // doFinal frees the cipher's state
    this.iv = undefined;
    try {
      return { data: new Uint8Array(Buffer.concat([c.update(input), c.final()])) };
    } catch {
      throw new BusinessError(17630001, 'crypto operation error');
    }
  }
}

const AES_BYTES: Record<string, number> = { AES128: 16, AES192: 24, AES256: 32 };

class Ed25519Verify {
  readonly algName = 'Ed25519';
  private key: crypto.KeyObject | undefined;
  initSync(pubKey: PubKey): void {
    if (!(pubKey instanceof PubKey)) throw new BusinessError(401, 'invalid parameters: pubKey');
    this.key = pubKey.key;
  }
  updateSync(_data: DataBlob): void {
    // Ed25519 is one-shot on the platform: update is refused.
    throw new BusinessError(17630001, 'crypto operation error');
  }
  verifySync(data: DataBlob | null, signatureData: DataBlob): boolean {
    if (this.key === undefined) throw new BusinessError(17630001, 'crypto operation error');
    const message = blobBytes(data, 'data');
    const signature = blobBytes(signatureData, 'signatureData');
    if (signature.length !== 64) throw new BusinessError(17630001, 'crypto operation error');
    return crypto.verify(null, message, this.key, signature);
  }
}

function unsupported(algName: string): never {
  throw new BusinessError(801, `algorithm not supported by the Node double: ${algName}`);
}

export const cryptoFramework = {
  CryptoMode: { ENCRYPT_MODE, DECRYPT_MODE },
  createAsyKeyGenerator(algName: string): Ed25519KeyGenerator {
    return algName === 'Ed25519' ? new Ed25519KeyGenerator() : unsupported(algName);
  },
  createMd(algName: string): Md {
    const nodeName = DIGESTS[algName];
    return nodeName !== undefined ? new Md(algName, nodeName) : unsupported(algName);
  },
  createKdf(algName: string): Pbkdf2 {
    const [kind, digest] = algName.split('|');
    const nodeName = digest === 'MD5' ? undefined : DIGESTS[digest ?? ''];
    return kind === 'PBKDF2' && nodeName !== undefined ? new Pbkdf2(algName, nodeName) : unsupported(algName);
  },
  createSymKeyGenerator(algName: string): AesKeyGenerator {
    const bytes = AES_BYTES[algName];
    return bytes !== undefined ? new AesKeyGenerator(algName, bytes) : unsupported(algName);
  },
  createCipher(transformation: string): AesCbcCipher {
    const [alg, mode, padding] = transformation.split('|');
    const bytes = AES_BYTES[alg ?? ''];
    return bytes !== undefined && mode === 'CBC' && padding === 'PKCS7' ? new AesCbcCipher(transformation) : unsupported(transformation);
  },
  createVerify(algName: string): Ed25519Verify {
    return algName === 'Ed25519' ? new Ed25519Verify() : unsupported(algName);
  },
};
