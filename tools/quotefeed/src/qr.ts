// The public key as a QR code in the terminal (`quotefeed keygen`), so the user can carry it to the
// phone with a scanner instead of typing it. The code holds exactly the key text the app accepts
// (`qdk1-ed25519:<43 base64url>`, 56 bytes: a version-4 code, 33×33 modules at level M), drawn two
// module rows per text line with half blocks and the standard 4-module quiet zone.
//
// - ANSI form (a terminal): every cell is `▀` with explicit colours (upper module = foreground,
//   lower = background; black for dark, bright white for light), so the code reads the same on a
//   dark or a light terminal theme — a scanner needs dark modules on a light field.
// - Text form (stdout is a file or a pipe): `█ ▀ ▄` and spaces, dark = ink; right on paper or a
//   light page, inverted on a dark terminal (most scanners read inverted codes too).
import qrcode from 'qrcode-generator';

/** Modules of light border around the code (ISO/IEC 18004 asks for 4). */
export const QR_QUIET_ZONE = 4;

/** The QR code of `text` (byte mode, error correction M, smallest version) as rows of dark flags, quiet zone included. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const size = n + 2 * QR_QUIET_ZONE;
  const rows: boolean[][] = [];
  for (let r = 0; r < size; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < size; c++) {
      const rr = r - QR_QUIET_ZONE;
      const cc = c - QR_QUIET_ZONE;
      row.push(rr >= 0 && rr < n && cc >= 0 && cc < n && qr.isDark(rr, cc));
    }
    rows.push(row);
  }
  return rows;
}

const ESC = '\u001b[';
const FG_DARK = 30;
const FG_LIGHT = 97;
const BG_DARK = 40;
const BG_LIGHT = 107;

/** The modules as terminal text, two module rows per line (see the top of this file for the two forms). */
export function renderQr(modules: boolean[][], ansi: boolean): string {
  const lines: string[] = [];
  for (let r = 0; r < modules.length; r += 2) {
    const top = modules[r];
    const bottom = r + 1 < modules.length ? modules[r + 1] : top.map(() => false);
    let line = '';
    for (let c = 0; c < top.length; c++) {
      if (ansi) {
        line += `${ESC}${top[c] ? FG_DARK : FG_LIGHT};${bottom[c] ? BG_DARK : BG_LIGHT}m\u2580`;
      } else {
        line += top[c] ? (bottom[c] ? '\u2588' : '\u2580') : (bottom[c] ? '\u2584' : ' ');
      }
    }
    lines.push(ansi ? `${line}${ESC}0m` : line);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reads a rendered code back into module rows (either form); the inverse of renderQr, for tests
 * that decode what keygen printed. Lines that are not part of a code are skipped.
 */
export function parseRenderedQr(text: string): boolean[][] {
  const rows: boolean[][] = [];
  const cell = /\u001b\[(\d+);(\d+)m\u2580/g;
  for (const line of text.split('\n')) {
    if (line.includes('\u001b[')) {
      const top: boolean[] = [];
      const bottom: boolean[] = [];
      for (const m of line.matchAll(cell)) {
        top.push(Number(m[1]) === FG_DARK);
        bottom.push(Number(m[2]) === BG_DARK);
      }
      if (top.length > 0) rows.push(top, bottom);
    } else if (/^[ \u2580\u2584\u2588]+$/.test(line) && /[\u2580\u2584\u2588]/.test(line)) {
      const chars = [...line];
      rows.push(chars.map((ch) => ch === '\u2588' || ch === '\u2580'), chars.map((ch) => ch === '\u2588' || ch === '\u2584'));
    }
  }
  return rows;
}
