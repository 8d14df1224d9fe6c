// Load profiles (docs/mqtt-reliability-and-performance.md §4.3): how many symbols tick how often.

export type ProfileName = 'normal' | 'active' | 'burst';
export const PROFILE_NAMES: readonly ProfileName[] = ['normal', 'active', 'burst'];

export interface Profile {
  name: ProfileName;
  description: string;
  symbolCount: number;
  /** Each symbol's rate is drawn (from the seed) uniformly in this range, ticks/s. */
  perSymbolRate: readonly [number, number];
  /** The first symbol ticks at this rate instead (the burst's hot symbol). */
  hotSymbolRate?: number;
  /** Used when neither --count nor --duration is given. */
  defaultDurationSec?: number;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  normal: {
    name: 'normal',
    description: '50 symbols x 1-2 ticks/s (about 75 msg/s)',
    symbolCount: 50,
    perSymbolRate: [1, 2],
  },
  active: {
    name: 'active',
    description: '200 symbols x 10 ticks/s (2,000 msg/s)',
    symbolCount: 200,
    perSymbolRate: [10, 10],
  },
  burst: {
    name: 'burst',
    description: '10,000 msg/s for 5 s: AAPL at 1,000/s, 199 symbols at ~45/s',
    symbolCount: 200,
    perSymbolRate: [9000 / 199, 9000 / 199],
    hotSymbolRate: 1000,
    defaultDurationSec: 5,
  },
};
