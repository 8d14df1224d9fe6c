// `quotefeed demo` (`npm start`): an embedded broker, a simulated feed published to it and the live
// console watchlist reading it back through QuoteDeck's engine, all in one process.
import { DEFAULT_WATCHLIST } from '@quotedeck/core';
import { startBroker, RunningBroker } from '../broker';
import { CliError } from '../errors';
import { runLive } from '../live';
import { PROFILES, PROFILE_NAMES, ProfileName } from '../profiles';
import { formatRate } from '../progress';
import { parseBrokerUrl } from '../brokerUrl';
import { Publisher, publishSimulation } from '../publisher';
import { BarSnapshotPublisher, simulatorBackfill } from '../bars';
import { DEFAULT_SNAPSHOT_BARS } from '@quotedeck/core';
import type { Command } from '../registry';
import { SIGN_OPTION, signerFrom } from './common';
import type { ScreenStream } from '../screen';
import { createSimulator } from '../simulator';
import { DEFAULT_PREFIX } from '../quote';
import { WatchSession } from '../watch';
import { VIEW_OPTIONS } from './watch';

const NAME = 'demo';

/** Simulated besides the default watchlist: received by the engine and counted as unwatched. */
export const DEMO_EXTRA_SYMBOLS: readonly string[] = ['GOOGL', 'META', '9988.HK', 'ETH-USD'];

export const demoCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Embedded broker + simulated feed + live console watchlist, in one process (what npm start runs).',
    options: {
      port: { type: 'integer', valueName: 'PORT', min: 0, max: 65535, description: 'broker port on 127.0.0.1 (default 1883, or a free port if 1883 is taken; 0 = any free port)' },
      host: { type: 'string', valueName: 'HOST', default: '127.0.0.1', description: 'address the broker listens on (0.0.0.0 to let a phone on the LAN connect)' },
      profile: { type: 'string', choices: PROFILE_NAMES, default: 'normal', description: "per-symbol tick rates of this load profile (see quotefeed publish --help)" },
      rate: { type: 'number', valueName: 'N', greaterThan: 0, max: 100_000, description: 'total messages per second instead of the profile rate' },
      seed: { type: 'integer', valueName: 'N', min: 0, max: 4294967295, default: 1, description: 'random seed of the simulated market' },
      ...SIGN_OPTION,
      ...VIEW_OPTIONS,
    },
    details: [
      `Simulates the app's default watchlist (${DEFAULT_WATCHLIST.join(', ')})`,
      `plus ${DEMO_EXTRA_SYMBOLS.join(', ')} (received and counted as unwatched), retained, at the profile's rates.`,
      'If --port is not given and 1883 is taken, a free port is used (the note says which); an explicit',
      '--port that is taken exits 1.',
    ],
  },
  async run(args, ctx) {
    const o = args.options;
    const host = o.host as string;
    const explicitPort = o.port as number | undefined;
    let broker: RunningBroker;
    let note: string | undefined;
    try {
      broker = await startBroker({ host, port: explicitPort ?? 1883 });
    } catch (e) {
      if (explicitPort !== undefined || !(e instanceof CliError) || !/address already in use/.test(e.message)) throw e;
      broker = await startBroker({ host, port: 0 });
      note = `port 1883 is in use; the demo broker listens on port ${broker.port} instead`;
    }
    const publishAbort = new AbortController();
    let pub: Publisher | undefined;
    let published: Promise<unknown> = Promise.resolve();
    try {
      const profile = o.profile as ProfileName;
      const wallStart = Date.now();
      const sim = createSimulator({
        seed: o.seed as number,
        profile,
        symbols: [...DEFAULT_WATCHLIST, ...DEMO_EXTRA_SYMBOLS],
        rate: o.rate as number | undefined,
        seqStart: wallStart,
      });
      const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      const url = `mqtt://${local.includes(':') ? `[${local}]` : local}:${broker.port}`;
      pub = await Publisher.connect(parseBrokerUrl(url), { clientId: `qf-demo-pub-${process.pid % 100000}`, qos: 0, retain: true, signer: signerFrom(args) });
      // Retained bar snapshots too, with four hours of backfilled history: a chart opens with its day.
      const bars = BarSnapshotPublisher.forPublisher(pub, DEFAULT_SNAPSHOT_BARS, simulatorBackfill(sim, DEFAULT_SNAPSHOT_BARS));
      published = publishSimulation(pub, sim, {
        signal: publishAbort.signal,
        onQuote: bars ? (q) => bars.onQuote(DEFAULT_PREFIX, q.symbol, q.price, q.timestamp as number, q.volume) : undefined,
      }).catch(() => undefined);

      const stdout = ctx.stdout as ScreenStream;
      const tcp = `tcp://${local}:${broker.port}`;
      const lines = [
        ...(note ? [`note: ${note}`] : []),
        `QuoteDeck demo: broker ${url}, simulating ${sim.symbols.length} symbols (${PROFILES[profile].name} profile rates, ~${formatRate(sim.totalRate)} msg/s, seed ${sim.seed}).`,
        `  Another terminal:  npx quotefeed watch --broker ${url}`,
        `  HarmonyOS app:     Settings → Broker → ${tcp} (no TLS, no credentials); topic prefix ${DEFAULT_PREFIX}.`,
        host === '127.0.0.1' || host === 'localhost'
          ? `                     A phone or emulator reaches this machine's 127.0.0.1 through \`hdc rport tcp:${broker.port} tcp:${broker.port}\`,`
          : `                     From a phone on the LAN use this machine's address instead of ${local}.`,
        ...(host === '127.0.0.1' || host === 'localhost' ? ['                     or start the demo with --host 0.0.0.0 and use this machine\'s LAN address.'] : []),
        '',
      ];
      stdout.write(`${lines.join('\n')}\n`);

      const session = new WatchSession({ broker: tcp, symbols: [...DEFAULT_WATCHLIST], role: 'demo', flushMs: o['flush-ms'] as number, staleAfterMs: Math.round((o['stale-after'] as number) * 1000) });
      const r = await runLive({
        session,
        signal: ctx.signal,
        out: stdout,
        color: o.color !== false && !ctx.env.NO_COLOR,
        refreshMs: o.refresh !== undefined ? (o.refresh as number) * 1000 : undefined,
        durationMs: o.duration !== undefined ? (o.duration as number) * 1000 : undefined,
        title: `quotefeed demo · ${url} · ${session.topic} · ${DEFAULT_WATCHLIST.length} symbols watched`,
        extra: () => [`publisher: ${formatRate(pub?.sent ?? 0)} quotes sent (~${formatRate(sim.totalRate)} msg/s target)`],
        log: stdout.isTTY ? undefined : (line) => stdout.write(`${line}\n`),
        hint: 'Ctrl-C to stop',
      });
      if (r.failure) throw r.failure;
      return 0;
    } finally {
      publishAbort.abort();
      await published;
      await pub?.close();
      await broker.close();
    }
  },
};
