// Saved brokers end to end on loopback: two aedes brokers, two profiles in the app's SettingsRepository,
// the entry's wiring (a switch restarts the feed through FeedClient.switchBroker) and the app's engine
// over the @ohos/mqtt double. After a switch the store holds the new broker's quotes exactly, and
// nothing of the other broker's (on screen, in the cache, or arriving later).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import {
  ConnectionState, FeedSettings, feedStartConfig, InProcessFeedChannel, MathRandom, MemoryKeyValueStore, profileFromSettings, QuoteCache,
  SettingsChange, SettingsRepository, SystemClock, SystemTimers
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { MemorySecretStore, SeededRandom } from '@quotedeck/testing';
import { startAedes, waitFor } from '../../tools/testkit';
import { connectPublisher } from '../../tools/testkit/feed';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'ONLYA'];
/** Symbols broker B publishes (ONLYA exists on broker A only). */
const B_SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

function payload(symbol: string, seq: number, price: number, ts: number): string {
  return JSON.stringify({ symbol, price, timestamp: ts, seq, prevClose: 100 });
}

async function publish(pub: mqtt.MqttClient, symbols: string[], seq: number, price: (s: string) => number): Promise<void> {
  const now = Date.now();
  await Promise.all(symbols.map((s) =>
    pub.publishAsync(`finance/${s}/quotes`, payload(s, seq, price(s), now + seq), { qos: 1, retain: true })));
}

test('switching the active broker restarts the feed, the store then shows exactly the new broker\'s quotes and none of the other\'s, and switching back resumes the first broker\'s session', { timeout: 60000 }, async () => {
  const disconnectedFromA: string[] = [];
  const brokerA = await startAedes({ log: (line: string) => {
    if (line.startsWith('client disconnected: quotedeck')) disconnectedFromA.push(line);
  } });
  const brokerB = await startAedes();
  const pubA = await connectPublisher(brokerA.url);
  const pubB = await connectPublisher(brokerB.url);
  const kv = new MemoryKeyValueStore();
  const repo = new SettingsRepository(kv, new MemorySecretStore(), new SeededRandom(5));
  const store = new QuoteStore();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock(), new QuoteCache(kv, new SystemClock(), 0));
  const priceA = (s: string): number => 100 + SYMBOLS.indexOf(s);
  const priceB = (s: string): number => 500 + SYMBOLS.indexOf(s);
  const pricesOfA = new Set<number>();
  let switching: Promise<void> = Promise.resolve();
  try {
    // Broker A is the active profile (the one made from the first settings), B a second profile.
    const loaded = await repo.load();
    const form = loaded.copy();
    form.brokerUrl = brokerA.url;
    assert.equal((await repo.save(form)).status, 'saved');
    const profileB = new FeedSettings();
    profileB.brokerUrl = brokerB.url;
    const added = await repo.addProfile('Broker B', profileFromSettings(profileB, '', ''));
    assert.equal(added.error, 'none');
    // The entry's wiring (AppServices.onSettingsChanged → switchBroker), minus the platform.
    repo.addListener((settings: FeedSettings, change: SettingsChange) => {
      if (!change.profileSwitched) return;
      switching = (async () => {
        await client.switchBroker(feedStartConfig(settings, await repo.password(), SYMBOLS, await repo.clientKeyPassword()));
      })();
    });

    for (const s of SYMBOLS) pricesOfA.add(priceA(s));
    await publish(pubA, SYMBOLS, 1, priceA);
    await publish(pubB, B_SYMBOLS, 1, priceB);
    client.start(feedStartConfig(repo.current(), await repo.password(), SYMBOLS, await repo.clientKeyPassword()));
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === priceA(s)), 10000, 'broker A quotes shown');
    await client.saveNow();
    assert.ok((await new QuoteCache(kv, new SystemClock()).load()).length === SYMBOLS.length, 'A quotes cached');

    // Switch to B. Record every price the store shows from the moment the switch has restarted the feed.
    const seenAfterSwitch: number[] = [];
    const switched = await repo.switchProfile(added.profileId);
    assert.equal(switched.error, 'none');
    await switching;
    client.onStoreChanged = () => {
      for (const s of SYMBOLS) {
        const p = store.item(s)?.price;
        if (p !== undefined && !Number.isNaN(p)) seenAfterSwitch.push(p);
      }
    };
    assert.ok(SYMBOLS.every((s) => Number.isNaN(store.item(s)!.price)), 'the other broker\'s quotes are gone at once');
    assert.equal((await new QuoteCache(kv, new SystemClock()).load()).length, 0, 'and gone from the cache');
    await waitFor(() => B_SYMBOLS.every((s) => store.item(s)?.price === priceB(s)), 10000, 'broker B quotes shown');
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'connected to B');
    await waitFor(() => disconnectedFromA.length >= 1, 5000, 'the engine left broker A');
    // Broker A goes on publishing: none of it may reach the store.
    for (const s of SYMBOLS) pricesOfA.add(priceA(s) + 1000);
    await publish(pubA, SYMBOLS, 2, (s: string) => priceA(s) + 1000);
    await new Promise((r) => setTimeout(r, 600)); // several flush intervals
    for (const s of B_SYMBOLS) {
      const item = store.item(s)!;
      assert.equal(item.price, priceB(s), `${s}: broker B's price`);
      assert.equal(item.ticks, 1, `${s}: exactly broker B's one quote`);
    }
    const onlyA = store.item('ONLYA')!;
    assert.ok(Number.isNaN(onlyA.price), 'a symbol only broker A publishes shows no price');
    assert.equal(onlyA.ticks, 0);
    assert.equal(store.stats.accepted, B_SYMBOLS.length, 'the engine counted broker B\'s quotes only');
    assert.deepEqual(seenAfterSwitch.filter((p) => pricesOfA.has(p)), [], 'no quote of broker A after the switch');
    await client.saveNow();
    const cached = await new QuoteCache(kv, new SystemClock()).load();
    assert.deepEqual(cached.map((c) => `${c.quote.symbol}=${c.quote.price}`).sort(),
      B_SYMBOLS.map((s) => `${s}=${priceB(s)}`).sort(), 'the cache holds broker B\'s quotes only');

    // While the app is on B, broker A queues a QoS 1 quote (not retained) for the app's persistent
    // session there: switching back resumes that session (same client id), so it arrives.
    await pubA.publishAsync('finance/MSFT/quotes', payload('MSFT', 3, 777, Date.now() + 3), { qos: 1 });
    const pricesOfB = new Set<number>(B_SYMBOLS.map(priceB));
    const seenAfterSwitchBack: number[] = [];
    client.onStoreChanged = () => undefined;
    assert.equal((await repo.switchProfile(loaded.activeProfileId)).error, 'none');
    await switching;
    client.onStoreChanged = () => {
      for (const s of SYMBOLS) {
        const p = store.item(s)?.price;
        if (p !== undefined && !Number.isNaN(p)) seenAfterSwitchBack.push(p);
      }
    };
    const latestA = (s: string): number => (s === 'MSFT' ? 777 : priceA(s) + 1000);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === latestA(s)), 10000, 'broker A again, with its queued quote');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(SYMBOLS.map((s) => store.item(s)!.price), SYMBOLS.map(latestA), 'broker A\'s latest quotes exactly');
    assert.deepEqual(seenAfterSwitchBack.filter((p) => pricesOfB.has(p)), [], 'no quote of broker B after switching back');
  } finally {
    await switching.catch(() => undefined);
    await client.stop();
    await pubA.endAsync();
    await pubB.endAsync();
    await brokerA.close();
    await brokerB.close();
  }
});
