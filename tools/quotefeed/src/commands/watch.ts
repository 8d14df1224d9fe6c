// `quotefeed watch`: a live console watchlist fed by QuoteDeck's own engine (the app's code path).
import path from 'node:path';
import {
  BrokerUrl, checkFailoverBrokers, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_STALE_AFTER_MS, DEFAULT_WATCHLIST,
  FeedSettingsValidator, MAX_FLUSH_INTERVAL_MS, MIN_FLUSH_INTERVAL_MS, quoteTopicFilter, SettingsError
} from '@quotedeck/core';
import { repeatedValues } from '../args';
import type { OptionSpec, ParsedArgs } from '../args';
import { readTrustedKeyFile } from '../signing';
import { UsageError } from '../errors';
import { runLive } from '../live';
import type { Command, CommandContext } from '../registry';
import type { ScreenStream } from '../screen';
import { prefixOfFilter, WatchConfig, WatchSession } from '../watch';
import { appMqttVersionOf, brokerFrom, connectOptionsFrom, CONNECTION_OPTIONS, exclusive, prefixFrom, symbolListFrom } from './common';
import { DEFAULT_PREFIX } from '../quote';

const NAME = 'watch';

/** Options of the live view, shared with `demo`. */
export const VIEW_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  duration: { type: 'number', valueName: 'S', greaterThan: 0, description: 'stop after S seconds (default: until Ctrl-C)' },
  'flush-ms': {
    type: 'integer', valueName: 'N', min: MIN_FLUSH_INTERVAL_MS, max: MAX_FLUSH_INTERVAL_MS, default: DEFAULT_FLUSH_INTERVAL_MS,
    description: "the engine's batch interval: at most one update per N ms reaches the watchlist (the app's setting)",
  },
  'stale-after': { type: 'number', valueName: 'S', min: 1, max: 3600, default: DEFAULT_STALE_AFTER_MS / 1000, description: 'mark a symbol stale after S seconds without a quote' },
  refresh: { type: 'number', valueName: 'S', min: 0.05, max: 3600, description: 'redraw every S seconds (default 0.25 on a terminal, 5 otherwise)' },
  color: { type: 'boolean', negatable: true, default: true, description: 'colours on a terminal (NO_COLOR also turns them off)' },
};

