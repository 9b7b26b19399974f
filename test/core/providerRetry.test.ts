import { describe, expect, it } from 'vitest';
import { AppError, isAppError, type ErrorCode } from '../../src/core/errors';
import { cancelledError } from '../../src/core/providers/ports';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  retryDelayMs,
  withRetries,
  type RetryPolicy,
} from '../../src/core/providers/retry';
import { createFakeClock } from '../support/fakeClock';

const err = (code: ErrorCode, details: Record<string, unknown> = {}) => new AppError(code, code, details);

/** Runs withRetries over a script of outcomes (an error, or 'ok'); returns what happened and when. */
function scripted(outcomes: Array<AppError | 'ok'>, policy: Partial<RetryPolicy> = {}, signal?: AbortSignal) {
  const clock = createFakeClock();
  const attemptsAt: number[] = [];
  const classified: number[] = [];
  const run = withRetries(
    async (n) => {
      attemptsAt.push(clock.now());
      const o = outcomes[n - 1] ?? 'ok';
      if (o === 'ok') return `answer ${n}`;
      throw o;
    },
    {
      policy: { ...DEFAULT_RETRY_POLICY, ...policy },
      clock,
      signal,
      onAbort: () => cancelledError('Calling m', 'p'),
      classify: (e, retries) => {
        classified.push(retries);
        return isAppError(e)
          ? new AppError(e.code, `${e.message} after ${retries}`, e.details)
          : err('PROVIDER_ERROR');
      },
    },
  );
  return { clock, run, attemptsAt, classified };
}

describe('which provider errors are retried', () => {
  it.each([
    ['PROVIDER_RATE_LIMIT', {}, true],
    ['PROVIDER_OVERLOADED', {}, true],
    ['PROVIDER_NETWORK', {}, true],
    ['PROVIDER_TIMEOUT', {}, true],
    ['PROVIDER_ERROR', { status: 500 }, true],
    ['PROVIDER_ERROR', { status: 502 }, true],
    ['PROVIDER_ERROR', {}, false], // an unreadable answer: the same request gets the same answer
    ['PROVIDER_AUTH', {}, false],
    ['PROVIDER_PERMISSION', {}, false],
    ['PROVIDER_INVALID_REQUEST', {}, false],
    ['PROVIDER_CONTEXT_TOO_LONG', {}, false],
    ['PROVIDER_CONTENT_FILTERED', {}, false],
    ['PROVIDER_CANCELLED', { shouldRetry: true }, false],
    ['PROVIDER_OVERLOADED', { shouldRetry: false }, false],
    ['PROVIDER_INVALID_REQUEST', { shouldRetry: true }, true],
  ] as const)('%s %j → %s', (code, details, expected) => {
    expect(isRetryable(err(code, details))).toBe(expected);
  });
});

describe('retry delays', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
  it('double each time, with equal jitter between half and all of the step, up to the cap', () => {
    const e = err('PROVIDER_OVERLOADED');
    expect([1, 2, 3, 4, 5, 6].map((r) => retryDelayMs(e, r, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((r) => retryDelayMs(e, r, policy, () => 0.999999))).toEqual(
      [100, 200, 400, 800, 1_000, 1_000].map((x) => expect.closeTo(x, 2)),
    );
  });

  it("are the server's retry-after when it sent one, and none when it asks for longer than the policy waits", () => {
    expect(retryDelayMs(err('PROVIDER_RATE_LIMIT', { retryAfterMs: 7_000 }), 1, policy, () => 0.5)).toBe(
      7_000,
    );
    expect(retryDelayMs(err('PROVIDER_RATE_LIMIT', { retryAfterMs: 0 }), 3, policy, () => 0.5)).toBe(0);
    expect(
      retryDelayMs(err('PROVIDER_RATE_LIMIT', { retryAfterMs: 61_000 }), 1, policy, () => 0.5),
    ).toBeUndefined();
  });
});

describe('withRetries, on a fake clock', () => {
  it('retries a 429 after exactly its retry-after, then returns the answer and the attempts', async () => {
    const s = scripted([err('PROVIDER_RATE_LIMIT', { retryAfterMs: 2_000 }), 'ok']);
    await s.clock.advance(2_000);
    await expect(s.run).resolves.toEqual({ value: 'answer 2', attempts: 2 });
    expect(s.attemptsAt).toEqual([0, 2_000]);
  });

  it('backs off exponentially on 5xx, and throws the last error classified with the retries made', async () => {
    const boom = err('PROVIDER_ERROR', { status: 500 });
    const s = scripted([boom, boom, boom], { baseDelayMs: 100 });
    s.clock.randomValue = 0;
    const result = s.run.catch((e: unknown) => e);
    await s.clock.advance(10_000);
    const e = (await result) as AppError;
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.message).toBe('PROVIDER_ERROR after 2');
    expect(s.attemptsAt).toEqual([0, 50, 150]);
    expect(s.classified).toEqual([0, 1, 2]);
  });

  it('does not retry what another attempt cannot fix', async () => {
    const s = scripted([err('PROVIDER_AUTH'), 'ok']);
    await expect(s.run).rejects.toMatchObject({ code: 'PROVIDER_AUTH', message: 'PROVIDER_AUTH after 0' });
    expect(s.attemptsAt).toEqual([0]);
    expect(s.clock.sleeps).toEqual([]);
  });

  it('gives a long retry-after back to the user at once instead of waiting it out', async () => {
    const s = scripted([err('PROVIDER_RATE_LIMIT', { retryAfterMs: 3_600_000 }), 'ok']);
    await expect(s.run).rejects.toMatchObject({ code: 'PROVIDER_RATE_LIMIT' });
    expect(s.attemptsAt).toEqual([0]);
  });

  it('stops at maxRetries', async () => {
    const s = scripted([err('PROVIDER_NETWORK'), err('PROVIDER_NETWORK'), 'ok'], { maxRetries: 1 });
    const result = s.run.catch((e: unknown) => e);
    await s.clock.advance(60_000);
    expect(await result).toMatchObject({ code: 'PROVIDER_NETWORK' });
    expect(s.attemptsAt).toHaveLength(2);
  });

  it('is cancelled mid-backoff at once, with PROVIDER_CANCELLED, and makes no further attempt', async () => {
    const controller = new AbortController();
    const s = scripted([err('PROVIDER_OVERLOADED'), 'ok'], { baseDelayMs: 30_000 }, controller.signal);
    const result = s.run.catch((e: unknown) => e);
    await s.clock.advance(1_000);
    controller.abort();
    expect(await result).toMatchObject({ code: 'PROVIDER_CANCELLED', details: { cancelled: true } });
    expect(s.clock.now()).toBe(1_000);
    expect(s.attemptsAt).toEqual([0]);
    expect(s.clock.pending).toBe(0);
  });

  it('reports a failure of an attempt made after the signal aborted as the cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    const s = scripted(['ok'], {}, controller.signal);
    await expect(s.run).rejects.toMatchObject({ code: 'PROVIDER_CANCELLED' });
    expect(s.attemptsAt).toEqual([]);
  });
});
