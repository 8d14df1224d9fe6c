// Pure parts of the CLI: argument parsing, broker URLs, replay parsing and scheduling, record lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseArgs, formatHelp, parseBrokerUrl, UsageError, InputError, ExitCode, parseReplayText, replaySchedule,
  splitCsvLine, recordLine, classifyConnectError, createRegistry, CommandSpec, symbolFromTopic, quoteProblem,
} from '../../tools/quotefeed/src/index';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'test command',
  positionals: [{ name: 'FILE', description: 'a file' }],
  options: {
    rate: { type: 'number', greaterThan: 0, description: 'rate' },
    count: { type: 'integer', min: 1, description: 'count' },
    qos: { type: 'integer', min: 0, max: 1, default: 0, description: 'qos' },
    retain: { type: 'boolean', negatable: true, default: true, description: 'retain' },
    mode: { type: 'string', choices: ['a', 'b'], description: 'mode' },
    password: { type: 'string', secret: true, description: 'pw' },
  },
};

test('parseArgs reads values, defaults, --x=y, --no-x, positionals and help', () => {
  const a = parseArgs(spec, ['f.txt', '--rate', '2.5', '--count=3', '--no-retain', '--mode', 'b']);
  assert.deepEqual(a.positionals, ['f.txt']);
  assert.equal(a.options.rate, 2.5);
  assert.equal(a.options.count, 3);
  assert.equal(a.options.retain, false);
  assert.equal(a.options.qos, 0);
  assert.ok(a.given.has('count') && !a.given.has('qos'));
  assert.equal(parseArgs(spec, ['--help']).help, true);
  assert.equal(parseArgs(spec, ['--retain']).options.retain, true);
  const help = formatHelp(spec);
  assert.match(help, /--retain, --no-retain/);
  assert.match(help, /usage: quotefeed demo \[FILE\] \[options\]/);
});