export const watchCommand: Command = {
  spec: {
    name: NAME,
    summary: "Show a live watchlist of a broker's quotes, received through QuoteDeck's own feed engine.",
    options: {
      ...CONNECTION_OPTIONS,
      'client-id': {
        type: 'string', valueName: 'ID',
        description: 'MQTT client id, at most 23 of A-Z a-z 0-9 . - _ (default qf-watch-<pid>-<random>, a fresh session each run)',
      },
      topic: { type: 'string', valueName: 'FILTER', description: `subscribe to FILTER, of the form PREFIX/+/quotes (default ${quoteTopicFilter(DEFAULT_PREFIX)})` },
      prefix: { type: 'string', valueName: 'PREFIX', default: DEFAULT_PREFIX, description: 'topic prefix: subscribe to PREFIX/+/quotes' },
      symbols: { type: 'string', valueName: 'A,B,...', description: `symbols to watch (default the app's watchlist: ${DEFAULT_WATCHLIST.join(',')})` },
      'per-symbol': { type: 'boolean', description: "one subscription per watched symbol instead of the wildcard (the app's perSymbol mode)" },
      ...VIEW_OPTIONS,
      json: { type: 'boolean', description: 'print one JSON object on exit (last quote, seq, ticks, duplicates, gaps, stale per symbol, and the engine counters) and nothing else on stdout' },
      failover: {
        type: 'string', valueName: 'URL', repeatable: true,
        description: "another node of the broker's cluster, tried after --broker when a connect fails or the link drops (the app's failover); repeatable",
      },
      retry: { type: 'boolean', description: 'keep retrying when the first connect fails, as the app does (default: exit 3 once every node failed)' },
      trust: { type: 'string', valueName: 'FILE.pub', repeatable: true, description: 'trust this publisher key (quotefeed keygen); repeatable. Unsigned or forged quotes are then rejected and counted' },
      'accept-unsigned': { type: 'boolean', description: 'with --trust: apply unsigned quotes too (signed ones must still verify)' },
    },
    details: [
      'Symbols that are not watched are received and counted as "unwatched" (the engine drops them).',
      'On a terminal the list is redrawn in place; otherwise a plain frame is printed every --refresh',
      'seconds (and at the end), plus a line when the connection changes.',
      'Exit: 0 after Ctrl-C or --duration; 2 bad URL or option; 3 broker unreachable, refused, timed out,',
      'bad credentials or TLS failure (one line on stderr; the password is never printed).',
      'Without --client-id each run uses a fresh id and removes its broker session when it ends.',
      'Example: quotefeed watch --broker mqtt://127.0.0.1:1883 --symbols AAPL,MSFT,BTC-USD',
      'A cluster: quotefeed watch --broker mqtt://node-a:1883 --failover mqtt://node-b:1883 (--json names the node in use).',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    const config = watchConfigFrom(args, ctx, NAME);
    const json = o.json === true;
    let session: WatchSession;
    try {
      session = new WatchSession(config);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(e.message, NAME);
      throw e;
    }
    const stdout = ctx.stdout as ScreenStream;
    const stderr = ctx.stderr as ScreenStream;
    // With --json stdout carries the result only: the live view goes to stderr if that is a terminal.
    const out = json ? (stderr.isTTY ? stderr : undefined) : stdout;
    // Connection changes as lines wherever no in-place view runs (it shows them itself).
    const logTo = json ? (stderr.isTTY ? undefined : stderr) : stdout.isTTY ? undefined : stdout;
    const r = await runLive({
      session,
      signal: ctx.signal,
      out,
      color: o.color !== false && !ctx.env.NO_COLOR,
      refreshMs: o.refresh !== undefined ? (o.refresh as number) * 1000 : undefined,
      durationMs: o.duration !== undefined ? (o.duration as number) * 1000 : undefined,
      title: `quotefeed watch · ${session.address.display} · ${session.topic} · ${config.symbols.length} symbols`,
      log: logTo ? (line) => logTo.write(`${line}\n`) : undefined,
      hint: 'Ctrl-C to stop',
    });
    if (r.failure) throw r.failure;
    if (json) ctx.stdout.write(`${JSON.stringify(session.result())}\n`);
    return 0;
  },
};

/** The WatchConfig of `watch`'s options (also used by tests). */
export function watchConfigFrom(args: ParsedArgs, ctx: CommandContext, command: string): WatchConfig {
  const o = args.options;
  exclusive(args, 'topic', 'prefix', command);
  brokerFrom(args, command);
  const conn = connectOptionsFrom(args, ctx, command);
  let prefix = prefixFrom(args, command);
  if (o.topic !== undefined) {
    const p = prefixOfFilter(o.topic as string);
    if (p === undefined) {
      throw new UsageError(`--topic must be PREFIX/+/quotes (the filter the app subscribes to), got "${o.topic}"`, command);
    }
    prefix = p;
  }
  if (conn.clientId !== undefined) {
    const err = FeedSettingsValidator.clientIdError(conn.clientId);
    if (err !== SettingsError.NONE) throw new UsageError(`--client-id: ${FeedSettingsValidator.reasonOf(err)}`, command);
  }
  const caFile: string | undefined = conn.caFile;
  const failover = checkFailoverBrokers(repeatedValues(o.failover), false, BrokerUrl.parse(o.broker as string));
  if (!failover.ok) {
    const issue = failover.issues[0];
    throw new UsageError(`--failover ${repeatedValues(o.failover)[issue.row]}: ${issue.reason}`, command);
  }
  const symbols = o.symbols !== undefined ? symbolListFrom(o.symbols as string, command) : [...DEFAULT_WATCHLIST];
  return {
    broker: o.broker as string,
    symbols,
    prefix,
    perSymbol: o['per-symbol'] === true,
    clientId: conn.clientId,
    username: conn.username,
    password: conn.password,
    connectTimeoutSec: o['connect-timeout'] as number,
    flushMs: o['flush-ms'] as number,
    staleAfterMs: Math.round((o['stale-after'] as number) * 1000),
    verifyServer: conn.rejectUnauthorized !== false,
    caFile,
    certFile: conn.certFile,
    keyFile: conn.keyFile,
    keyPassword: conn.keyPassword,
    failoverUrls: failover.normalised,
    retry: o.retry === true,
    trustedKeys: repeatedValues(o.trust).map((f) => readTrustedKeyFile(path.resolve(ctx.cwd, f))),
    acceptUnsigned: o['accept-unsigned'] === true,
    mqttVersion: appMqttVersionOf(conn),
  };
}
