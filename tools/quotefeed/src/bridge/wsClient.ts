// Loads the `ws` package (kept out of the bundle, like mqtt: see ../deps.ts).
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type WebSocketType from 'ws';
import { resolvePackage } from '../deps';

export type WebSocketClass = typeof WebSocketType;
export type WebSocketLike = WebSocketType;

let loaded: Promise<WebSocketClass> | undefined;

export function loadWs(): Promise<WebSocketClass> {
  loaded ??= import(pathToFileURL(fs.realpathSync(resolvePackage('ws'))).href).then(
    (mod: { default?: WebSocketClass }) => (mod.default ?? (mod as unknown as WebSocketClass)),
  );
  return loaded;
}
