// Waiting in tests: a plain sleep and a polling wait that fails with what it was waiting for.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`, naming `what`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'a condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
