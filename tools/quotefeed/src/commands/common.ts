// Options and helpers shared by the commands that talk to a broker.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OptionSpec, ParsedArgs } from '../args';
import { BrokerAddress, parseBrokerUrl } from '../brokerUrl';
import { ConnectOptions } from '../connect';
import { UsageError } from '../errors';
import { PayloadSigner } from '../signing';
import { DEFAULT_PREFIX, normalisePrefix } from '../quote';
import type { CommandContext } from '../registry';
import {
  AddResult, checkNewSymbol, inspectPem, MAX_WATCHLIST_SIZE, MQTT_VERSION_3_1_1, MQTT_VERSION_5, MQTT_VERSION_DEFAULT, normaliseSymbol
} from '@quotedeck/core';

export const PASSWORD_ENV = 'QUOTEFEED_PASSWORD';
/** The password of an encrypted client key, when --key-password is not given. */
export const KEY_PASSWORD_ENV = 'QUOTEFEED_KEY_PASSWORD';

export const CONNECTION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  broker: { type: 'string', valueName: 'URL', description: 'broker: mqtt://host[:port], tcp://, mqtts:// or ssl:// (required)' },
  username: { type: 'string', valueName: 'NAME', description: 'user name for the broker' },
  password: { type: 'string', valueName: 'SECRET', secret: true, description: `password (or set ${PASSWORD_ENV}); never printed` },
  'client-id': { type: 'string', valueName: 'ID', description: 'MQTT client id (default quotefeed-<pid>-<random>)' },
  'connect-timeout': { type: 'number', valueName: 'S', greaterThan: 0, max: 600, default: 5, description: 'give up connecting after S seconds' },
  insecure: { type: 'boolean', description: 'mqtts: accept any server certificate' },
  // MQTT version (issue 13)
  'mqtt-version': {
    type: 'string', valueName: '3.1.1|5', choices: ['3.1.1', '5'],
    description: 'MQTT version to connect with (default 3.1.1; watch: the app\'s Auto, 3.1.1 then 3.1)',
  },
  // client certificates (mutual TLS)
  ca: { type: 'string', valueName: 'FILE', description: 'TLS: CA certificates (PEM) to verify the broker with' },
  cert: { type: 'string', valueName: 'FILE', description: 'TLS: client certificate (PEM) for brokers that require one' },
  key: { type: 'string', valueName: 'FILE', description: 'TLS: the client certificate\'s private key (PEM; default: in the --cert file)' },
  'key-password': {
    type: 'string', valueName: 'SECRET', secret: true,
    description: `TLS: the password of an encrypted client key (or set ${KEY_PASSWORD_ENV}); never printed`,
  },
};

export const PUBLISH_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  qos: { type: 'integer', valueName: '0|1', min: 0, max: 1, default: 0, description: 'MQTT QoS of each quote' },
  retain: { type: 'boolean', negatable: true, default: true, description: 'publish retained, so late subscribers get the last quote per symbol' },
  prefix: { type: 'string', valueName: 'PREFIX', default: DEFAULT_PREFIX, description: 'topic prefix: quotes go to <PREFIX>/<SYMBOL>/quotes' },
};

/** `--sign FILE`: every payload (quotes, bar snapshots) signed with the key from `quotefeed keygen`. */
export const SIGN_OPTION: Readonly<Record<string, OptionSpec>> = {
  sign: { type: 'string', valueName: 'FILE', description: 'sign every quote and bar snapshot with this private key (quotefeed keygen)' },
};

export function signerFrom(args: ParsedArgs): PayloadSigner | undefined {
  const file = args.options.sign as string | undefined;
  return file === undefined ? undefined : PayloadSigner.fromFile(file);
}

export const QUIET_OPTION: Readonly<Record<string, OptionSpec>> = {
  quiet: { type: 'boolean', description: 'no progress lines on stderr' },
};

export function brokerFrom(args: ParsedArgs, command: string): BrokerAddress {
  const url = args.options.broker as string | undefined;
  if (url === undefined) throw new UsageError('--broker URL is required', command);
  return parseBrokerUrl(url, command);
}

export function connectOptionsFrom(args: ParsedArgs, ctx: CommandContext, command: string): ConnectOptions {
  const o = args.options;
  const username = o.username as string | undefined;
  let password = o.password as string | undefined;
  if (password !== undefined && username === undefined) throw new UsageError('--password needs --username', command);
  if (username !== undefined && password === undefined && ctx.env[PASSWORD_ENV] !== undefined) password = ctx.env[PASSWORD_ENV];
  return {
    username,
    password,
    clientId: o['client-id'] as string | undefined,
    connectTimeoutMs: Math.round((o['connect-timeout'] as number) * 1000),
    rejectUnauthorized: o.insecure !== true,
    ...(o['mqtt-version'] === undefined ? {} : { protocolVersion: o['mqtt-version'] === '5' ? 5 : 4 }),
    ...tlsFilesFrom(args, ctx, command),
  };
}

