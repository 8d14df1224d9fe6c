// Node double of the part of @ohos.security.cryptoFramework (API 12) that OhosSignatureVerifier
// uses, over Node's crypto: createAsyKeyGenerator('Ed25519').convertKeySync (SPKI DER public keys),
// createMd('SHA256') updateSync/digestSync, createVerify('Ed25519') initSync/verifySync.
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

class Sha256Md {
  readonly algName = 'SHA256';
  private hash = crypto.createHash('sha256');
  updateSync(input: DataBlob): void {
    this.hash.update(blobBytes(input, 'input'));
  }
  digestSync(): DataBlob {
    const out = new Uint8Array(this.hash.digest());
    this.hash = crypto.createHash('sha256'); // the platform's Md is reusable after digest
    return { data: out };
  }
  getMdLength(): number {
    return 32;
  }
}

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
  createAsyKeyGenerator(algName: string): Ed25519KeyGenerator {
    return algName === 'Ed25519' ? new Ed25519KeyGenerator() : unsupported(algName);
  },
  createMd(algName: string): Sha256Md {
    return algName === 'SHA256' ? new Sha256Md() : unsupported(algName);
  },
  createVerify(algName: string): Ed25519Verify {
    return algName === 'Ed25519' ? new Ed25519Verify() : unsupported(algName);
  },
};
