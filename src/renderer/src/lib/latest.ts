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
