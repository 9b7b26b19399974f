/**
 * Real conversations from ../shared/corpora/conversations (see SOURCES.tsv there): tau-bench's GPT-4o airline
 * trajectories (sierra-research/tau-bench, MIT) and MT-Bench-101's dialogues (mtbench101/mt-bench-101,
 * Apache-2.0). Read in place, not copied: the tau-bench file alone is 4 MB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../../../src/core/errors';

const DIR = path.resolve(import.meta.dirname, '../../../../../shared/corpora/conversations');

export const TAU_FILE = 'tau-bench__historical_trajectories__gpt-4o-airline.json';
export const MTBENCH_FILE = 'mt-bench-101__data__subjective__mtbench101.jsonl';

export const readCorpus = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

/** A fixture of this project (test/fixtures/history). */
export const readFixture = (name: string): string =>
  readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/history', name), 'utf8');

export interface TauTrajectory {
  task_id: number;
  trial: number;
  reward: number;
  info: Record<string, unknown>;
  traj: Record<string, unknown>[];
}

/** The AppError `fn` throws (its code, message and details); fails the test when it throws nothing else. */
export function failure(fn: () => unknown): {
  code: string;
  message: string;
  details: Record<string, unknown> | undefined;
} {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}
