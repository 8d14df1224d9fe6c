// A broker that does not speak MQTT 3.1, as many hosted brokers do: aedes (which accepts 3.1) with a
// preConnect hook that sees every CONNECT first. A 3.1 CONNECT ("MQIsdp", level 3) is either closed
// without an answer ('close') or answered CONNACK 1 "unacceptable protocol version" ('connack1');
// 3.1.1 goes on to aedes, which lets anonymous clients in and answers bad credentials with CONNACK 4
// and a refused user with CONNACK 5. 'accept' lets 3.1 through too (a broker that only records).
// Every CONNECT attempt is recorded with its protocol level and time.
import { AedesBroker, AedesBrokerOptions, startAedes } from '../../../tools/testkit';

export type On31 = 'close' | 'connack1' | 'accept';

export interface ConnectAttempt {
  clientId: string;
  /** MQTT protocol level: 3 = 3.1, 4 = 3.1.1, 5 = 5. */
  version: number;
  at: number;
}

export interface StrictBroker {
  url: string;
  port: number;
  aedes: AedesBroker;
  attempts: ConnectAttempt[];
  close(): Promise<void>;
}

export const GOOD_USER = 'viewer';
export const GOOD_PASSWORD = 'Corr3ct-pw';
export const BLOCKED_USER = 'blocked';

/** CONNACK, remaining length 2, no session, return code 1. */
const CONNACK_UNACCEPTABLE_PROTOCOL = Buffer.from([0x20, 0x02, 0x00, 0x01]);

export async function startStrictBroker(on31: On31, extra: AedesBrokerOptions = {}): Promise<StrictBroker> {
  const attempts: ConnectAttempt[] = [];
  const aedes = await startAedes({
    ...extra,
    preConnect: (client, packet, done) => {
      attempts.push({ clientId: packet.clientId, version: packet.protocolVersion, at: Date.now() });
      if (packet.protocolVersion !== 3 || on31 === 'accept') return done(null, true);
      if (on31 === 'connack1') client.conn.end(CONNACK_UNACCEPTABLE_PROTOCOL);
      else client.conn.destroy();
      done(new Error('MQTT 3.1 is not supported'), false);
    },
    authenticate: (_client, username, password, done) => {
      if (username === undefined) return done(null, true); // anonymous clients are welcome
      if (username === GOOD_USER && password?.toString() === GOOD_PASSWORD) return done(null, true);
      if (username === BLOCKED_USER) return done(Object.assign(new Error('not authorized'), { returnCode: 5 }), false);
      done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
    },
  });
  return { url: aedes.url, port: aedes.port, aedes, attempts, close: () => aedes.close() };
}
