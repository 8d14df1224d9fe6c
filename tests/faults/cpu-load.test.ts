// The busy processes the timing scenarios run under (tools/testkit/load.ts): one per core, they use
// CPU while they run, and none is left once stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startCpuLoad } from '../../tools/testkit';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the CPU load runs one busy process per core, and stop() leaves none running', { timeout: 30000 }, async () => {
  const load = await startCpuLoad({ maxMs: 20000 });
  try {
    assert.equal(load.pids.length, os.availableParallelism());
    assert.ok(load.pids.every(running));
    const deadline = Date.now() + 10000;
    while (load.cpuMs() < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(load.cpuMs() >= 100, `the busy processes used ${load.cpuMs()} ms of CPU`);
  } finally {
    await load.stop();
  }
  assert.ok(load.pids.every((pid) => !running(pid)), 'every busy process is gone');
});
