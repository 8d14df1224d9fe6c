// A self-signed certificate for TLS brokers in tests, made with openssl at test time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  key: Buffer;
  cert: Buffer;
  keyFile: string;
  certFile: string;
  /** Removes the temp folder of the two files. */
  cleanup(): void;
}

/**
 * A certificate for localhost / 127.0.0.1 and its key, or the reason why openssl could not make one
 * (the callers fail the test with it: openssl is a CI dependency, a missing one must not pass).
 */
export function selfSignedCert(): TestCertificate | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore', timeout: 20000 });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { skip: `openssl could not make a test certificate (${(e as Error).message.split('\n')[0]})` };
  }
  return {
    key: fs.readFileSync(keyFile),
    cert: fs.readFileSync(certFile),
    keyFile,
    certFile,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** PEM files for mutual TLS, all in one temp folder (see makeTestPki). */
export interface TestPki {
  dir: string;
  /** The CA that signs the server and the good client certificates. */
  caFile: string;
  /** Server certificate for localhost / 127.0.0.1, signed by the CA, and its key. */
  serverCertFile: string;
  serverKeyFile: string;
  /** A client certificate signed by the CA (CN quotedeck-client), and its key. */
  clientCertFile: string;
  clientKeyFile: string;
  /** The same client key encrypted (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) with `clientKeyPassword`. */
  clientEncryptedKeyFile: string;
  /** The same client key in OpenSSL's legacy encryption ("Proc-Type: 4,ENCRYPTED", AES-128-CBC), same password. */
  clientLegacyEncryptedKeyFile: string;
  clientKeyPassword: string;
  /** A client certificate of the CA whose validity ended before the test began (same key). */
  expiredCertFile: string;
  /** A client certificate from ANOTHER CA (one the broker does not trust), and its key. */
  otherCaCertFile: string;
  otherCaKeyFile: string;
  /** That key encrypted like clientEncryptedKeyFile, with `clientKeyPassword`. */
  otherCaEncryptedKeyFile: string;
  /** The client certificate in DER, not PEM. */
  derCertFile: string;
  cleanup(): void;
}

/**
 * A CA, a server certificate and the client certificates a mutual-TLS test needs, made with openssl
 * at test time (RSA 2048, valid 2 days; the expired one ends a day before it begins, openssl
 * `-days -1`). Throws with openssl's reason: openssl is a CI dependency and a missing one must fail.
 */
export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-pki-'));
  const f = (name: string): string => path.join(dir, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20000, cwd: dir });
  };
  const password = 'key-Passw0rd';
  try {
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=QuoteDeck Test CA']);
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('other-ca.key'), '-out', f('other-ca.pem'), '-days', '2', '-subj', '/CN=Other Test CA']);
    const sign = (name: string, subj: string, ca: string, days: string, ext?: string, key?: string): void => {
      const keyFile = key ?? f(`${name}.key`);
      if (key === undefined) run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
      run(['req', '-new', '-key', keyFile, '-out', f(`${name}.csr`), '-subj', subj]);
      const args = ['x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}.key`), '-CAcreateserial',
        '-out', f(`${name}.pem`), '-days', days];
      if (ext !== undefined) {
        fs.writeFileSync(f(`${name}.ext`), ext);
        args.push('-extfile', f(`${name}.ext`));
      }
      run(args);
    };
    sign('server', '/CN=localhost', 'ca', '2', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    sign('client', '/CN=quotedeck-client/O=QuoteDeck', 'ca', '2');
    sign('expired', '/CN=quotedeck-client/O=QuoteDeck', 'ca', '-1', undefined, f('client.key'));
    sign('other', '/CN=other-client', 'other-ca', '2');
    run(['pkey', '-in', f('client.key'), '-aes256', '-passout', `pass:${password}`, '-out', f('client-encrypted.key')]);
    run(['rsa', '-in', f('client.key'), '-aes128', '-traditional', '-passout', `pass:${password}`, '-out', f('client-legacy.key')]);
    run(['pkey', '-in', f('other.key'), '-aes256', '-passout', `pass:${password}`, '-out', f('other-encrypted.key')]);
    run(['x509', '-in', f('client.pem'), '-outform', 'DER', '-out', f('client.der')]);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const err = e as Error & { stderr?: Buffer };
    throw new Error(`openssl could not make the test certificates: ${err.stderr?.toString().trim() || err.message.split('\n')[0]}`);
  }
  return {
    dir,
    caFile: f('ca.pem'),
    serverCertFile: f('server.pem'),
    serverKeyFile: f('server.key'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    clientEncryptedKeyFile: f('client-encrypted.key'),
    clientLegacyEncryptedKeyFile: f('client-legacy.key'),
    clientKeyPassword: password,
    expiredCertFile: f('expired.pem'),
    otherCaCertFile: f('other.pem'),
    otherCaKeyFile: f('other.key'),
    otherCaEncryptedKeyFile: f('other-encrypted.key'),
    derCertFile: f('client.der'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
