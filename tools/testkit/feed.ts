// What the feed tests set up again and again: a start config for the app's engine on a test broker,
// and a plain mqtt.js publisher. Imported directly (not through index.ts), because it pulls in the
// app's core module, which only the bundled tests resolve.
import mqtt from 'mqtt';
import { ConnectionOptions, FeedStartConfig } from '@quotedeck/core';

/** A start config for `symbols` on the broker at `url` (tcp://…), flushing every 100 ms. */
export function testStartConfig(url: string, clientId: string, symbols: string[]): FeedStartConfig {
  const c = new FeedStartConfig();
  c.connection = ConnectionOptions.forBroker(url, clientId);
  c.symbols = symbols.slice();
  c.flushIntervalMs = 100;
  return c;
}

/** A connected mqtt.js client for publishing test quotes to the broker at `url` (tcp://…). */
export async function connectPublisher(url: string): Promise<mqtt.MqttClient> {
  const pub = mqtt.connect(url.replace('tcp://', 'mqtt://'), { clientId: `pub-${Date.now()}`, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    pub.once('connect', () => resolve());
    pub.once('error', reject);
  });
  return pub;
}
