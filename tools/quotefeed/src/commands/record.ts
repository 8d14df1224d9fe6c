// `quotefeed record`: write the quotes seen on a topic filter as NDJSON, for `replay`.
import fs from 'node:fs';
import { CliError, ExitCode } from '../errors';
import { recordTo } from '../record';
import { formatRate } from '../progress';
import type { Command } from '../registry';
import { brokerFrom, connectOptionsFrom, CONNECTION_OPTIONS, exclusive, prefixFrom, seconds } from './common';
import { DEFAULT_PREFIX, quoteTopic } from '../quote';
import { UsageError } from '../errors';

const NAME = 'record';

export const recordCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Subscribe to a topic filter and write each message as an NDJSON line {topic, ...payload} for replay.',
    options: {
      ...CONNECTION_OPTIONS,
      out: { type: 'string', valueName: 'FILE', description: 'output file, "-" for stdout (required)' },
      topic: { type: 'string', valueName: 'FILTER', description: 'topic filter (default <prefix>/+/quotes)' },
      prefix: { type: 'string', valueName: 'PREFIX', default: DEFAULT_PREFIX, description: 'topic prefix for the default filter' },
      duration: { type: 'number', valueName: 'S', greaterThan: 0, description: 'stop after S seconds (default: until Ctrl-C)' },
      count: { type: 'integer', valueName: 'N', min: 1, description: 'stop after N messages' },
      qos: { type: 'integer', valueName: '0|1', min: 0, max: 1, default: 0, description: 'subscription QoS' },
      retained: { type: 'boolean', description: "also record retained messages (the broker's snapshot from before the start)" },
      append: { type: 'boolean', description: 'append to FILE instead of replacing it' },
    },
    details: ['The summary goes to stderr, so --out - can be piped.'],
  },
  async run(args, ctx) {
    const o = args.options;
    const address = brokerFrom(args, NAME);
    const conn = connectOptionsFrom(args, ctx, NAME);
    const prefix = prefixFrom(args, NAME);
    const outFile = o.out as string | undefined;
    if (outFile === undefined) throw new UsageError('--out FILE is required', NAME);
    exclusive(args, 'duration', 'count', NAME);
    const topic = (o.topic as string | undefined) ?? quoteTopic(prefix, '+');
    if (topic === '' || /#./.test(topic)) throw new UsageError(`bad topic filter "${topic}"`, NAME);

    const toStdout = outFile === '-';
    const existed = !toStdout && fs.existsSync(outFile);
    let out: NodeJS.WritableStream & import('node:stream').Writable;
    if (toStdout) {
      out = ctx.stdout as never;
    } else {
      try {
        fs.closeSync(fs.openSync(outFile, o.append ? 'a' : 'w'));
      } catch (e) {
        throw new CliError(`cannot write ${outFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, ExitCode.OTHER);
      }
      out = fs.createWriteStream(outFile, { flags: 'a' });
    }
    const closeOut = async (): Promise<void> => {
      if (toStdout) return;
      await new Promise<void>((resolve) => out.end(() => resolve()));
    };
    const started = Date.now();
    let warned = false;
    try {
      const r = await recordTo(out, address, conn, {
        topic,
        qos: o.qos as 0 | 1,
        durationMs: o.duration !== undefined ? (o.duration as number) * 1000 : undefined,
        count: o.count as number | undefined,
        includeRetained: o.retained === true,
        signal: ctx.signal,
        onSubscribed: () => ctx.stderr.write(`recording ${topic} from ${address.display} to ${toStdout ? 'stdout' : outFile}\n`),
        onSkip: (why) => {
          if (!warned) ctx.stderr.write(`quotefeed record: skipping messages that are not JSON objects (first: ${why})\n`);
          warned = true;
        },
      });
      await closeOut();
      ctx.stderr.write(
        `recorded ${formatRate(r.written)} messages in ${seconds(Date.now() - started)}${r.skipped ? `, skipped ${formatRate(r.skipped)}` : ''}\n`,
      );
      return 0;
    } catch (e) {
      await closeOut();
      if (!toStdout && !existed && fs.existsSync(outFile) && fs.statSync(outFile).size === 0) fs.rmSync(outFile, { force: true });
      throw e;
    }
  },
};
