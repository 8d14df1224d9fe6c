// The AppStorageV2 double must refuse what API 12 refuses (it throws; it does not return undefined),
// and the app's providers must work under those rules: each key one type, every connect with a creator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppStorageV2 } from '@kit.ArkUI';
import { appChartState, appDisplaySettings, appQuoteStore, ChartState, DisplaySettings, QuoteStore } from '@quotedeck/ui';
// The chart HAR's Index also exports its page (a struct, which only the ArkUI compiler reads).
import { appChartSubscriptions } from '../../features/chart/src/main/ets/viewmodel/ChartSubscriptionsProvider';

class Box {
  value: number = 1;
}

class OtherBox {
  value: number = 2;
}

test('AppStorageV2 double: a first connect without a creator throws, as on the phone', () => {
  assert.throws(() => AppStorageV2.connect(Box, 'doubles.noCreator'), /default creator should be function when first connect/);
  assert.throws(() => AppStorageV2.connect(Box), /default creator should be function when first connect/);
  assert.equal(AppStorageV2.keys().includes('doubles.noCreator'), false);
});

test('AppStorageV2 double: one type per key; a creator must make that type', () => {
  const box = AppStorageV2.connect(Box, 'doubles.box', () => new Box());
  assert.ok(box instanceof Box);
  assert.equal(AppStorageV2.connect(Box, 'doubles.box'), box, 'later connects need no creator and get the same instance');
  assert.throws(() => AppStorageV2.connect(OtherBox, 'doubles.box', () => new OtherBox()), /type mismatches/);
  assert.throws(() => AppStorageV2.connect(Box, 'doubles.wrong', () => new OtherBox()), /type mismatches/);
  assert.equal(AppStorageV2.connect(Box, () => new Box()), AppStorageV2.connect(Box), 'no key: the type name is the key');
  AppStorageV2.remove('doubles.box');
  AppStorageV2.remove('doubles.never'); // unknown: no error
  assert.notEqual(AppStorageV2.connect(Box, 'doubles.box', () => new Box()), box);
});

test('the app providers live side by side in AppStorageV2 and each returns its one instance', () => {
  const store = appQuoteStore();
  const display = appDisplaySettings();
  const chart = appChartState();
  const subscriptions = appChartSubscriptions();
  assert.ok(store instanceof QuoteStore);
  assert.ok(display instanceof DisplaySettings);
  assert.ok(chart instanceof ChartState);
  assert.equal(appQuoteStore(), store);
  assert.equal(appDisplaySettings(), display);
  assert.equal(appChartState(), chart);
  assert.equal(appChartSubscriptions(), subscriptions);
});
