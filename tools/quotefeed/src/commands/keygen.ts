// `quotefeed keygen --out FILE`: an Ed25519 signing key pair for signed quotes (docs/payload.md).
import path from 'node:path';
import { UsageError } from '../errors';
import { generateKeyFiles } from '../signing';
import { qrModules, renderQr } from '../qr';
import type { Command } from '../registry';

const NAME = 'keygen';

export const keygenCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Make a publisher signing key: FILE (private, mode 0600, never printed) and FILE.pub (the key the app trusts).',
    options: {
      out: { type: 'string', valueName: 'FILE', description: 'where to write the private key (refused if it exists); the public key goes to FILE.pub' },
    },
    details: [
      'Prints the key id, the public key line and the same line as a QR code (paste the line into the app: Settings > Trusted keys;',
      'the QR code carries exactly that text, for a scanner that copies it to the phone\'s clipboard).',
      'The QR code has explicit colours on a terminal (any theme); piped or with NO_COLOR set it is drawn in plain block characters.',
      'Then: quotefeed publish --sign FILE ...   and   quotefeed watch --trust FILE.pub ...',
    ],
  },
  async run(args, ctx) {
    const out = args.options.out as string | undefined;
    if (out === undefined) throw new UsageError('--out FILE is required', NAME);
    const file = path.resolve(ctx.cwd, out);
    let key;
    try {
      key = generateKeyFiles(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${out} exists; keygen never overwrites a key`, NAME);
      throw new UsageError(`cannot write ${out}: ${(e as Error).message}`, NAME);
    }
    ctx.stdout.write(`key id ${key.keyId}\n`);
    ctx.stdout.write(`private key: ${out} (mode 0600, keep it secret)\n`);
    ctx.stdout.write(`public key: ${out}.pub\n`);
    // One line of text, the QR payload the app accepts.
    ctx.stdout.write(`${key.publicKeyText}\n`);
    // The same text as a QR code: explicit colours on a terminal, plain blocks in a file or a pipe.
    const tty = (ctx.stdout as { isTTY?: boolean }).isTTY === true;
    const noColor = ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '';
    ctx.stdout.write(renderQr(qrModules(key.publicKeyText), tty && !noColor));
    return 0;
  },
};
