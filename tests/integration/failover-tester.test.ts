// @each-double Failover (issue 13): "Test connection" with failover addresses tests every node through
// the app's real MQTT adapter (OhosMqttTransport over a Node double of '@ohos/mqtt'): two aedes nodes
// that answer and, between them, a port where nothing listens. Each node is reported on its own, the
// overall result names the node that failed, and no result holds the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTester, FeedSettings, SessionErrorKind, SystemClock, SystemTimers } from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { AedesBrokerOptions, freePort, startAedes } from '../../tools/testkit';

const PASSWORD = 'Pw-failover-5e1b';

const authenticate: AedesBrokerOptions['authenticate'] = (_c, username, password, done) => {
  if (username === 'viewer' && password?.toString() === PASSWORD) return done(null, true);
  done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
};

test('the connection test tries every listed node in turn and reports each, failing overall when one node cannot be reached', { timeout: 60000 }, async () => {
  const a = await startAedes({ authenticate });
  const b = await startAedes({ authenticate });
  try {
    const down = await freePort();
    const s = new FeedSettings();
    s.brokerUrl = a.url;
    s.failoverBrokerUrls = [`tcp://127.0.0.1:${down}`, b.url];
    s.userName = 'viewer';
    s.clientId = 'quotedeck-failover1';
    const tester = new ConnectionTester(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers());
    const r = await tester.test(s, PASSWORD);
    assert.deepEqual(r.nodes.map((n) => [n.node, n.ok]), [
      [`127.0.0.1:${a.port}`, true], [`127.0.0.1:${down}`, false], [`127.0.0.1:${b.port}`, true],
    ]);
    assert.equal(r.nodes[1].kind, SessionErrorKind.UNREACHABLE);
    assert.equal(r.ok, false);
    assert.equal(r.kind, SessionErrorKind.UNREACHABLE);
    assert.ok(r.detail.includes(`127.0.0.1:${down}`), r.detail);
    assert.equal(a.connects().length, 1, 'node A saw the test once');
    assert.equal(b.connects().length, 1, 'node B saw the test once');
    assert.equal(JSON.stringify(r).includes(PASSWORD), false);

    // every node up: ok
    s.failoverBrokerUrls = [b.url];
    const ok = await tester.test(s, PASSWORD);
    assert.equal(ok.ok, true, ok.detail);
    assert.deepEqual(ok.nodes.map((n) => n.ok), [true, true]);
  } finally {
    await a.close();
    await b.close();
  }
});
