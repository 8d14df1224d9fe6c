// What every broker launcher of the kit returns: aedes in this process (aedes.ts), aedes in its own
// process (aedes-process.ts) and mosquitto (mosquitto.ts), so that a scenario runs on any of them.

export type BrokerKind = 'aedes' | 'mosquitto';

/** One CONNECT the broker accepted. */
export interface ConnectRecord {
  id: string;
  /** MQTT protocol level: 3 = 3.1, 4 = 3.1.1, 5 = 5. */
  version: number;
  clean: boolean;
}

export interface Broker {
  readonly kind: BrokerKind;
  readonly port: number;
  /** tcp://127.0.0.1:port or ssl://… (the app's form). */
  readonly url: string;
  /** mqtt://127.0.0.1:port or mqtts://… (mqtt.js's form). */
  readonly mqttUrl: string;
  /** Every CONNECT accepted so far, in order (throws where the launcher cannot see them). */
  connects(): ConnectRecord[];
  /** The CONNECTs accepted so far for one client id, in order. */
  connectsOf(clientId: string): ConnectRecord[];
  /** Stops the broker and frees what it holds. Safe to call twice. */
  close(): Promise<void>;
}

/** `tcp://host:port` and `mqtt://host:port` (ssl:// and mqtts:// with TLS), IPv6 in brackets. */
export function brokerUrls(host: string, port: number, tls: boolean): { url: string; mqttUrl: string } {
  const h = host.includes(':') ? `[${host}]` : host;
  return { url: `${tls ? 'ssl' : 'tcp'}://${h}:${port}`, mqttUrl: `${tls ? 'mqtts' : 'mqtt'}://${h}:${port}` };
}

/** Starts a broker, runs `use` with it and closes the broker whatever happens. */
export async function withBroker<B extends Broker, R>(start: () => Promise<B>, use: (broker: B) => Promise<R>): Promise<R> {
  const broker = await start();
  try {
    return await use(broker);
  } finally {
    await broker.close();
  }
}
