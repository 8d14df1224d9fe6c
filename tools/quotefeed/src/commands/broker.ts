// `quotefeed broker`: an embedded aedes broker until Ctrl-C. Prints its URL on stdout.
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
      verbose: { type: 'boolean', description: 'log client connections on stderr' },
    },
    details: [
      'Example: quotefeed broker --port 1883 & quotefeed publish --broker mqtt://127.0.0.1:1883',
      'WebSocket: quotefeed broker --port 1883 --ws-port 8080 & quotefeed watch --broker ws://127.0.0.1:8080/mqtt',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    const username = o.username as string | undefined;
    const password = (o.password as string | undefined) ?? (username !== undefined ? ctx.env.QUOTEFEED_PASSWORD : undefined);
    if ((username === undefined) !== (password === undefined)) throw new UsageError('--username and --password go together', 'broker');
    const broker = await startBroker({
      host: o.host as string,
      port: o.port as number,
      credentials: username !== undefined ? { username, password: password as string } : undefined,
      wsPort: o['ws-port'] as number | undefined,
      log: o.verbose ? (line) => ctx.stderr.write(`broker: ${line}\n`) : undefined,
    });
    ctx.stdout.write(`${broker.url}\n`);
    if (broker.wsUrl !== undefined) ctx.stdout.write(`${broker.wsUrl}\n`);
    const where = broker.wsUrl !== undefined ? `${broker.url} and ${broker.wsUrl}` : broker.url;
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
