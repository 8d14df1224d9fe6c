// R8 — secrets and TLS through the engine path (FeedClient → feed → OhosMqttTransport):
//  - an ssl:// broker with a self-signed certificate is refused by default (certificate verified):
//    ERROR with SessionErrorKind.TLS after one attempt, no retry storm; with its CA as caFile the
//    same engine connects and gets data;
//  - across every run here (and every other fault scenario, each of which runs a SecretWatch) no
//    password appears in any hilog line, ConnectionStatus detail or FeedEvent message.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { ConnectionState, SessionErrorKind } from '@quotedeck/core';
import { EngineUnderTest } from '../../../tools/faults/engine';
import { SecretWatch } from '../../../tools/faults/secrets';
import { TickBook, symbolNames } from '../../../tools/faults/ticks';
import { sleep, waitFor } from '../../integration/helpers/mqtt-fixtures';

export const TLS_PASSWORD = 'pw-R8-tls-5b1e0c77-never-logged';

export interface TlsResult {
  broker: string;
  untrusted: { state: string; lastError: string; detail: string; attempts: number };
  trusted: { state: string; connectMs: number; dataOk: boolean };
  logLinesScanned: number;
  textsScanned: number;
}

/** `url` is an ssl:// broker whose certificate (self-signed) is in `certFile`. */
export async function runTlsChecks(brokerKind: string, url: string, mqttsUrl: string, cert: Buffer, certFile: string, clientId: string): Promise<TlsResult> {
  const watch = new SecretWatch([TLS_PASSWORD]).install();
  const symbols = symbolNames(2);
  const untrusted = new EngineUnderTest({ url, clientId, symbols, userName: 'quotes', password: TLS_PASSWORD });
  const trusted = new EngineUnderTest({ url, clientId, symbols, userName: 'quotes', password: TLS_PASSWORD, caFile: certFile });
  try {
    // Default settings: the certificate is verified, the self-signed one is refused.
    assert.equal(untrusted.startConfig().connection.tls.verifyServerCertificate, true, 'verification is on by default');
    untrusted.start();
    await waitFor(() => untrusted.state() === ConnectionState.ERROR, 20000, 'the TLS refusal');
    await sleep(1500); // no retry follows
    const st = untrusted.store.status;
    assert.equal(st.lastError, SessionErrorKind.TLS, `a TLS error, not ${st.lastError}: ${st.detail}`);
    assert.match(st.detail, /ssl:\/\/127\.0\.0\.1:\d+/);
    assert.match(st.detail, /TLS/);
    assert.equal(untrusted.factory.attempts.length, 1, 'a TLS failure is not retried');
    assert.equal(st.nextAttemptAt, 0);
    await untrusted.stop();

    // The same broker, its CA configured: connects, and data flows.
    const t0 = Date.now();
    trusted.start();
    await waitFor(() => trusted.state() === ConnectionState.CONNECTED && trusted.factory.subscribes.some((s) => s.ok), 20000, 'the TLS connect with caFile');
    const connectMs = Date.now() - t0;
    const book = new TickBook(symbols);
    const pub = await mqtt.connectAsync(mqttsUrl, { ca: cert, clientId: `${clientId}-pub`, reconnectPeriod: 0, rejectUnauthorized: true });
    try {
      for (const s of symbols) {
        const tick = book.next(s);
        await pub.publishAsync(tick.topic, tick.payload, { qos: 1 });
      }
    } finally {
      await pub.endAsync();
    }
    await waitFor(() => symbols.every((s) => trusted.item(s).price === book.last(s)!.price), 10000, 'data over TLS');
    await trusted.stop();
    watch.scanTexts(untrusted.channel.texts, 'untrusted status/event');
    watch.scanTexts(trusted.channel.texts, 'trusted status/event');
    assert.deepEqual(watch.leaks, [], 'no secret in any log line, status or event');
    assert.ok(watch.linesSeen > 0, 'the adapter logged (and every line was scanned)');
    return {
      broker: brokerKind,
      untrusted: { state: st.state, lastError: st.lastError, detail: st.detail, attempts: untrusted.factory.attempts.length },
      trusted: { state: ConnectionState.CONNECTED, connectMs, dataOk: true },
      logLinesScanned: watch.linesSeen,
      textsScanned: watch.textsSeen,
    };
  } finally {
    await untrusted.stop();
    await trusted.stop();
    watch.uninstall();
  }
}
