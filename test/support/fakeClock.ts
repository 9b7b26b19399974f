import type { AbortSignalLike, Clock } from '../../src/core/providers/ports';

/**
 * A clock for the provider layer's pure logic: time moves only when a test calls `advance`, timers fire in
 * order of their due time, and `random` returns what the test set. Backoffs and rate windows become exact
 * and instant.
 */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing each due timer in order and letting its callbacks run. */
  advance(ms: number): Promise<void>;
  /** Lets pending promise callbacks run without moving time. */
  settle(): Promise<void>;
  /** Timers waiting to fire. */
  readonly pending: number;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  /** What `random()` returns (default 0.5). */
  randomValue: number;
}

/** Lets every queued promise callback run (a macrotask turn drains the microtask queue). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers: Array<{ at: number; seq: number; fire(): void }> = [];
  const sleeps: number[] = [];
  const clock: FakeClock = {
    now: () => now,
    random: () => clock.randomValue,
    randomValue: 0.5,
    sleeps,
    sleep(ms: number, signal?: AbortSignalLike) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new Error('aborted'));
        const timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
      });
    },
    async advance(ms: number) {
      const target = now + ms;
      await turn();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        now = next.at;
        next.fire();
        await turn();
      }
      now = target;
      await turn();
    },
    settle: turn,
    get pending() {
      return timers.length;
    },
  };
  return clock;
}
