// R8: no credential may reach a log line, a ConnectionStatus detail or a FeedEvent message. The
// watch hooks the hilog double (tools/node/kits — imported by path, so it is the one instance the
// bundle's engine logs to) and sees every line as it is written, including lines the double later
// trims from `hilog.lines`. It runs with hilog's privacy mode off (a developer phone): a secret
// handed to hilog fails the scan even when its format would mask it on a phone with privacy on.
import { hilog } from '../../../tools/node/kits/@kit.PerformanceAnalysisKit';

export class SecretWatch {
  private readonly needles: string[];
  readonly leaks: string[] = [];
  linesSeen = 0;
  textsSeen = 0;
  private restore: (() => void) | undefined;

  constructor(secrets: string[]) {
    const needles = new Set<string>();
    for (const s of secrets) {
      if (s.length === 0) continue;
      needles.add(s);
      needles.add(encodeURIComponent(s));
      needles.add(Buffer.from(s, 'utf8').toString('base64'));
    }
    this.needles = [...needles];
  }

  /** Starts watching hilog; already written lines are scanned too. */
  install(): this {
    const privacyBefore = hilog.privacyMode;
    hilog.privacyMode = false;
    const lines = hilog.lines;
    for (const l of lines) this.scan(l, 'hilog');
    const original = lines.push;
    const scan = (l: string): void => this.scan(l, 'hilog');
    lines.push = function push(this: string[], ...items: string[]): number {
      for (const i of items) scan(i);
      return original.apply(this, items);
    };
    this.restore = () => {
      lines.push = original;
      hilog.privacyMode = privacyBefore;
    };
    return this;
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** Scans other texts (status details, event messages). */
  scanTexts(texts: string[], where: string): void {
    for (const t of texts) {
      this.textsSeen++;
      this.scan(t, where);
    }
  }

  private scan(text: string, where: string): void {
    if (where === 'hilog') this.linesSeen++;
    for (const n of this.needles) {
      if (text.includes(n)) this.leaks.push(`${where}: ${text}`);
    }
  }
}

/** The password every scenario's engine connects with: a SecretWatch looks for it everywhere. */
export const PASSWORD = 'pw-R8-7f3a9c21-do-not-log';