/**
 * The app's MQTTVersion (core MqttVersion) for `--mqtt-version`: 5 or 4 ("3.1.1 only"), and the
 * app's default, Auto (0), when it is not given.
 */
export function appMqttVersionOf(conn: ConnectOptions): number {
  if (conn.protocolVersion === 5) return MQTT_VERSION_5;
  return conn.protocolVersion === 4 ? MQTT_VERSION_3_1_1 : MQTT_VERSION_DEFAULT;
}

type TlsFiles = Pick<ConnectOptions, 'caFile' | 'certFile' | 'keyFile' | 'keyPassword'>;

/**
 * `--ca`, `--cert`, `--key`: resolved paths, checked to go with a TLS broker URL and to be readable;
 * `--key-password` (or $QUOTEFEED_KEY_PASSWORD), required when the key is encrypted (as the app
 * refuses an encrypted key without its password before connecting).
 */
export function tlsFilesFrom(args: ParsedArgs, ctx: CommandContext, command: string): TlsFiles {
  const o = args.options;
  const out: TlsFiles = {};
  const url = (o.broker as string | undefined) ?? '';
  const secure = /^(ssl|mqtts|wss):\/\//i.test(url);
  for (const [flag, field] of [['ca', 'caFile'], ['cert', 'certFile'], ['key', 'keyFile']] as const) {
    const value = o[flag] as string | undefined;
    if (value === undefined) continue;
    if (!secure) throw new UsageError(`--${flag} needs a TLS broker URL (ssl://, mqtts:// or wss://)`, command);
    const file = path.resolve(ctx.cwd, value);
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch {
      throw new UsageError(`--${flag}: cannot read ${file}`, command);
    }
    out[field] = file;
  }
  if (out.keyFile !== undefined && out.certFile === undefined) throw new UsageError('--key needs --cert', command);
  const keyPassword = (o['key-password'] as string | undefined) ?? (out.certFile !== undefined ? ctx.env[KEY_PASSWORD_ENV] : undefined);
  if (args.given.has('key-password') && out.certFile === undefined) throw new UsageError('--key-password needs --cert', command);
  if (out.certFile !== undefined) {
    const keyFile = out.keyFile ?? out.certFile;
    const encrypted = inspectPem(fs.readFileSync(keyFile, 'utf8')).keyEncrypted;
    if (encrypted && (keyPassword === undefined || keyPassword.length === 0)) {
      throw new UsageError(`the key in ${keyFile} is encrypted: give its password with --key-password or ${KEY_PASSWORD_ENV}`, command);
    }
    if (encrypted) {
      // checked here, so a wrong password is named as such instead of OpenSSL's "bad decrypt" at connect
      try {
        crypto.createPrivateKey({ key: fs.readFileSync(keyFile), passphrase: keyPassword });
      } catch {
        throw new UsageError(`--key-password does not decrypt the key in ${keyFile}`, command);
      }
      out.keyPassword = keyPassword;
    }
  }
  return out;
}

export function prefixFrom(args: ParsedArgs, command: string): string {
  const prefix = normalisePrefix(args.options.prefix as string);
  if (prefix === null) throw new UsageError('--prefix must not contain +, #, NUL or empty levels', command);
  return prefix;
}

export function exclusive(args: ParsedArgs, a: string, b: string, command: string): void {
  if (args.given.has(a) && args.given.has(b)) throw new UsageError(`--${a} and --${b} cannot be used together`, command);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A --symbols list checked by the app's watch-list rules (upper-cased, A-Z 0-9 . - ^, no repeats, at most `max`). */
export function symbolListFrom(list: string, command: string, max = MAX_WATCHLIST_SIZE): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    if (raw.trim() === '') continue;
    const r = checkNewSymbol(raw, out, max);
    if (r === AddResult.TOO_LONG || r === AddResult.INVALID) throw new UsageError(`bad symbol "${raw.trim()}" (1-12 of A-Z 0-9 . - ^)`, command);
    if (r === AddResult.DUPLICATE) throw new UsageError(`--symbols lists ${normaliseSymbol(raw)} twice`, command);
    if (r === AddResult.FULL) throw new UsageError(`--symbols lists more than ${max} symbols (the app's watch-list limit)`, command);
    out.push(normaliseSymbol(raw));
  }
  if (out.length === 0) throw new UsageError('--symbols is empty', command);
  return out;
}
