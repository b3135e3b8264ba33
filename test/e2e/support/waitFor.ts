// Polling with a deadline: end-to-end steps wait for a state, never for a fixed time.

export const WAIT_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 100;

/** Calls `check` until it returns something other than undefined; fails naming `what` and the last value seen. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

/**
 * The promise's value, or a failure naming `what` (and whatever `explain`
 * finds out then) if it has not settled within the deadline: a step that
 * waits for an event must fail with a reason, never hang the run.
 */
export async function settlesWithin<T>(what: string, promise: Promise<T>, explain: () => Promise<string>, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      explain().then(
        (why) => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${why}`)),
        (err: unknown) => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (and explaining failed: ${String(err)})`)),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
