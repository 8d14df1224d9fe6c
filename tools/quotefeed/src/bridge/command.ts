// `quotefeed bridge`: live quotes from a public market-data source, republished in QuoteDeck's
// payload schema on <prefix>/<SYMBOL>/quotes (retained, QoS 1) for the app, `watch` and the demo.
import { CliError, ExitCode, UsageError } from '../errors';
import type { Command } from '../registry';
import { formatRate } from '../progress';
import { brokerFrom, connectOptionsFrom, CONNECTION_OPTIONS, prefixFrom, seconds, SIGN_OPTION, signerFrom, symbolListFrom } from '../commands/common';
import { DEFAULT_PREFIX } from '../quote';
import { ADAPTERS } from './adapters';
import { Bridge, SeqMode } from './bridge';
import { BrokerLink } from './brokerLink';
import { MappingError, SOURCE_NAMES, SourceName } from './source';
import { bridgeResult, statusLine } from './status';

const NAME = 'bridge';
export const DEFAULT_MAX_RATE = 2;

function checkUrl(raw: string, schemes: string[], option: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--${option} is not a URL: "${raw}"`, NAME);
  }
  if (!schemes.includes(u.protocol)) throw new UsageError(`--${option} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`, NAME);
  return u.toString().replace(/\/$/, '');
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

export const bridgeCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Republish live quotes from Coinbase, Binance, Kraken or Finnhub to <prefix>/<SYMBOL>/quotes.',
    options: {
      source: { type: 'string', choices: SOURCE_NAMES, description: 'market-data source (required)' },
      symbols: { type: 'string', valueName: 'A,B,...', description: "symbols, named the app's way: BTC-USD,ETH-USD (crypto) or AAPL,MSFT (finnhub) (required)" },
      ...CONNECTION_OPTIONS,
      ...SIGN_OPTION,
      prefix: { type: 'string', valueName: 'PREFIX', default: DEFAULT_PREFIX, description: 'topic prefix: quotes go to <PREFIX>/<SYMBOL>/quotes' },
      'max-rate': { type: 'number', valueName: 'N', greaterThan: 0, max: 100, default: DEFAULT_MAX_RATE, description: 'at most N publishes a second per symbol (the latest value always goes out)' },
      'source-url': { type: 'string', valueName: 'URL', description: "the source's WebSocket endpoint (default: its public one; e.g. a sandbox or a local test server)" },
      'rest-url': { type: 'string', valueName: 'URL', description: "the source's REST base URL for symbol checks and reference prices (binance, finnhub)" },
      seq: { type: 'string', choices: ['bridge', 'source'], default: 'bridge', description: "seq in the payload: a gap-free count per symbol, or the source's own sequence / trade id (see below)" },
      silence: { type: 'number', valueName: 'S', greaterThan: 0, max: 3600, description: "reconnect after S seconds without any message from the source (default per source: 15-60)" },
      duration: { type: 'number', valueName: 'S', greaterThan: 0, description: 'stop after S seconds (default: until Ctrl-C)' },
      'status-every': { type: 'number', valueName: 'S', min: 1, max: 3600, default: 10, description: 'off a terminal: a status line every S seconds' },
      json: { type: 'boolean', description: 'print one JSON object on exit (per-symbol last values and state, counters) and nothing else on stdout' },
      quiet: { type: 'boolean', description: 'no status lines on stderr (failures are still reported)' },
    },
    details: [
      'Sources (no key): coinbase (Coinbase Exchange ticker), binance (spot <symbol>@ticker; BTC-USD is the',
      'BTCUSDT book, priced in USDT), kraken (WebSocket v2 ticker). With a key: finnhub (US stock trades and',
      'the REST quote for the previous close); the key is read from FINNHUB_API_KEY, never from a flag, and',
      'never printed.',
      'Crypto "day" figures are a rolling 24 h: open and prevClose are the price 24 h ago, so the change',
      'column shows the 24 h change; such payloads carry "changeBasis":"rolling24h" (docs/payload.md).',
      "--seq source passes the exchange's own sequence (coinbase) or last trade id (binance); throttled",
      'updates then skip numbers, which the app counts as gaps. kraken and finnhub have none.',
      'A symbol the source refuses is reported and the others keep streaming. Lost links to the source or',
      'the broker are retried with full-jitter backoff; the first broker connect must succeed (exit 3).',
      'Example: quotefeed bridge --source coinbase --symbols BTC-USD,ETH-USD --broker tcp://test.mosquitto.org:1883 --prefix myname/finance',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    if (o.source === undefined) throw new UsageError(`--source is required (${SOURCE_NAMES.join(', ')})`, NAME);
    if (o.symbols === undefined) throw new UsageError('--symbols is required', NAME);
    const adapter = ADAPTERS[o.source as SourceName];
    const symbols = symbolListFrom(o.symbols as string, NAME);
    const address = brokerFrom(args, NAME);
    const conn = connectOptionsFrom(args, ctx, NAME);
    const prefix = prefixFrom(args, NAME);
    const maxRate = o['max-rate'] as number;
    const sourceUrl = o['source-url'] !== undefined ? checkUrl(o['source-url'] as string, ['ws:', 'wss:'], 'source-url') : undefined;
    const restUrl = o['rest-url'] !== undefined ? checkUrl(o['rest-url'] as string, ['http:', 'https:'], 'rest-url') : undefined;
    let key: string | undefined;
    if (adapter.keyEnv !== undefined) {
      key = ctx.env[adapter.keyEnv]?.trim();
      if (!key) throw new UsageError(`${adapter.name} needs your API key in the environment variable ${adapter.keyEnv} (it is never taken from a flag)`, NAME);
    }
    const unmappable = symbols.map((sym) => {
      try {
        adapter.toSource(sym);
        return undefined;
      } catch (e) {
        if (e instanceof MappingError) return e.message;
        throw e;
      }
    });
    if (unmappable.every((m) => m !== undefined)) throw new UsageError(unmappable.join('; '), NAME);
    const stderr = ctx.stderr as NodeJS.WritableStream & { isTTY?: boolean };
    const quiet = o.quiet === true;
    let inPlace = false;
    const say = (line: string): void => {
      if (quiet) return;
      if (inPlace) stderr.write('\r\u001b[K');
      inPlace = false;
      stderr.write(`${clock()} ${line}\n`);
    };

    const started = Date.now();
    const broker = await BrokerLink.connect(address, { ...conn, signer: signerFrom(args) }, () => {
      if (broker.state === 'waiting') say(`broker link down (${broker.lastError}); reconnecting in ${(broker.retryInMs / 1000).toFixed(1)} s`);
      if (broker.state === 'connected') say(`broker link back (${broker.display}); republished the latest quotes`);
    });
    let fatal: string | undefined;
    let wake: () => void = () => {};
    const bridge = new Bridge({
      adapter, symbols, sink: broker, prefix, maxRate, sourceUrl, restUrl, key,
      seq: o.seq as SeqMode,
      silenceMs: o.silence !== undefined ? (o.silence as number) * 1000 : undefined,
      onNotice: say,
      onFatal: (reason) => {
        fatal ??= reason;
        wake();
      },
    });
    say(`bridging ${bridge.live.length} symbol(s) from ${adapter.name} to ${broker.display} as ${prefix || '(no prefix)'}/<SYMBOL>/quotes, at most ${maxRate}/s per symbol`);
    bridge.start();

    const tty = stderr.isTTY === true;
    const everyMs = tty ? 1000 : (o['status-every'] as number) * 1000;
    const ticker = setInterval(() => {
      if (quiet) return;
      const line = statusLine(bridge, broker);
      if (tty) {
        const width = (stderr as { columns?: number }).columns ?? 160;
        stderr.write(`\r${line.slice(0, width - 1)}\u001b[K`);
        inPlace = true;
      } else {
        stderr.write(`${clock()} ${line}\n`);
      }
    }, everyMs);
    try {
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (fatal !== undefined) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        const d = o.duration as number | undefined;
        if (d !== undefined) setTimeout(resolve, d * 1000).unref();
      });
    } finally {
      clearInterval(ticker);
      if (inPlace) stderr.write('\n');
      await bridge.stop();
      await broker.close();
    }
    const durationMs = Date.now() - started;
    if (o.json === true) {
      ctx.stdout.write(`${JSON.stringify(bridgeResult(bridge, broker, prefix, maxRate, durationMs))}\n`);
    } else {
      const s = bridge.stats;
      ctx.stdout.write(
        `bridged ${formatRate(s.updates)} updates from ${adapter.name} into ${formatRate(s.published)} quotes for ` +
          `${bridge.live.length} symbol(s) on ${broker.display} in ${seconds(durationMs)}` +
          `${s.malformed ? `, ${s.malformed} malformed message(s) skipped` : ''}${s.invalid ? `, ${s.invalid} invalid update(s) skipped` : ''}\n`,
      );
    }
    if (fatal !== undefined) throw new CliError(fatal, ExitCode.OTHER);
    return ExitCode.OK;
  },
};
