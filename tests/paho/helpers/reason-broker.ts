// A minimal broker that answers CONNECT only, for the MQTT version paths (issue 13): each CONNECT is
// recorded (client id, protocol level) and answered by `decide` — a CONNACK return code for
// MQTT 3.1/3.1.1, a reason code for MQTT 5 (0 = accepted; properties none). A refused connection is
// closed after its CONNACK; an accepted one answers PINGREQ and SUBSCRIBE (granted QoS) and ends
// on DISCONNECT. Built on mqtt-packet (the parser and writer aedes and mqtt.js use).
import net from 'node:net';
import mqttPacket from 'mqtt-packet';

export interface ReasonAttempt {
  clientId: string;
  /** 3 = MQTT 3.1, 4 = 3.1.1, 5 = 5. */
  version: number;
  userName: string | undefined;
  at: number;
}

export interface ReasonBroker {
  url: string;
  port: number;
  attempts: ReasonAttempt[];
  close(): Promise<void>;
}

/** The answer to one CONNECT: a 3.1.1 return code or an MQTT 5 reason code; 'close' closes without a CONNACK. */
export type Decide = (attempt: ReasonAttempt) => number | 'close';

/** A broker that speaks only MQTT 5: 3.1 and 3.1.1 CONNECTs get CONNACK 1 (unacceptable protocol version). */
export const onlyMqtt5 = (reason5: number = 0): Decide => (a) => (a.version === 5 ? reason5 : 1);

export async function startReasonBroker(decide: Decide): Promise<ReasonBroker> {
  const attempts: ReasonAttempt[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let version = 4;
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const send = (packet: object): void => {
      if (!socket.destroyed) socket.write(mqttPacket.generate(packet as mqttPacket.Packet, { protocolVersion: version }));
    };
    parser.on('packet', (packet: mqttPacket.Packet) => {
      if (packet.cmd === 'connect') {
        version = packet.protocolVersion ?? 4;
        const attempt: ReasonAttempt = { clientId: packet.clientId, version, userName: packet.username, at: Date.now() };
        attempts.push(attempt);
        const answer = decide(attempt);
        if (answer === 'close') {
          socket.destroy();
          return;
        }
        if (version === 5) send({ cmd: 'connack', sessionPresent: false, reasonCode: answer });
        else send({ cmd: 'connack', sessionPresent: false, returnCode: answer });
        if (answer !== 0) socket.end();
      } else if (packet.cmd === 'pingreq') {
        send({ cmd: 'pingresp' });
      } else if (packet.cmd === 'subscribe') {
        send({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map((s) => s.qos) });
      } else if (packet.cmd === 'disconnect') {
        socket.end();
      }
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (d: Buffer) => parser.parse(d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    attempts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
