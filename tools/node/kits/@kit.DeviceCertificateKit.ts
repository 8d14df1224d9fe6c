// Node double of the part of @ohos.security.cert (API 12, @kit.DeviceCertificateKit) that the app
// uses (common/platform tls/ClientCertificateReader): cert.createX509Cert (promise form) over Node's
// crypto.X509Certificate, and on the certificate getNotBeforeTime, getNotAfterTime, getSubjectName.
// Strict like the platform (SDK @ohos.security.cert.d.ts):
// - createX509Cert checks its EncodingBlob (data a Uint8Array, encodingFormat FORMAT_DER 0 or
//   FORMAT_PEM 1) and throws BusinessError 401 otherwise; a blob that is not a certificate in the
//   given format rejects with 19030001 (crypto operation error);
// - the times are the certificate's ASN.1 time text (UTCTime `YYMMDDHHMMSSZ` up to 2049,
//   GeneralizedTime after), the subject the OpenSSL one-line form `/CN=…/O=…` in a DataBlob: by
//   default ASCII with every other byte escaped `\xHH` (X509_NAME_oneline), UTF-8 with
//   EncodingType.ENCODING_UTF8; FORMAT_DER refuses anything that does not start as DER. (Both forms are what the double returns; the exact text of the shipped framework is
//   in docs/brokers.md's list of what a device must confirm.)
// Everything else of the module is absent here, so a use of it fails loudly on Node.
import * as crypto from 'node:crypto';
import { BusinessError } from './business-error';


enum EncodingFormat { FORMAT_DER = 0, FORMAT_PEM = 1 }
enum EncodingType { ENCODING_UTF8 = 0 }

/** X509_NAME_oneline's escaping: bytes outside printable ASCII as \xHH. */
function asciiEscaped(utf8: Buffer): Buffer {
  let out = '';
  for (const b of utf8) out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return Buffer.from(out, 'latin1');
}

interface EncodingBlob {
  data: Uint8Array;
  encodingFormat: EncodingFormat;
}

function asn1Time(date: Date): string {
  const p = (n: number): string => n.toString().padStart(2, '0');
  const y = date.getUTCFullYear();
  const rest = `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return y < 2050 && y >= 1950 ? `${p(y % 100)}${rest}` : `${y}${rest}`;
}

class X509Cert {
  constructor(private readonly x: crypto.X509Certificate) {}
  getNotBeforeTime(): string {
    return asn1Time(new Date(this.x.validFrom));
  }
  getNotAfterTime(): string {
    return asn1Time(new Date(this.x.validTo));
  }
  getSubjectName(encodingType?: number): { data: Uint8Array } {
    if (encodingType !== undefined && encodingType !== EncodingType.ENCODING_UTF8) throw new BusinessError(401, 'invalid parameters: encodingType');
    const oneLine = Buffer.from(this.x.subject.split('\n').filter((l) => l.length > 0).map((l) => `/${l}`).join(''), 'utf8');
    return { data: new Uint8Array(encodingType === undefined ? asciiEscaped(oneLine) : oneLine) };
  }
}

function createX509Cert(inStream: EncodingBlob, callback?: unknown): Promise<X509Cert> {
  if (callback !== undefined) throw new BusinessError(801, 'the callback form of createX509Cert is not doubled');
  if (inStream === null || typeof inStream !== 'object' || !(inStream.data instanceof Uint8Array) ||
    (inStream.encodingFormat !== EncodingFormat.FORMAT_DER && inStream.encodingFormat !== EncodingFormat.FORMAT_PEM)) {
    throw new BusinessError(401, 'invalid parameters: inStream must be an EncodingBlob');
  }
  const bytes = Buffer.from(inStream.data);
  try {
    if (inStream.encodingFormat === EncodingFormat.FORMAT_PEM && !bytes.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error('not PEM');
    }
    if (inStream.encodingFormat === EncodingFormat.FORMAT_DER && bytes[0] !== 0x30) {
      throw new Error('not DER'); // Node would also take PEM text here; the platform's DER parser does not
    }
    return Promise.resolve(new X509Cert(new crypto.X509Certificate(bytes)));
  } catch {
    return Promise.reject(new BusinessError(19030001, 'crypto operation error'));
  }
}

export const cert = { createX509Cert, EncodingFormat, EncodingType };
