import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../support/random';
import { compare, randomPolicy, type Planned } from './compare';
import { readCases, requestPoints, spread, TAU_FILE, tauText } from './harness';

describe('generated TypeScript and Python summarise as the engine does (tau-bench)', () => {
  it(
    '12 random policies with a summarise step, a deterministic fake summariser on all sides, the state rolled over 5 requests of half of the 200 trajectories each',
    { timeout: 240_000 },
    async () => {
      const convs = readCases(tauText(), path.basename(TAU_FILE));
      const plans: Planned[] = [];
      for (let k = 0; k < 12; k++) {
        const { policy, contextWindow } = randomPolicy(rng(9000 + k), true);
        plans.push({
          policy,
          opts: {
            counter: k % 2 ? 'estimate' : 'bytes3',
            toolTokens: k % 4 === 0 ? 300 : 0,
            ...(contextWindow ? { contextWindow } : {}),
          },
          summarise: true,
          cuts: convs.map((c, i) => ((i + (k >> 1)) % 2 ? spread(requestPoints(c.messages), 5) : [])),
        });
      }
      const { requests, summaries } = await compare(plans);
      expect(requests).toBeGreaterThan(12 * 100 * 4);
      // most policies summarised somewhere, and the summaries were rolled into later requests
      expect(summaries).toBeGreaterThan(requests / 10);
    },
  );
});
