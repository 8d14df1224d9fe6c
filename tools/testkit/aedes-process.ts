// aedes in its own process, for load runs where a broker in the test's process would share its core
// with the engine (R7, the benches without mosquitto): it is `quotefeed broker --port 0`, the same
// aedes broker (aedes.ts) the demo runs, started through quotefeed's launcher (which builds its
// bundle first when a source is newer). Stopped by its pid in close().
import { spawn } from 'node:child_process';
import { Broker, brokerUrls } from './broker';
import { projectPath } from './paths';
import { stop, track } from './processes';

export interface AedesProcess extends Broker {
  readonly kind: 'aedes';
  readonly pid: number;
}

/** Starts the broker process and resolves once it prints its URL (a first build may take a while). */
export async function startAedesProcess(timeoutMs = 30_000): Promise<AedesProcess> {
  const bin = projectPath('tools', 'quotefeed', 'bin', 'quotefeed.js');
  const child = track(spawn(process.execPath, [bin, 'broker', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop(child, 'SIGKILL');
      reject(new Error(`the aedes process did not start within ${timeoutMs} ms: ${err.trim()}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /mqtt:\/\/\S+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the aedes process exited (${code}): ${err.trim()}`));
    });
  });
  let closing: Promise<void> | undefined;
  return {
    kind: 'aedes',
    port,
    pid: child.pid as number,
    ...brokerUrls('127.0.0.1', port, false),
    connects: () => {
      throw new Error('an aedes process does not report its CONNECTs; use startAedes() or mosquitto');
    },
    connectsOf: () => {
      throw new Error('an aedes process does not report its CONNECTs; use startAedes() or mosquitto');
    },
    close: () => {
      closing ??= stop(child, 'SIGTERM', 3000);
      return closing;
    },
  };
}
