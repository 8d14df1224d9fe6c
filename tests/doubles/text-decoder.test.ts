// The util.TextDecoder double must decode as API 12 does (see tools/node/kits/@kit.ArkTS.ts for the
// sources): the BOM flag the other way round from WHATWG, and its own errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { util } from '@kit.ArkTS';

const BOM_AND_TEXT = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]); // U+FEFF "{}"

test('util.TextDecoder double: ignoreBOM false (the default) keeps a leading BOM; true drops it', () => {
  assert.equal(util.TextDecoder.create('utf-8').decodeToString(BOM_AND_TEXT), '\uFEFF{}');
  assert.equal(util.TextDecoder.create('utf-8', { ignoreBOM: false }).decodeToString(BOM_AND_TEXT), '\uFEFF{}');
  assert.equal(util.TextDecoder.create('utf-8', { ignoreBOM: true }).decodeToString(BOM_AND_TEXT), '{}');
  // Only one, and only at the start.
  const twice = new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf]);
  assert.equal(util.TextDecoder.create('utf-8', { ignoreBOM: true }).decodeToString(twice), '\uFEFFa\uFEFF');
});

test('util.TextDecoder double: under fatal, bad bytes throw an Error whose code is the string "401"', () => {
  const decoder = util.TextDecoder.create('utf-8', { fatal: true });
  let caught: unknown;
  try {
    decoder.decodeToString(new Uint8Array([0x61, 0xc3]));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error);
  assert.equal((caught as Error & { code: unknown }).code, '401');
  assert.match((caught as Error).message, /decode data matches the encoding format/);
  // Without fatal: U+FFFD, no error.
  assert.equal(util.TextDecoder.create('utf-8').decodeToString(new Uint8Array([0x61, 0xc3])), 'a\uFFFD');
});

test('util.TextDecoder double: null throws BusinessError 401, empty gives "", bad create arguments throw 401', () => {
  const decoder = util.TextDecoder.create('utf-8');
  assert.throws(() => decoder.decodeToString(null as unknown as Uint8Array), (e: Error & { code?: unknown }) => e.code === 401 && e.name === 'BusinessError');
  assert.equal(decoder.decodeToString(new Uint8Array(0)), '');
  assert.throws(() => util.TextDecoder.create(42 as unknown as string), (e: Error & { code?: unknown }) => e.code === 401);
  assert.throws(() => util.TextDecoder.create('utf-8', 'x' as unknown as object), (e: Error & { code?: unknown }) => e.code === 401);
});
