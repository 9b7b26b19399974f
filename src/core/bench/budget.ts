/**
 * Keeps a run under its cap while requests are in flight: each cell reserves its worst-case cost before it is
 * sent, and settles with what it really cost when it ends. A reservation that would take spend plus open
 * reservations above the cap is refused, so the run stops before exceeding it rather than after.
 */
export interface BudgetGuard {
  readonly capUsd: number;
  /** Settled spend. */
  readonly spentUsd: number;
  /** Open reservations. */
  readonly reservedUsd: number;
  /** Open reservations, by count. */
  readonly open: number;
  /** Reserves `usd` for `id`; false (and nothing reserved) when it would not fit under the cap. */
  reserve(id: string, usd: number): boolean;
  /** Ends `id`'s reservation and books what it actually cost (a failed call books 0). */
  settle(id: string, actualUsd: number): void;
  /** Books spend that had no reservation (a judge call, for instance). */
  charge(usd: number): void;
}

/** A guard for a cap in USD, starting from `spentUsd` already spent (a resumed run). */
export function createBudgetGuard(capUsd: number, spentUsd = 0): BudgetGuard {
  const reservations = new Map<string, number>();
  let spent = spentUsd;
  let reserved = 0;
  // a hair of slack so a sum of float prices equal to the cap is not refused by rounding
  const fits = (usd: number) => spent + reserved + usd <= capUsd * (1 + 1e-12);
  return {
    capUsd,
    get spentUsd() {
      return spent;
    },
    get reservedUsd() {
      return reserved;
    },
    get open() {
      return reservations.size;
    },
    reserve(id, usd) {
      if (reservations.has(id)) throw new Error(`cell ${id} is already reserved`);
      if (!fits(usd)) return false;
      reservations.set(id, usd);
      reserved += usd;
      return true;
    },
    settle(id, actualUsd) {
      const r = reservations.get(id);
      if (r === undefined) throw new Error(`cell ${id} has no reservation`);
      reservations.delete(id);
      reserved = reservations.size === 0 ? 0 : reserved - r;
      spent += actualUsd;
    },
    charge(usd) {
      spent += usd;
    },
  };
}
