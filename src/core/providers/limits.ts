import { createAbortLatch, type AbortSignalLike, type Clock } from './ports';

/**
 * Per-provider call limits, the same fields as the provider settings (`src/shared/providers.ts`); an absent
 * field means no limit of that kind. Providers enforce their own limits with 429s; these keep PromptPress
 * under them so a benchmark does not spend its time being refused and retried.
 */
export interface ProviderLimits {
  /** Most calls in flight at once. */
  concurrency?: number;
  /** Requests started per minute (retries count: the provider counts them too). */
  rpm?: number;
  /** Tokens (input plus output) per minute. */
  tpm?: number;
}

/** Lets one attempt through; `release` ends it, with the tokens it really used when known. */
export interface Permit {
  /** `actualTokens` replaces the reservation in the tokens-per-minute window (0 for a refused call). */
  release(actualTokens?: number): void;
}

export interface Limiter {
  /**
   * Waits, first come first served, until a call of `tokens` tokens fits every limit, then holds a
   * concurrency slot until the permit is released. Rejects with `onAbort()` when `signal` aborts while
   * waiting (the call leaves the queue; nothing was sent).
   */
  acquire(tokens: number, signal: AbortSignalLike | undefined, onAbort: () => Error): Promise<Permit>;
  /** Calls holding a permit. */
  readonly active: number;
  /** Calls waiting for one. */
  readonly queued: number;
}

export interface LimiterOptions {
  clock: Clock;
  /** Length of the rpm/tpm window (default 60,000 ms; tests shrink it). */
  windowMs?: number;
}

interface Waiter {
  tokens: number;
  grant(permit: Permit): void;
  detach(): void;
}

/** Rough tokens of a text when the caller gave no count: about 4 characters per token in English. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * A limiter over a sliding window: a start counts against rpm/tpm until `windowMs` after it. The queue is
 * strictly FIFO, so a large call is not starved by small ones behind it. A call larger than `tpm` on its
 * own still runs, once the window is empty, rather than waiting forever.
 */
export function createLimiter(limits: ProviderLimits, options: LimiterOptions): Limiter {
  const { clock } = options;
  const windowMs = options.windowMs ?? 60_000;
  const starts: Array<{ at: number; tokens: number }> = [];
  const queue: Waiter[] = [];
  let active = 0;
  let timer: { at: number; cancel(): void } | undefined;

  /** Milliseconds until `tokens` may start; Infinity when only a release can make room. */
  const waitMs = (tokens: number, now: number): number => {
    if (limits.concurrency !== undefined && active >= limits.concurrency) return Infinity;
    let wait = 0;
    if (limits.rpm !== undefined && starts.length >= limits.rpm) {
      wait = Math.max(wait, starts[starts.length - limits.rpm]!.at + windowMs - now);
    }
    if (limits.tpm !== undefined && starts.length > 0) {
      let used = starts.reduce((n, s) => n + s.tokens, 0);
      let i = 0;
      while (i < starts.length && used + tokens > limits.tpm) used -= starts[i++]!.tokens;
      if (i > 0) wait = Math.max(wait, starts[i - 1]!.at + windowMs - now);
    }
    return wait;
  };

  const wake = (at: number) => {
    if (timer && timer.at <= at) return;
    timer?.cancel();
    const latch = createAbortLatch();
    const mine = { at, cancel: latch.abort };
    timer = mine;
    clock.sleep(Math.max(0, at - clock.now()), latch.signal).then(
      () => {
        if (timer === mine) timer = undefined;
        pump();
      },
      () => undefined, // cancelled: a sooner wake-up, or nobody waiting any more
    );
  };

  const grant = (w: Waiter, now: number) => {
    active++;
    const entry = { at: now, tokens: w.tokens };
    starts.push(entry);
    w.detach();
    let released = false;
    w.grant({
      release(actualTokens) {
        if (released) return;
        released = true;
        active--;
        if (actualTokens !== undefined && Number.isFinite(actualTokens)) entry.tokens = actualTokens;
        pump();
      },
    });
  };

  const pump = () => {
    const now = clock.now();
    while (starts.length > 0 && starts[0]!.at + windowMs <= now) starts.shift();
    while (queue.length > 0) {
      const wait = waitMs(queue[0]!.tokens, now);
      if (wait === Infinity) break;
      if (wait > 0) return wake(now + wait);
      grant(queue.shift()!, now);
    }
    // nothing waits on time any more: a pending wake-up would only hold a real timer open
    if (timer) {
      timer.cancel();
      timer = undefined;
    }
  };

  return {
    acquire(tokens, signal, onAbort) {
      if (signal?.aborted) return Promise.reject(onAbort());
      return new Promise<Permit>((resolve, reject) => {
        const abort = () => {
          const i = queue.indexOf(waiter);
          if (i < 0) return;
          queue.splice(i, 1);
          reject(onAbort());
          pump();
        };
        const waiter: Waiter = {
          tokens: Math.max(0, Number.isFinite(tokens) ? tokens : 0),
          grant: resolve,
          detach: () => signal?.removeEventListener('abort', abort),
        };
        signal?.addEventListener('abort', abort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
  };
}