test('parseArgs reports usage errors in one line and never echoes a secret', () => {
  const cases: [string[], RegExp][] = [
    [['--rate', 'fast'], /--rate expects a number, got "fast"/],
    [['--rate', '0'], /greater than 0/],
    [['--count', '1.5'], /integer/],
    [['--qos', '2'], /at most 1/],
    [['--mode', 'c'], /one of a, b/],
    [['--bogus'], /unknown option --bogus/],
    [['--rate'], /--rate needs a value/],
    [['a', 'b'], /unexpected argument "b"/],
    [['-x'], /unknown option -x/],
  ];
  for (const [argv, re] of cases) {
    assert.throws(() => parseArgs(spec, argv), (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n') && e.exitCode === ExitCode.USAGE, argv.join(' '));
  }
  const withSecret: CommandSpec = { ...spec, options: { ...spec.options, pin: { type: 'integer', secret: true, description: 'pin' } } };
  assert.throws(() => parseArgs(withSecret, ['--pin', 'hunter2']), (e: unknown) => e instanceof UsageError && !e.message.includes('hunter2'));
});

test("broker URLs follow the app's rules (common BrokerUrl) and become mqtt://, mqtts://, ws:// or wss:// for mqtt.js", () => {
  assert.equal(parseBrokerUrl('mqtt://127.0.0.1:1883').url, 'mqtt://127.0.0.1:1883');
  assert.equal(parseBrokerUrl('tcp://broker.local').url, 'mqtt://broker.local:1883');
  assert.equal(parseBrokerUrl('mqtts://broker.local').url, 'mqtts://broker.local:8883');
  assert.equal(parseBrokerUrl('ssl://broker.local:9999').url, 'mqtts://broker.local:9999');
  assert.equal(parseBrokerUrl(' MQTT://Host:1/ ').url, 'mqtt://host:1');
  assert.equal(parseBrokerUrl('mqtt://[::1]:1883').url, 'mqtt://[::1]:1883');
  assert.equal(parseBrokerUrl('ssl://h').protocol, 'mqtts');
  assert.equal(parseBrokerUrl('ws://127.0.0.1:8080/mqtt').url, 'ws://127.0.0.1:8080/mqtt');
  assert.equal(parseBrokerUrl('ws://h').url, 'ws://h:80/mqtt');
  assert.equal(parseBrokerUrl('WSS://H/feed/ws').url, 'wss://h:443/feed/ws');
  assert.equal(parseBrokerUrl('wss://h:8084').protocol, 'wss');
  assert.equal(parseBrokerUrl('wss://h:8084').secure, true);
  assert.equal(parseBrokerUrl('ws://h').secure, false);
  for (const bad of ['', 'localhost:1884', 'http://h', 'ws://h:0/mqtt', 'ws://h/mqtt?token=1', 'wss://h/a"b', 'mqtt://', 'mqtt://h:99999', 'mqtt://h/some/path', 'not a url', 'mqtt://h?x=1', 'mqtt://a b']) {
    assert.throws(() => parseBrokerUrl(bad, 'publish'), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /^bad broker URL: /.test(e.message), JSON.stringify(bad));
  }
  // Credentials belong in --username/--password (as in the app), and are never echoed.
  assert.throws(() => parseBrokerUrl('mqtt://u:pw-SECRET@h:1'), (e: unknown) => e instanceof UsageError && /user name or password/.test(e.message) && !e.message.includes('pw-SECRET'));
});

test('connect errors map to exit 3 with readable reasons', () => {
  const d = 'mqtt://h:1';
  assert.equal(classifyConnectError({ code: 'ECONNREFUSED' }, d).message, 'cannot connect to mqtt://h:1: connection refused');
  assert.equal(classifyConnectError({ code: 4, message: 'Connection refused: Bad username or password' }, d).kind, 'badCredentials');
  assert.equal(classifyConnectError({ code: 135 }, d).kind, 'notAuthorized');
  assert.equal(classifyConnectError({ code: 'ENOTFOUND' }, d).kind, 'unreachable');
  assert.equal(classifyConnectError(new Error('connack timeout'), d).kind, 'timeout');
  assert.equal(classifyConnectError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, d).kind, 'tls');
  assert.equal(classifyConnectError({ code: 'ECONNREFUSED' }, d).exitCode, 3);
});

test("contract checks follow the app's QuoteCodec, with readable reasons", () => {
  const ok = { symbol: 'BRK.B', price: 1, timestamp: '2025-01-01T00:00:00Z', seq: 0, bid: 1, ask: 1 };
  assert.equal(quoteProblem(ok), null);
  assert.equal(quoteProblem({ symbol: 'A', price: 2, timestamp: 1741012200000 }), null, 'only symbol, price, timestamp are required');
  assert.match(quoteProblem({ ...ok, symbol: 'brk' })!, /^symbol must be 1-12 of A-Z 0-9 \. - \^ \(got "brk"\)$/);
  assert.match(quoteProblem({ ...ok, symbol: 'ABCDEFGHIJKLM' })!, /symbol/);
  assert.match(quoteProblem({ ...ok, price: 0 })!, /^price must be a number > 0/);
  assert.match(quoteProblem({ ...ok, price: undefined })!, /^price is missing$/);
  assert.match(quoteProblem({ ...ok, bid: 2 })!, /^bid 2 is above ask 1$/);
  assert.match(quoteProblem({ ...ok, seq: -1 })!, /^seq must be an integer >= 0/);
  assert.match(quoteProblem({ ...ok, seq: 1.5 })!, /^seq/);
  assert.match(quoteProblem({ ...ok, timestamp: 'yesterday' })!, /^timestamp must be epoch ms \(from 2000-01-01\)/);
  assert.match(quoteProblem({ ...ok, timestamp: 1741012200 })!, /^timestamp/, 'epoch seconds are refused, as in the app');
  assert.match(quoteProblem({ ...ok, currency: 'VERYLONGCUR' })!, /^currency must be a string of at most 8/);
  assert.match(quoteProblem({ ...ok, volume: -1 })!, /^volume must be a number >= 0/);
  assert.match(quoteProblem(ok, 'AAPL')!, /does not match/);
  assert.equal(symbolFromTopic('finance/^GSPC/quotes'), '^GSPC');
  assert.equal(symbolFromTopic('finance/AAPL/trades'), undefined);
});

test('CSV lines split with RFC 4180 quoting', () => {
  assert.deepEqual(splitCsvLine('a, b ,c'), ['a', 'b', 'c']);
  assert.deepEqual(splitCsvLine('"Apple, Inc.",1,"say ""hi"""'), ['Apple, Inc.', '1', 'say "hi"']);
  assert.deepEqual(splitCsvLine('a,,'), ['a', '', '']);
  assert.equal(splitCsvLine('"open'), null);
});

test('replay parsing reads NDJSON topics and symbols and CSV with a header or positional, keeping payloads as read', () => {
  const T = 1741012200000;
  const nd = parseReplayText(
    `{"topic":"x/AAPL/quotes","symbol":"AAPL","price":1,"timestamp":${T}}\n\n{"symbol":"MSFT","price":2,"timestamp":"2025-03-03T14:30:00.500Z","seq":7}\n` +
      `{"topic":"finance/AAPL/quotes","payload":{"symbol":"AAPL","price":1.5,"timestamp":${T + 600}}}\n`,
    { file: 'a.ndjson' },
  );
  assert.deepEqual(nd.map((e) => [e.line, e.topic, e.timeMs - T, e.payload.seq]), [
    [1, 'x/AAPL/quotes', 0, undefined], [3, 'finance/MSFT/quotes', 500, 7], [4, 'finance/AAPL/quotes', 600, undefined],
  ]);
  assert.equal('topic' in nd[0].payload, false);
  const header = parseReplayText(`Symbol,Price,Timestamp,prev_close,name\nAAPL,1.5,${T},1.4,"Apple, Inc."\n`, { file: 'h.csv', prefix: 'p' });
  assert.deepEqual(header[0].payload, { symbol: 'AAPL', price: 1.5, timestamp: T, prevClose: 1.4, name: 'Apple, Inc.' });
  assert.equal(header[0].topic, 'p/AAPL/quotes');
  const positional = parseReplayText('AAPL,1.5,2025-01-01T00:00:00Z,100,1.4,1.6,3\r\n', { file: 'p.csv' });
  assert.deepEqual(positional[0].payload, { symbol: 'AAPL', price: 1.5, timestamp: '2025-01-01T00:00:00Z', volume: 100, bid: 1.4, ask: 1.6, seq: 3 });
});

test('replay parsing stops at the first bad line with an InputError (exit 4) naming it', () => {
  const T = 1741012200000;
  const cases: [string, string, RegExp][] = [
    ['b.ndjson', `{"symbol":"A","price":1,"timestamp":${T}}\n{"symbol":"A","price":1,\n`, /^b\.ndjson:2: not valid JSON/],
    ['b.ndjson', `{"symbol":"A","price":1,"timestamp":${T}}\n[1]\n`, /^b\.ndjson:2: expected a JSON object/],
    ['b.ndjson', `\n\n{"symbol":"A","price":-1,"timestamp":${T}}\n`, /^b\.ndjson:3: price must be a number > 0/],
    ['b.ndjson', `{"symbol":"A","price":1,"timestamp":1741012200}`, /^b\.ndjson:1: timestamp must be epoch ms/],
    ['b.ndjson', `{"topic":"f/B/quotes","symbol":"A","price":1,"timestamp":${T}}`, /^b\.ndjson:1: symbol A does not match/],
    ['b.ndjson', `{"topic":"f/+/quotes","symbol":"A","price":1,"timestamp":${T}}`, /^b\.ndjson:1: topic must be/],
    ['b.csv', `symbol,price,timestamp\nA,1,${T}\nA,abc,${T}\n`, /^b\.csv:3: price is not a number \("abc"\)/],
    ['b.csv', 'symbol,price,when\n', /^b\.csv:1: unknown column "when"/],
    ['b.csv', `A,1,${T}\nA,1\n`, /^b\.csv:2: 2 field\(s\)/],
    ['b.csv', `A,1,${T},1,1,1,1,1,1,1,1,n,c,extra\n`, /^b\.csv:1: 14 fields/],
    ['b.csv', 'A,1,"x\n', /^b\.csv:1: unbalanced quotes/],
    ['e.ndjson', '\n', /^e\.ndjson: no quotes/],
  ];
  for (const [file, text, re] of cases) {
    assert.throws(() => parseReplayText(text, { file }), (e: unknown) => e instanceof InputError && re.test(e.message) && e.exitCode === 4, `${file}: ${text}`);
  }
});

test('the replay schedule divides the recorded spacing by the speed, never goes backwards and does not pace at speed 0', () => {
  const entries = parseReplayText([1000, 1400, 1300, 2000].map((t) => `{"symbol":"A","price":1,"timestamp":${1741012200000 + t}}`).join('\n'));
  assert.deepEqual(replaySchedule(entries, 1), [0, 400, 400, 1000]);
  assert.deepEqual(replaySchedule(entries, 2), [0, 200, 200, 500]);
  assert.deepEqual(replaySchedule(entries, 0), [0, 0, 0, 0]);
});

test('record lines put the topic first and skip non-object payloads', () => {
  assert.equal(recordLine('f/A/quotes', Buffer.from('{"symbol":"A","topic":"spoof","price":1}')), '{"topic":"f/A/quotes","symbol":"A","price":1}');
  assert.equal(recordLine('f/A/quotes', 'not json'), null);
  assert.equal(recordLine('f/A/quotes', '[1,2]'), null);
});

test('the registry lists broker, publish, replay, record, watch, demo and bridge, each with --help', () => {
  const reg = createRegistry();
  assert.deepEqual(reg.list().map((c) => c.spec.name), ['broker', 'publish', 'replay', 'record', 'watch', 'demo', 'bridge', 'keygen']);
  for (const c of reg.list()) assert.match(formatHelp(c.spec), new RegExp(`usage: quotefeed ${c.spec.name}`));
});
