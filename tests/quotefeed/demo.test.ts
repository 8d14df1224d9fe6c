// `quotefeed demo` (npm start): embedded broker + simulated feed + the live watchlist, off a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WATCHLIST } from '@quotedeck/core';
import { freePort, silentServer } from '../../tools/testkit';
import { lines, runCli } from './helpers';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('demo shows live quotes of the default watchlist within a few seconds, then exits 0', { timeout: 40_000 }, async () => {
  const port = await freePort();
  const r = await runCli(['demo', '--port', String(port), '--duration', '4'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = r.stdout;
  assert.equal(out.includes('\u001b'), false, 'no ANSI sequences off a terminal');
  assert.match(out, new RegExp(`QuoteDeck demo: broker mqtt://127\\.0\\.0\\.1:${port}, simulating 12 symbols`));
  assert.match(out, new RegExp(`quotefeed watch --broker mqtt://127\\.0\\.0\\.1:${port}`));
  assert.match(out, new RegExp(`tcp://127\\.0\\.0\\.1:${port}`), 'how to point the app at it');
  assert.match(out, new RegExp(`^\\d\\d:\\d\\d:\\d\\d connected to mqtt://127\\.0\\.0\\.1:${port} as qf-demo-`, 'm'));
  // The last frame: connected, live, one priced row per default symbol, counters.
  const frame = out.slice(out.lastIndexOf('quotefeed demo · '));
  const ls = lines(frame);
  assert.match(ls.find((l) => l.startsWith('● '))!, /^● connected · live · \d+ msg\/s$/);
  for (const sym of DEFAULT_WATCHLIST) {
    const row = ls.find((l) => l.startsWith(`${sym} `));
    assert.ok(row, `a row for ${sym}`);
    assert.match(row!, new RegExp(`^${escape(sym)}\\s+[\\d,]+\\.\\d{2}\\s+[+-]?[\\d,]+\\.\\d{2}\\s+[+-]?\\d+\\.\\d{2}%\\s+[▁▂▃▄▅▆▇█]+\\s+\\d+`), row);
  }
  const counters = ls.find((l) => l.startsWith('received '))!;
  const n = (name: string): number => Number(new RegExp(`${name} ([\\d,]+)`).exec(counters)![1].replace(/,/g, ''));
  assert.ok(n('received') > 20, counters);
  assert.ok(n('unwatched') > 0, 'the extra simulated symbols are received and dropped');
  assert.equal(n('received'), n('accepted') + n('unwatched') + n('duplicates') + n('rejected'));
  assert.equal(n('rejected'), 0);
  assert.match(ls[ls.length - 1], /^stopped after \d+\.\d s \(--duration reached\)$/);
});

test('demo with an explicit --port that is taken exits 1 with one line', { timeout: 20_000 }, async () => {
  const blocker = await silentServer();
  const port = blocker.port;
  try {
    const r = await runCli(['demo', '--port', String(port), '--duration', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stderr), [`quotefeed demo: cannot listen on 127.0.0.1:${port}: address already in use`]);
    assert.equal(r.stdout, '');
  } finally {
    await blocker.close();
  }
});
