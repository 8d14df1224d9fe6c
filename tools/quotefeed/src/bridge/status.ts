// The bridge's live status line (stderr) and its --json result. Counts and prices only: never a key.
import { formatPrice } from '@quotedeck/core';
import { formatRate } from '../progress';
import type { Bridge } from './bridge';
import type { BrokerLink } from './brokerLink';

export function statusLine(bridge: Bridge, broker: BrokerLink | undefined): string {
  const link = bridge.link;
  const s = bridge.stats;
  const syms = [...bridge.symbols.values()];
  const streaming = syms.filter((x) => x.state === 'streaming').length;
  const prices = syms.map((x) => {
    if (x.state === 'rejected') return `${x.symbol} ✗`;
    return x.fields.price !== undefined ? `${x.symbol} ${formatPrice(x.fields.price)}` : `${x.symbol} …`;
  });
  const source = link === undefined ? 'no link'
    : link.status.state === 'waiting' ? `source down, retry in ${(link.status.retryInMs / 1000).toFixed(1)} s (${link.status.lastError})`
      : link.status.state;
  const brokerText = broker === undefined ? '' : broker.state === 'connected' ? 'broker ok' : `broker ${broker.state} (${broker.lastError})`;
  const parts = [
    `${bridge.adapter.name}: ${streaming}/${syms.length} streaming`,
    prices.join(' '),
    `recv ${formatRate(s.updates)} pub ${formatRate(s.published)}`,
    `reconnects ${link?.reconnects ?? 0}`,
    source,
  ];
  if (brokerText) parts.push(brokerText);
  if (s.malformed) parts.push(`malformed ${s.malformed}`);
  if (s.invalid) parts.push(`invalid ${s.invalid}`);
  if (s.errors) parts.push(`errors ${s.errors} (last: ${s.lastError})`);
  return parts.join(' · ');
}

export interface BridgeResult {
  source: string;
  broker: string;
  prefix: string;
  maxRate: number;
  changeBasis: string;
  durationMs: number;
  link: { connects: number; reconnects: number; silences: number; messages: number; state: string; lastError: string };
  brokerLink: { reconnects: number; state: string; lastError: string };
  stats: Bridge['stats'];
  symbols: Record<string, {
    sourceSymbol: string; state: string; error: string; updates: number; published: number;
    price: number | null; bid: number | null; ask: number | null; volume: number | null; open: number | null;
    high: number | null; low: number | null; prevClose: number | null; timestamp: number | null; seq: number | null;
  }>;
}

export function bridgeResult(bridge: Bridge, broker: BrokerLink | undefined, prefix: string, maxRate: number, durationMs: number): BridgeResult {
  const v = (x: number | undefined): number | null => (x === undefined ? null : x);
  const link = bridge.link;
  const symbols: BridgeResult['symbols'] = {};
  for (const st of bridge.symbols.values()) {
    const f = st.fields;
    symbols[st.symbol] = {
      sourceSymbol: st.sourceSymbol, state: st.state, error: st.error, updates: st.updates, published: st.published,
      price: v(f.price), bid: v(f.bid), ask: v(f.ask), volume: v(f.volume), open: v(f.open), high: v(f.high), low: v(f.low),
      prevClose: v(f.prevClose), timestamp: v(f.timestamp), seq: v(f.seq),
    };
  }
  return {
    source: bridge.adapter.name,
    broker: broker?.display ?? '',
    prefix,
    maxRate,
    changeBasis: bridge.adapter.changeBasis,
    durationMs,
    link: {
      connects: link?.connects ?? 0, reconnects: link?.reconnects ?? 0, silences: link?.silences ?? 0, messages: link?.messages ?? 0,
      state: link?.status.state ?? 'stopped', lastError: bridge.redact(link?.status.lastError ?? ''),
    },
    brokerLink: { reconnects: broker?.reconnects ?? 0, state: broker?.state ?? 'closed', lastError: broker?.lastError ?? '' },
    stats: bridge.stats,
    symbols,
  };
}
