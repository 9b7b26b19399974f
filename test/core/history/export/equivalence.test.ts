import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../support/random';
import { compare, randomPolicy, type Planned } from './compare';
import { readCases, requestPoints, spread, TAU_FILE, tauText } from './harness';

describe('generated TypeScript and Python apply a policy as the engine does (tau-bench)', () => {
  it(
    '24 random policies without summaries, each on half of the 200 trajectories (3 requests of each)',
    { timeout: 240_000 },
    async () => {
      const convs = readCases(tauText(), path.basename(TAU_FILE));
      const plans: Planned[] = [];
      for (let k = 0; k < 24; k++) {
        const { policy } = randomPolicy(rng(7000 + k), false);
        plans.push({
          policy,
          opts: { counter: k % 2 ? 'bytes3' : 'estimate', toolTokens: k % 3 === 0 ? 150 : 0 },
          summarise: false,
          // every trajectory meets 12 policies, half of them with each counter
          cuts: convs.map((c, i) => ((i + (k >> 1)) % 2 ? spread(requestPoints(c.messages), 3) : [])),
        });
      }
      const { requests, changed } = await compare(plans);
      expect(requests).toBeGreaterThan(24 * 100 * 2.5);
      // the policies changed most requests (else agreeing would prove little)
      expect(changed / requests).toBeGreaterThan(0.5);
    },
  );
});
