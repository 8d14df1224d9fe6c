// `quotefeed replay FILE`: publish recorded quotes (NDJSON or CSV) paced by their timestamps.
import { readReplayFile, replayEntries, ReplayFormat } from '../replay';
import { Publisher } from '../publisher';
import { BARS_OPTION, BarSnapshotPublisher, prefixOfQuoteTopic } from '../bars';
import { Progress, formatRate } from '../progress';
import type { Command } from '../registry';
import { brokerFrom, connectOptionsFrom, CONNECTION_OPTIONS, prefixFrom, PUBLISH_OPTIONS, SIGN_OPTION, signerFrom, QUIET_OPTION, seconds } from './common';

const NAME = 'replay';

export const replayCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Publish recorded quotes from an NDJSON or CSV file, paced by their timestamps x --speed.',
    positionals: [{ name: 'FILE', required: true, description: 'NDJSON (one payload per line, optional "topic") or CSV (header, or symbol,price,timestamp[,volume,bid,ask,seq,...])' }],
    options: {
      ...CONNECTION_OPTIONS,
      speed: { type: 'number', valueName: 'X', min: 0, default: 1, description: 'time multiplier: 2 = twice as fast, 0 = as fast as possible' },
      format: { type: 'string', choices: ['ndjson', 'csv'], description: 'file format (default: from the extension or the first line)' },
      retime: { type: 'boolean', description: 'stamp each quote with the time it is sent instead of the recorded time' },
      ...PUBLISH_OPTIONS,
      ...SIGN_OPTION,
      ...BARS_OPTION,
      ...QUIET_OPTION,
    },
    details: [
      'The file is checked completely before anything is sent: a malformed line exits 4 naming the line.',
      'A quote without a topic goes to <prefix>/<SYMBOL>/quotes. Payloads are sent as read (nothing is added).',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    const address = brokerFrom(args, NAME);
    const conn = connectOptionsFrom(args, ctx, NAME);
    const prefix = prefixFrom(args, NAME);
    const file = args.positionals[0];
    const entries = readReplayFile(file, { prefix, format: o.format as ReplayFormat | undefined });
    const pub = await Publisher.connect(address, { ...conn, qos: o.qos as 0 | 1, retain: o.retain as boolean, signer: signerFrom(args) });
    const progress = new Progress({ label: NAME, stream: ctx.stderr as never, enabled: o.quiet !== true });
    const bars = BarSnapshotPublisher.forPublisher(pub, o.bars as number);
    try {
      const r = await replayEntries(pub, entries, {
        speed: o.speed as number, retime: o.retime === true, signal: ctx.signal, onProgress: (s) => progress.update(s),
        onSent: bars ? (e, ts) => {
          const p = prefixOfQuoteTopic(e.topic, e.symbol);
          const price = e.payload.price;
          const volume = e.payload.volume;
          if (p !== undefined && typeof price === 'number') bars.onQuote(p, e.symbol, price, ts, typeof volume === 'number' ? volume : undefined);
        } : undefined,
      });
      progress.done();
      bars?.flushAll();
      await pub.flush();
      const recorded = entries[entries.length - 1].timeMs - entries[0].timeMs;
      ctx.stdout.write(
        `replayed ${formatRate(r.sent)} of ${formatRate(entries.length)} quotes to ${address.display} in ${seconds(r.elapsedMs)} ` +
          `(recorded span ${seconds(recorded)}, speed ${o.speed === 0 ? 'max' : `x${o.speed}`})\n`,
      );
      pub.check();
      return pub.failed > 0 ? 1 : 0;
    } finally {
      progress.done();
      await pub.close();
    }
  },
};
