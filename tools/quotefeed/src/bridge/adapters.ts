// The source adapters by name.
import { binance } from './binance';
import { coinbase } from './coinbase';
import { finnhub } from './finnhub';
import { kraken } from './kraken';
import type { SourceAdapter, SourceName } from './source';

export const ADAPTERS: Readonly<Record<SourceName, SourceAdapter>> = { coinbase, binance, kraken, finnhub };
