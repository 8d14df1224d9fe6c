// Publisher keys and signatures (docs/payload.md "Signed quotes"): Ed25519 with Node's crypto.
// - keygen writes the private key (PKCS#8 PEM, mode 0600, never printed) and FILE.pub with the
//   public key in the text form the app accepts (`qdk1-ed25519:<base64url raw key>`);
// - PayloadSigner appends `,"kid":"…","sig":"…"}` to a JSON object payload, signing
//   SIGNATURE_DOMAIN + topic + "\n" + the unsigned payload (core's signedMessage);
// - NodeSignatureVerifier is core's SignatureVerifier port over Node's crypto, for `watch --trust`,
//   the tests and the bench (the phone uses OhosSignatureVerifier over CryptoArchitectureKit).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import {
  ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, encodeBase64Url, KEY_ID_HEX_LENGTH, parseTrustedKey,
  PUBLIC_KEY_PREFIX, SignatureVerifier, signedMessage, TrustedKeyProblem, trustedKeyProblemText
} from '@quotedeck/core';
import { UsageError } from './errors';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function spkiOfRawKey(raw: Uint8Array): Buffer {
  return Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw)]);
}

export function rawOfPublicKey(key: crypto.KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - ED25519_PUBLIC_KEY_BYTES));
}

/** Key id: the first 8 bytes of SHA-256 over the raw public key, in lower-case hex. */
export function keyIdOf(raw: Uint8Array): string {
  return crypto.createHash('sha256').update(raw).digest('hex').substring(0, KEY_ID_HEX_LENGTH);
}

export function publicKeyText(raw: Uint8Array): string {
  return PUBLIC_KEY_PREFIX + encodeBase64Url(raw);
}

export interface GeneratedKey {
  keyId: string;
  publicKeyText: string;
}

/** Writes FILE (private, 0600, refused if it exists) and FILE.pub; returns what may be shown. */
export function generateKeyFiles(file: string): GeneratedKey {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  // 'wx': never overwrite a key; mode applies at creation, so the secret is never world-readable.
  fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(file, 0o600);
  const raw = rawOfPublicKey(publicKey);
  const text = publicKeyText(raw);
  fs.writeFileSync(`${file}.pub`, `${text}\n`, { mode: 0o644 });
  return { keyId: keyIdOf(raw), publicKeyText: text };
}

export class PayloadSigner {
  readonly keyId: string;
  private readonly privateKey: crypto.KeyObject;

  constructor(privateKey: crypto.KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new UsageError('--sign needs an Ed25519 key made by quotefeed keygen');
    this.privateKey = privateKey;
    this.keyId = keyIdOf(rawOfPublicKey(crypto.createPublicKey(privateKey)));
  }

  static fromFile(file: string): PayloadSigner {
    let pem: string;
    try {
      pem = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read the signing key ${file}: ${(e as Error).message}`);
    }
    let key: crypto.KeyObject;
    try {
      key = crypto.createPrivateKey(pem);
    } catch {
      throw new UsageError(`${file} is not a private key made by quotefeed keygen`);
    }
    return new PayloadSigner(key);
  }

  /** The signed payload of a JSON object `payload` (no trailing whitespace) published on `topic`. */
  sign(topic: string, payload: string | Buffer): Buffer {
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (body.length < 3 || body[0] !== 0x7B || body[body.length - 1] !== 0x7D) {
      throw new Error('only a non-empty JSON object payload can be signed');
    }
    const signature = crypto.sign(null, signedMessage(topic, new Uint8Array(body.buffer, body.byteOffset, body.length)), this.privateKey);
    const suffix = `,"kid":"${this.keyId}","sig":"${encodeBase64Url(new Uint8Array(signature))}"}`;
    return Buffer.concat([body.subarray(0, body.length - 1), Buffer.from(suffix, 'latin1')]);
  }
}

/** Reads FILE.pub (or any file whose first non-empty line is a key text) into the key text. */
export function readTrustedKeyFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the trusted key ${file}: ${(e as Error).message}`);
  }
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  const parsed = parseTrustedKey(line);
  if (parsed.problem !== TrustedKeyProblem.NONE) throw new UsageError(`${file}: ${trustedKeyProblemText(parsed.problem)}`);
  return parsed.text;
}

/** core's SignatureVerifier over Node's crypto (Ed25519, SPKI keys). Never throws from verify. */
export class NodeSignatureVerifier implements SignatureVerifier {
  private readonly keys = new Map<string, crypto.KeyObject>();

  addKey(publicKey: Uint8Array): string {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new Error('an Ed25519 public key is 32 bytes');
    let key: crypto.KeyObject;
    try {
      key = crypto.createPublicKey({ key: spkiOfRawKey(publicKey), format: 'der', type: 'spki' });
    } catch (e) {
      throw new Error(`the platform refused the key: ${(e as Error).message}`);
    }
    const id = keyIdOf(publicKey);
    this.keys.set(id, key);
    return id;
  }

  clearKeys(): void {
    this.keys.clear();
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  verify(keyId: string, message: Uint8Array, signature: Uint8Array): boolean {
    const key = this.keys.get(keyId);
    if (key === undefined || signature.length !== ED25519_SIGNATURE_BYTES) return false;
    try {
      return crypto.verify(null, message, key, signature);
    } catch {
      return false;
    }
  }
}
