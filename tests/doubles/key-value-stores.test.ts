// The KeyValueStore doubles (MemoryKeyValueStore, and UnorderedKeyValueStore over it) and the phone's
// PreferencesKeyValueStore (run here over the strict preferences double) must agree on every answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyValueStore, MemoryKeyValueStore } from '@quotedeck/core';
import { PreferencesKeyValueStore } from '@quotedeck/platform';
import { SeededRandom, UnorderedKeyValueStore } from '@quotedeck/testing';
import { preferences } from '@kit.ArkData';
import type { common } from '@kit.AbilityKit';

const CONTEXT = {} as common.Context;
let fileCount = 0;

interface Named {
  name: string;
  open: () => Promise<KeyValueStore>;
}

const STORES: Named[] = [
  { name: 'MemoryKeyValueStore', open: () => Promise.resolve(new MemoryKeyValueStore()) },
  { name: 'UnorderedKeyValueStore', open: () => Promise.resolve(new UnorderedKeyValueStore(new MemoryKeyValueStore(), new SeededRandom(7))) },
  { name: 'PreferencesKeyValueStore', open: () => PreferencesKeyValueStore.open(CONTEXT, `kv-contract-${++fileCount}`) },
];

async function rejects(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
  } catch (e) {
    return true;
  }
  return false;
}

for (const { name, open } of STORES) {
  test(`${name}: a key never written reads as undefined; '' is a value like any other`, async () => {
    const kv = await open();
    assert.equal(await kv.get('never'), undefined);
    for (const value of ['', 'plain', '{"json":[1,2]}', '密码 😀', '\uFEFFbom']) {
      await kv.put('k', value);
      assert.equal(await kv.get('k'), value, JSON.stringify(value));
    }
    await kv.delete('k');
    assert.equal(await kv.get('k'), undefined);
    await kv.delete('k'); // deleting what is not there is no error
    await kv.flush();
  });

  test(`${name}: a key over 1024 UTF-8 bytes is refused`, async () => {
    const kv = await open();
    assert.equal(await rejects(() => kv.put('k'.repeat(1025), 'v')), true);
    assert.equal(await rejects(() => kv.get('密'.repeat(342))), true);
    assert.equal(await rejects(() => kv.put('k'.repeat(1024), 'v')), false);
  });

  test(`${name}: awaited writes take effect in order`, async () => {
    const kv = await open();
    for (let i = 0; i < 20; i++) await kv.put('k', `v${i}`);
    assert.equal(await kv.get('k'), 'v19');
  });
}

test('preferences double: what was flushed survives a restart, what was not is lost', async () => {
  const kv = await PreferencesKeyValueStore.open(CONTEXT, 'kv-restart');
  await kv.put('kept', 'a');
  await kv.flush();
  await kv.put('lost', 'b');
  await preferences.removePreferencesFromCache(CONTEXT, 'kv-restart');
  const again = await PreferencesKeyValueStore.open(CONTEXT, 'kv-restart');
  assert.equal(await again.get('kept'), 'a');
  assert.equal(await again.get('lost'), undefined);
});

for (const { name, open } of STORES.slice(1)) test(`${name}: writes in flight together take effect in no fixed order`, async () => {
  const kv = await open();
  const last = new Set<string>();
  for (let round = 0; round < 20; round++) {
    await Promise.all([kv.put('k', 'first'), kv.put('k', 'second')]);
    last.add((await kv.get('k')) ?? '');
  }
  assert.deepEqual([...last].sort(), ['first', 'second']);
});
