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
