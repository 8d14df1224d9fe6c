// `quotefeed publish`: simulated quotes from a seeded market, paced to the profile's (or --rate's) rate.
import { UsageError } from '../errors';
import { createSimulator, toEpochMs } from '../simulator';
import { PROFILES, PROFILE_NAMES, ProfileName } from '../profiles';
import { isSymbol } from '../quote';
import { MIN_TIMESTAMP_MS } from '@quotedeck/core';
import { Publisher, publishSimulation } from '../publisher';
import { BARS_OPTION, BarSnapshotPublisher, simulatorBackfill } from '../bars';
import { Progress, formatRate } from '../progress';
import type { Command } from '../registry';
import { brokerFrom, connectOptionsFrom, CONNECTION_OPTIONS, exclusive, prefixFrom, PUBLISH_OPTIONS, SIGN_OPTION, signerFrom, QUIET_OPTION, seconds } from './common';

const NAME = 'publish';

export function parseSymbols(list: string): string[] {
  const symbols = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (symbols.length === 0) throw new UsageError('--symbols is empty', NAME);
  for (const s of symbols) {
    if (!isSymbol(s)) throw new UsageError(`bad symbol "${s}" (1-12 of A-Z 0-9 . - ^)`, NAME);
  }
  if (new Set(symbols).size !== symbols.length) throw new UsageError('--symbols lists a symbol twice', NAME);
  return symbols;
}

export const publishCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Publish simulated quotes (seeded geometric Brownian motion per symbol) to <prefix>/<SYMBOL>/quotes.',
    options: {
      ...CONNECTION_OPTIONS,
      profile: { type: 'string', choices: PROFILE_NAMES, default: 'normal', description: 'load profile (see below)' },
      symbols: { type: 'string', valueName: 'A,B,...', description: "symbols to simulate (default: the profile's universe)" },
      rate: { type: 'number', valueName: 'N', greaterThan: 0, max: 1_000_000, description: 'total messages per second (default: the profile rate)' },
      seed: { type: 'integer', valueName: 'N', min: 0, max: 4294967295, default: 1, description: 'random seed: same seed, same prices' },
      count: { type: 'integer', valueName: 'N', min: 1, description: 'stop after N messages' },
      duration: { type: 'number', valueName: 'S', greaterThan: 0, description: 'stop after S seconds (default: run until Ctrl-C; burst: 5)' },
      start: { type: 'string', valueName: 'TIME', description: 'stamp quotes with simulated time from TIME (epoch ms or ISO) instead of the clock' },
      'time-format': { type: 'string', choices: ['ms', 'iso'], default: 'ms', description: 'timestamps as epoch ms or ISO-8601 strings' },
      'seq-start': { type: 'integer', valueName: 'N', min: 0, description: "first seq of every symbol (default: the start time in epoch ms, so a restarted feed's seq keeps rising)" },
      ...PUBLISH_OPTIONS,
      ...SIGN_OPTION,
      ...BARS_OPTION,
      ...QUIET_OPTION,
    },
    details: [
      'Profiles:',
      ...PROFILE_NAMES.map((p) => `  ${p.padEnd(7)} ${PROFILES[p].description}`),
      '',
      'Prints one summary line on stdout; progress goes to stderr on runs longer than a few seconds.',
      'Example: quotefeed publish --broker mqtt://127.0.0.1:1883 --profile active --duration 60',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    exclusive(args, 'count', 'duration', NAME);
    const address = brokerFrom(args, NAME);
    const conn = connectOptionsFrom(args, ctx, NAME);
    const prefix = prefixFrom(args, NAME);
    const profile = o.profile as ProfileName;
    const symbols = o.symbols !== undefined ? parseSymbols(o.symbols as string) : undefined;
    let startTime: number | undefined;
    if (o.start !== undefined) {
      try {
        startTime = toEpochMs(o.start as string);
      } catch {
        throw new UsageError(`--start must be epoch ms or an ISO time, got "${o.start}"`, NAME);
      }
      if (startTime < MIN_TIMESTAMP_MS) throw new UsageError('--start must be after 2000-01-01 (the app rejects older timestamps)', NAME);
    }
    const wallStart = Date.now();
    const sim = createSimulator({
      seed: o.seed as number,
      profile,
      symbols,
      rate: o.rate as number | undefined,
      startTime,
      seqStart: (o['seq-start'] as number | undefined) ?? startTime ?? wallStart,
    });
    const durationSec = (o.duration as number | undefined) ?? (o.count === undefined ? PROFILES[profile].defaultDurationSec : undefined);

    const pub = await Publisher.connect(address, { ...conn, qos: o.qos as 0 | 1, retain: o.retain as boolean, signer: signerFrom(args) });
    const progress = new Progress({ label: NAME, stream: ctx.stderr as never, enabled: o.quiet !== true, targetRate: sim.totalRate });
    const bars = BarSnapshotPublisher.forPublisher(pub, o.bars as number, simulatorBackfill(sim, o.bars as number));
    try {
      const r = await publishSimulation(pub, sim, {
        prefix,
        count: o.count as number | undefined,
        durationMs: durationSec !== undefined ? durationSec * 1000 : undefined,
        signal: ctx.signal,
        simulatedTime: startTime !== undefined,
        isoTime: o['time-format'] === 'iso',
        onProgress: (s) => progress.update(s),
        onQuote: bars ? (q) => bars.onQuote(prefix, q.symbol, q.price, q.timestamp as number, q.volume) : undefined,
      });
      progress.done();
      bars?.flushAll();
      const flushed = await pub.flush();
      // Quotes only: the bar snapshots are counted apart.
      const acked = pub.qos === 1 ? `, ${formatRate(pub.completed - (bars?.completed ?? 0))} acknowledged` : '';
      ctx.stdout.write(
        `published ${formatRate(r.sent)} quotes for ${sim.symbols.length} symbols to ${address.display} in ${seconds(r.elapsedMs)}: ` +
          `${formatRate(r.averageRate)} msg/s (target ${formatRate(sim.totalRate)}), QoS ${pub.qos}${pub.retain ? ', retained' : ''}${acked}\n`,
      );
      if (!flushed) ctx.stderr.write(`quotefeed publish: ${pub.pending} message(s) not confirmed before closing\n`);
      pub.check();
      return pub.failed > 0 ? 1 : 0;
    } finally {
      progress.done();
      await pub.close();
    }
  },
};
