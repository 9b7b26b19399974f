import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors';
import { createLimiter, type Permit } from '../../src/core/providers/limits';
import { createFakeClock } from '../support/fakeClock';

const cancelled = () => new AppError('PROVIDER_CANCELLED', 'cancelled');

/** Acquires and records when (on the fake clock) each permit was granted. */
function track(limiter: ReturnType<typeof createLimiter>, clock: { now(): number }) {
  const granted: Array<{ id: number; at: number; permit: Permit }> = [];
  const take = (id: number, tokens = 0, signal?: AbortSignal) =>
    limiter.acquire(tokens, signal, cancelled).then((permit) => {
      granted.push({ id, at: clock.now(), permit });
      return permit;
    });
  return { granted, take };
}

describe('the provider limiter, on a fake clock', () => {
  it('holds concurrency at the limit and lets the next one in, in order, when a call ends', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ concurrency: 2 }, { clock });
    const { granted, take } = track(limiter, clock);
    for (const id of [1, 2, 3, 4]) void take(id);
    await clock.settle();
    expect(granted.map((g) => g.id)).toEqual([1, 2]);
    expect(limiter).toMatchObject({ active: 2, queued: 2 });
    granted[1]!.permit.release();
    await clock.settle();
    expect(granted.map((g) => g.id)).toEqual([1, 2, 3]);
    granted[1]!.permit.release(); // a second release of the same permit changes nothing
    await clock.settle();
    expect(limiter).toMatchObject({ active: 2, queued: 1 });
    expect(clock.pending).toBe(0); // waiting on a release needs no timer
  });

  it('starts no more than rpm requests in any window, and the next exactly when the oldest leaves it', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ rpm: 3 }, { clock });
    const { granted, take } = track(limiter, clock);
    for (const id of [1, 2, 3, 4, 5]) void take(id).then((p) => p.release());
    await clock.settle();
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0]);
    await clock.advance(59_999);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('spaces requests that arrive over time by the sliding window, not by fixed minutes', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ rpm: 2 }, { clock, windowMs: 1_000 });
    const { granted, take } = track(limiter, clock);
    void take(1).then((p) => p.release());
    await clock.advance(400);
    void take(2).then((p) => p.release());
    void take(3).then((p) => p.release());
    void take(4).then((p) => p.release());
    await clock.advance(5_000);
    // 1 at 0, 2 at 400; 3 when 1 leaves (1000); 4 when 2 leaves (1400)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 400],
      [3, 1_000],
      [4, 1_400],
    ]);
  });

  it('reserves tokens per minute, and a call that used fewer than reserved frees the rest at once', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ tpm: 1_000 }, { clock });
    const { granted, take } = track(limiter, clock);
    const first = await take(1, 600);
    void take(2, 600);
    await clock.settle();
    expect(granted).toHaveLength(1); // 600 + 600 > 1000
    first.release(300); // the provider reported 300 tokens used
    await clock.settle();
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('runs a call bigger than the whole tpm budget once the window is empty, instead of never', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ tpm: 100 }, { clock });
    const { granted, take } = track(limiter, clock);
    (await take(1, 80)).release();
    void take(2, 5_000);
    await clock.advance(59_999);
    expect(granted).toHaveLength(1);
    await clock.advance(1);
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 60_000],
    ]);
  });

  it('is first come first served: small calls do not overtake a large one waiting for tokens', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ tpm: 1_000 }, { clock });
    const { granted, take } = track(limiter, clock);
    (await take(1, 900)).release();
    void take(2, 500);
    void take(3, 10);
    await clock.settle();
    expect(granted.map((g) => g.id)).toEqual([1]);
    await clock.advance(60_000);
    expect(granted.map((g) => g.id)).toEqual([1, 2, 3]);
  });

  it('drops a cancelled call from the queue with the cancellation error, and lets the next one go', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ rpm: 1 }, { clock });
    const { granted, take } = track(limiter, clock);
    (await take(1)).release();
    const controller = new AbortController();
    const second = take(2, 0, controller.signal);
    void take(3);
    await clock.settle();
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'PROVIDER_CANCELLED' });
    expect(limiter.queued).toBe(1);
    await clock.advance(60_000);
    expect(granted.map((g) => g.id)).toEqual([1, 3]);
    expect(clock.pending).toBe(0);
  });

  it('cancels its timer when nobody waits any more, so no real timer outlives the calls', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({ rpm: 1 }, { clock });
    (await limiter.acquire(0, undefined, cancelled)).release();
    const controller = new AbortController();
    const waiting = limiter.acquire(0, controller.signal, cancelled);
    await clock.settle();
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toThrow('cancelled');
    expect(clock.pending).toBe(0);
    await expect(limiter.acquire(0, controller.signal, cancelled)).rejects.toThrow('cancelled');
  });

  it('with no limits lets everything through at once', async () => {
    const clock = createFakeClock();
    const limiter = createLimiter({}, { clock });
    const permits = await Promise.all(
      Array.from({ length: 50 }, () => limiter.acquire(1e6, undefined, cancelled)),
    );
    expect(limiter.active).toBe(50);
    permits.forEach((p) => p.release());
    expect(limiter.active).toBe(0);
  });
});
