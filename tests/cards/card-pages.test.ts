// The card pages cannot import @quotedeck/core (cards cannot import shared packages), so they spell
// out the names the core's card data and launch parameters use. These tests read the pages and hold
// them to the core: every LocalStorageProp key is a WidgetBinding field and every field is bound,
// the row fields the card reads are WidgetRow's, and the router params are the ones CardLaunch reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CARD_SYMBOL_PARAM, CARD_TARGET_PARAM, CARD_TARGET_WATCHLIST, CardLaunchKind, cardLaunchOf, WidgetBinding, WidgetRow
} from '@quotedeck/core';

const widgetDir = path.join(process.cwd(), 'entry', 'src', 'main', 'ets', 'widget');
const pages = ['QuoteCardSmall.ets', 'QuoteCardWide.ets'].map((f) => path.join(widgetDir, 'pages', f));
const read = (file: string): string => fs.readFileSync(file, 'utf8');

test('every card page binds exactly the fields of WidgetBinding', () => {
  const fields = Object.keys(new WidgetBinding()).sort();
  for (const page of pages) {
    const keys = [...read(page).matchAll(/@LocalStorageProp\('(\w+)'\)/g)].map((m) => m[1]).sort();
    assert.deepEqual(keys, fields, path.basename(page));
  }
});

test('the card reads the row fields WidgetRow has', () => {
  const view = read(path.join(widgetDir, 'common', 'QuoteCardView.ets'));
  const body = /export class CardRow \{([\s\S]*?)\n\}/.exec(view);
  assert.ok(body, 'QuoteCardView declares CardRow');
  const cardFields = [...body![1].matchAll(/^\s+(\w+):/gm)].map((m) => m[1]).sort();
  assert.deepEqual(cardFields, Object.keys(new WidgetRow()).sort());
});

test('the router params the cards post are the ones the app reads', () => {
  const actions = read(path.join(widgetDir, 'common', 'CardActions.ets'));
  assert.match(actions, new RegExp(`class SymbolParams \\{\\s+${CARD_SYMBOL_PARAM}: string;`));
  assert.match(actions, new RegExp(`class TargetParams \\{\\s+${CARD_TARGET_PARAM}: string = '${CARD_TARGET_WATCHLIST}';`));
  assert.match(actions, /abilityName: string = 'EntryAbility'/);
  const chart: Record<string, Object> = { [CARD_SYMBOL_PARAM]: 'AAPL' };
  assert.equal(cardLaunchOf(chart).kind, CardLaunchKind.CHART);
  const list: Record<string, Object> = { [CARD_TARGET_PARAM]: CARD_TARGET_WATCHLIST };
  assert.equal(cardLaunchOf(list).kind, CardLaunchKind.WATCHLIST);
});
