// `quotefeed broker`: an embedded aedes broker until Ctrl-C. Prints its URL on stdout.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { startBroker } from '../broker';
import type { Command } from '../registry';

export const brokerCommand: Command = {
  spec: {
    name: 'broker',
    summary: 'Run an embedded MQTT broker (aedes, in memory, TCP_NODELAY) until interrupted; prints its URL(s).',
    options: {
      host: { type: 'string', valueName: 'HOST', default: '127.0.0.1', description: 'address to listen on' },
      port: { type: 'integer', valueName: 'PORT', min: 0, max: 65535, default: 1883, description: 'port to listen on (0 = any free port)' },
      username: { type: 'string', valueName: 'NAME', description: 'require this user name (with --password)' },
      password: { type: 'string', valueName: 'SECRET', secret: true, description: 'require this password (or set QUOTEFEED_PASSWORD)' },
      'ws-port': { type: 'integer', valueName: 'PORT', min: 0, max: 65535, description: 'also serve MQTT over WebSocket on this port (any path; 0 = any free port)' },
      // client certificates (mutual TLS)
      'tls-port': { type: 'integer', valueName: 'PORT', min: 0, max: 65535, description: 'also serve MQTT over TLS on this port (with --tls-cert and --tls-key; 0 = any free port)' },
      'tls-cert': { type: 'string', valueName: 'FILE', description: 'the TLS port\'s certificate (PEM)' },
      'tls-key': { type: 'string', valueName: 'FILE', description: 'the TLS port\'s private key (PEM)' },
      'tls-ca': { type: 'string', valueName: 'FILE', description: 'CA (PEM) whose client certificates the TLS port accepts' },
      'require-client-cert': { type: 'boolean', description: 'the TLS port refuses clients without a certificate from --tls-ca (mutual TLS)' },
      verbose: { type: 'boolean', description: 'log client connections on stderr' },
    },
    details: [
      'Example: quotefeed broker --port 1883 & quotefeed publish --broker mqtt://127.0.0.1:1883',
      'WebSocket: quotefeed broker --port 1883 --ws-port 8080 & quotefeed watch --broker ws://127.0.0.1:8080/mqtt',
      'Mutual TLS: quotefeed broker --tls-port 8883 --tls-cert server.pem --tls-key server.key --tls-ca ca.pem --require-client-cert',
      '  & quotefeed watch --broker ssl://127.0.0.1:8883 --ca ca.pem --cert client.pem --key client.key',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    const username = o.username as string | undefined;
    const password = (o.password as string | undefined) ?? (username !== undefined ? ctx.env.QUOTEFEED_PASSWORD : undefined);
    if ((username === undefined) !== (password === undefined)) throw new UsageError('--username and --password go together', 'broker');
    const tlsOptions = tlsListenerFrom(o, ctx.cwd);
    const broker = await startBroker({
      tlsPort: o['tls-port'] as number | undefined,
      tls: tlsOptions,
      host: o.host as string,
      port: o.port as number,
      credentials: username !== undefined ? { username, password: password as string } : undefined,
      wsPort: o['ws-port'] as number | undefined,
      log: o.verbose ? (line) => ctx.stderr.write(`broker: ${line}\n`) : undefined,
    });
    ctx.stdout.write(`${broker.url}\n`);
    if (broker.wsUrl !== undefined) ctx.stdout.write(`${broker.wsUrl}\n`);
    if (broker.tlsUrl !== undefined) ctx.stdout.write(`${broker.tlsUrl}\n`);
    const urls = [broker.url, broker.wsUrl, broker.tlsUrl].filter((u): u is string => u !== undefined);
    const where = urls.join(' and ') + (o['require-client-cert'] === true ? ' (client certificate required on TLS)' : '');
    ctx.stderr.write(`quotefeed broker listening on ${where}${username !== undefined ? ' (credentials required)' : ''}; Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await broker.close();
    ctx.stderr.write('quotefeed broker stopped\n');
    return 0;
  },
};

/** The TLS listener of `--tls-port` (client certificates: `--tls-ca`, `--require-client-cert`), checked and read. */
function tlsListenerFrom(o: Record<string, unknown>, cwd: string): { key: Buffer; cert: Buffer; ca?: Buffer; requireClientCert?: boolean } | undefined {
  const port = o['tls-port'] as number | undefined;
  const tlsFlags = ['tls-cert', 'tls-key', 'tls-ca', 'require-client-cert'].filter((k) => o[k] !== undefined && o[k] !== false);
  if (port === undefined) {
    if (tlsFlags.length > 0) throw new UsageError(`--${tlsFlags[0]} needs --tls-port`, 'broker');
    return undefined;
  }
  if (o['tls-cert'] === undefined || o['tls-key'] === undefined) throw new UsageError('--tls-port needs --tls-cert and --tls-key', 'broker');
  if (o['require-client-cert'] === true && o['tls-ca'] === undefined) throw new UsageError('--require-client-cert needs --tls-ca (the CA of the accepted client certificates)', 'broker');
  const read = (flag: string): Buffer => {
    const file = path.resolve(cwd, o[flag] as string);
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new UsageError(`--${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'broker');
    }
  };
  return {
    key: read('tls-key'),
    cert: read('tls-cert'),
    ca: o['tls-ca'] !== undefined ? read('tls-ca') : undefined,
    requireClientCert: o['require-client-cert'] === true,
  };
}
