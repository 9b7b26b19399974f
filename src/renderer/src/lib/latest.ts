export interface LatestOptions<Req, Res> {
  /** Sends one request to the backend. */
  send(request: Req): Promise<Res>;
  /** The answer to the most recent request (older answers never get here). */
  onResult(result: Res, request: Req): void;
  onError(err: unknown, request: Req): void;
}

export interface Latest<Req> {
  /** Sends `request` after `delayMs` of quiet; a newer call replaces it and makes older answers stale. */
  schedule(request: Req, delayMs: number): void;
  /** Forgets the scheduled request and any answer still in flight. */
  cancel(): void;
}

/**
 * The request pattern of live panels: debounce the burst, send the latest, drop answers that arrive after a
 * newer request was made (a slow answer for an old text must never overwrite the answer for the new one).
 */
export function createLatest<Req, Res>(options: LatestOptions<Req, Res>): Latest<Req> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    schedule(request, delayMs) {
      stopTimer();
      const seq = ++sequence;
      timer = setTimeout(() => {
        timer = undefined;
        options.send(request).then(
          (result) => {
            if (seq === sequence) options.onResult(result, request);
          },
          (err: unknown) => {
            if (seq === sequence) options.onError(err, request);
          },
        );
      }, delayMs);
    },
    cancel() {
      stopTimer();
      sequence++;
    },
  };
}

/** The longest quiet time typingDelay() asks for. */
export const UPLOAD_DELAY_MAX_MS = 1000;

/**
 * The quiet time after a keystroke before a request that uploads `chars` characters of the editor's text
 * goes out: `baseMs` plus 1 ms per 1,000 characters, at most UPLOAD_DELAY_MAX_MS. Sending holds the window's
 * main thread for a time that grows with the text (JSON.stringify and fetch of a 900k-character prompt take
 * about 50–150 ms in Chromium, see bench/latency.bench.ts) and a keystroke that arrives meanwhile waits for
 * it, so a long text is sent only after a longer pause in typing.
 */
export function typingDelay(baseMs: number, chars: number): number {
  return Math.min(Math.max(baseMs, UPLOAD_DELAY_MAX_MS), baseMs + Math.floor(chars / 1000));
}
