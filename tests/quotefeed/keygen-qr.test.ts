// quotefeed keygen's QR code: what it prints is read back by a real QR decoder (jsQR) and must be
// exactly the key line the app accepts, in both drawings (plain blocks when piped, explicit ANSI
// colours on a terminal), and the decoded text goes through the app's own key parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import jsQR from 'jsqr';
import { addTrustedKey, TrustedKeyProblem } from '@quotedeck/core';
import type { ParsedArgs } from '../../tools/quotefeed/src/args';
import { keygenCommand } from '../../tools/quotefeed/src/commands/keygen';
import { parseRenderedQr, QR_QUIET_ZONE } from '../../tools/quotefeed/src/qr';
import { runCli } from './helpers';

const PIXELS_PER_MODULE = 4;

/** Draws module rows as an RGBA image (dark = black) with a quiet zone around, and decodes it. */
function decode(modules: boolean[][]): string | undefined {
  assert.ok(modules.length > 0, 'a QR code was printed');
  const width = Math.max(...modules.map((r) => r.length));
  const side = (Math.max(width, modules.length) + 2 * QR_QUIET_ZONE) * PIXELS_PER_MODULE;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  modules.forEach((row, r) => row.forEach((dark, c) => {
    if (!dark) return;
    for (let y = 0; y < PIXELS_PER_MODULE; y++) {
      for (let x = 0; x < PIXELS_PER_MODULE; x++) {
        const px = ((r + QR_QUIET_ZONE) * PIXELS_PER_MODULE + y) * side + (c + QR_QUIET_ZONE) * PIXELS_PER_MODULE + x;
        rgba[px * 4] = 0;
        rgba[px * 4 + 1] = 0;
        rgba[px * 4 + 2] = 0;
      }
    }
  }));
  return jsQR(rgba, side, side, { inversionAttempts: 'dontInvert' })?.data;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'qf-keyqr-'));
}

test('keygen piped prints a plain block QR code that decodes to exactly the public key line of FILE.pub', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  try {
    const r = await runCli(['keygen', '--out', 'k.key'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour codes in a pipe');
    const pub = fs.readFileSync(path.join(dir, 'k.key.pub'), 'utf8').trim();
    const decoded = decode(parseRenderedQr(r.stdout));
    assert.equal(decoded, pub);
    const added = addTrustedKey([], decoded!);
    assert.equal(added.problem, TrustedKeyProblem.NONE, 'the scanned text is a key the app accepts');
    assert.deepEqual(added.keys, [pub]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

class TtyOut extends Writable {
  readonly isTTY = true;
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function keygenOnTerminal(env: NodeJS.ProcessEnv): Promise<{ out: string; pub: string }> {
  const dir = tempDir();
  try {
    const stdout = new TtyOut();
    const stderr = new TtyOut();
    const args: ParsedArgs = { positionals: [], options: { out: 'k.key' }, given: new Set(['out']), help: false };
    const code = await keygenCommand.run(args, { stdout, stderr, env, cwd: dir, signal: new AbortController().signal });
    assert.equal(code, 0);
    return { out: stdout.text, pub: fs.readFileSync(path.join(dir, 'k.key.pub'), 'utf8').trim() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('keygen on a terminal draws the QR code in explicit colours that decode to the key, and plain blocks with NO_COLOR', { timeout: 30_000 }, async () => {
  const coloured = await keygenOnTerminal({});
  assert.ok(coloured.out.includes('\u001b[30;107m') || coloured.out.includes('\u001b[97;40m'), 'dark and light cells have explicit colours');
  assert.equal(decode(parseRenderedQr(coloured.out)), coloured.pub);
  const plain = await keygenOnTerminal({ NO_COLOR: '1' });
  assert.ok(!plain.out.includes('\u001b['));
  assert.equal(decode(parseRenderedQr(plain.out)), plain.pub);
});
