// paho's SSL options (SSLSocket_createContext / SSLSocket_connect) mapped onto Node's TLS options.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { OHOS_CA_PATH } from '../codes';
import type { SslSpec } from './options';

export function tlsOptions(ssl: SslSpec, host: string): tls.ConnectionOptions {
  const o: tls.ConnectionOptions = {
    rejectUnauthorized: ssl.enableServerCertAuth,
    checkServerIdentity: ssl.verify ? tls.checkServerIdentity : () => undefined,
  };
  if (net.isIP(host) === 0) o.servername = host;
  const cas: Buffer[] = [];
  // The default trustStore is the device's CA bundle; on a machine without that file, Node's
  // own CA store plays the same role. An explicit trustStore must be readable (else TLS fails).
  if (!(ssl.trustStore === OHOS_CA_PATH && !fs.existsSync(OHOS_CA_PATH))) cas.push(fs.readFileSync(ssl.trustStore));
  if (ssl.caPath) {
    for (const f of fs.readdirSync(ssl.caPath)) {
      const p = path.join(ssl.caPath, f);
      if (fs.statSync(p).isFile()) cas.push(fs.readFileSync(p));
    }
  }
  if (cas.length > 0) o.ca = cas;
  if (ssl.keyStore) o.cert = fs.readFileSync(ssl.keyStore);
  if (ssl.privateKey || ssl.keyStore) o.key = fs.readFileSync(ssl.privateKey || ssl.keyStore);
  if (ssl.privateKeyPassword) o.passphrase = ssl.privateKeyPassword;
  if (ssl.enabledCipherSuites) o.ciphers = ssl.enabledCipherSuites;
  const versions: Record<number, tls.SecureVersion> = { 1: 'TLSv1', 2: 'TLSv1.1', 3: 'TLSv1.2' };
  if (versions[ssl.sslVersion]) {
    o.minVersion = versions[ssl.sslVersion];
    o.maxVersion = versions[ssl.sslVersion];
  }
  return o;
}
