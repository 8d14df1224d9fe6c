// `quotefeed keygen --out FILE`: an Ed25519 signing key pair for signed quotes (docs/payload.md).
import path from 'node:path';
import { UsageError } from '../errors';
import { generateKeyFiles } from '../signing';
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
      'Prints the key id and the public key line (paste it, or its QR code, into the app: Settings > Trusted keys).',
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
    return 0;
  },
};
