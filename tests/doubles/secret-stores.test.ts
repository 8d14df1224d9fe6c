// MemorySecretStore (the double every hypium suite uses) and AssetSecretStore (the phone's store, run
// here over the strict Asset Store Kit double) must answer the same inputs the same way: a value that
// saves in a test saves on the phone, and one the phone refuses is refused in tests too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SECRET_ALIAS_BYTES, MAX_SECRET_BYTES, SecretStore, SecretStoreError } from '@quotedeck/core';
import { AssetSecretStore } from '@quotedeck/platform';
import { MemorySecretStore } from '@quotedeck/testing';
import { resetAssetStore } from '@kit.AssetStoreKit';

interface Named {
  name: string;
  make: () => SecretStore;
}

const STORES: Named[] = [
  { name: 'MemorySecretStore', make: () => new MemorySecretStore() },
  { name: 'AssetSecretStore', make: () => { resetAssetStore(); return new AssetSecretStore(); } },
];

async function codeOf(work: Promise<unknown>): Promise<number> {
  try {
    await work;
  } catch (e) {
    assert.ok(e instanceof SecretStoreError, `a SecretStoreError, got ${String(e)}`);
    return e.code;
  }
  return 0;
}

for (const { name, make } of STORES) {
  test(`${name}: a secret round-trips whatever its characters (ASCII, CJK, emoji, a leading U+FEFF)`, async () => {
    const store = make();
    for (const secret of ['pw', '密码-секрет', 'a😀b', '\uFEFFstarts-with-a-bom', ' spaces ']) {
      await store.set('quotedeck.test', secret);
      assert.equal(await store.get('quotedeck.test'), secret);
    }
    assert.equal(await store.has('quotedeck.test'), true);
  });

  test(`${name}: the secret is 1–${MAX_SECRET_BYTES} UTF-8 bytes, else code 401 and nothing changes`, async () => {
    const store = make();
    await store.set('quotedeck.test', 'kept');
    assert.equal(await codeOf(store.set('quotedeck.test', 'x'.repeat(MAX_SECRET_BYTES))), 0);
    assert.equal(await codeOf(store.set('quotedeck.test', 'x'.repeat(MAX_SECRET_BYTES + 1))), 401);
    // 342 CJK characters are fewer than 1024 characters but 1026 bytes.
    assert.equal(await codeOf(store.set('quotedeck.test', '密'.repeat(342))), 401);
    assert.equal(await codeOf(store.set('quotedeck.test', '密'.repeat(341))), 0);
    assert.equal(await codeOf(store.set('quotedeck.test', '')), 401);
    assert.equal(await store.get('quotedeck.test'), '密'.repeat(341));
  });

  test(`${name}: the alias is 1–${MAX_SECRET_ALIAS_BYTES} UTF-8 bytes for every operation, else code 401`, async () => {
    const store = make();
    const long = 'a'.repeat(MAX_SECRET_ALIAS_BYTES + 1);
    assert.equal(await codeOf(store.set('a'.repeat(MAX_SECRET_ALIAS_BYTES), 'pw')), 0);
    assert.equal(await codeOf(store.set(long, 'pw')), 401);
    assert.equal(await codeOf(store.set('', 'pw')), 401);
    assert.equal(await codeOf(store.get(long)), 401);
    assert.equal(await codeOf(store.has('')), 401);
    assert.equal(await codeOf(store.remove(long)), 401);
  });

  test(`${name}: nothing stored reads as undefined, and removing it is no error`, async () => {
    const store = make();
    assert.equal(await store.get('quotedeck.none'), undefined);
    assert.equal(await store.has('quotedeck.none'), false);
    await store.remove('quotedeck.none');
    await store.set('quotedeck.none', 'pw');
    await store.remove('quotedeck.none');
    assert.equal(await store.get('quotedeck.none'), undefined);
  });
}
