import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import type { CellResult } from '../../core/bench';
import type { CachedAnswer, SentRequest } from '../services/benchRunner';
import type { BatchHandle } from '../../core/providers/batch';

/** A submitted batch and its cells (custom id → cell id). */
export interface StoredBatch {
  handle: BatchHandle;
  cells: Array<[customId: string, cellId: string]>;
}
import { AppError } from '../../shared/errors';
import type {
  BenchConfigSummary,
  BenchEstimateSummary,
  BenchRunStatus,
  BenchStartRequest,
} from '../../shared/bench';

/** What the store keeps of a cell's request and of an answer: the runner's own shapes. */
export type StoredRequest = SentRequest;
export type StoredAnswer = CachedAnswer;

export interface StoredRun {
  runId: string;
  createdAt: string;
  /** What started it (bench.start's input: the config's absolute path and the overrides). */
  request: BenchStartRequest;
  summary: BenchConfigSummary;
  status: BenchRunStatus;
  total: number;
  spentUsd: number;
  batch: boolean;
  /** Batch mode: the submitted batches as last seen, with their cells, so polling survives a restart. */
  batches: StoredBatch[];
  error?: { code: string; message: string };
  /** Set while a process works on the run; a `running` run whose owner is gone was interrupted. */
  owner: string | null;
  /** The worst-case estimate it started with. */
  estimate: BenchEstimateSummary;
  /** The golden cases' variables and reference answers, by case id, for the drill-down. */
  cases: Record<string, { vars: Record<string, unknown>; expected?: string }>;
}

export interface StoredCell {
  result: CellResult;
  /** The request key (sha-256 of provider, model, prompt and parameters). */
  key: string;
  request: StoredRequest | null;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  file TEXT NOT NULL,
  request_json TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  status TEXT NOT NULL,
  total INTEGER NOT NULL,
  spent_usd REAL NOT NULL DEFAULT 0,
  batch INTEGER NOT NULL DEFAULT 0,
  batches_json TEXT NOT NULL DEFAULT '[]',
  error_json TEXT,
  owner TEXT,
  estimate_json TEXT NOT NULL DEFAULT '{}',
  cases_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS cells (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  cell_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  pass INTEGER,
  cost_usd REAL NOT NULL DEFAULT 0,
  key TEXT NOT NULL,
  result_json TEXT NOT NULL,
  request_json TEXT,
  PRIMARY KEY (run_id, cell_id)
);
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  answer_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

interface RunRow {
  id: string;
  created_at: string;
  request_json: string;
  summary_json: string;
  status: string;
  total: number;
  spent_usd: number;
  batch: number;
  batches_json: string;
  error_json: string | null;
  owner: string | null;
  estimate_json: string;
  cases_json: string;
}

const toRun = (r: RunRow): StoredRun => ({
  runId: r.id,
  createdAt: r.created_at,
  request: JSON.parse(r.request_json) as BenchStartRequest,
  summary: JSON.parse(r.summary_json) as BenchConfigSummary,
  status: r.status as BenchRunStatus,
  total: r.total,
  spentUsd: r.spent_usd,
  batch: r.batch === 1,
  batches: JSON.parse(r.batches_json) as StoredBatch[],
  ...(r.error_json ? { error: JSON.parse(r.error_json) as { code: string; message: string } } : {}),
  owner: r.owner,
  estimate: JSON.parse(r.estimate_json) as BenchEstimateSummary,
  cases: JSON.parse(r.cases_json) as StoredRun['cases'],
});

/**
 * Benchmark runs, their cells and the response cache in one embedded SQL database (libsql, WAL mode) in the
 * app data folder. Every finished cell is written when it finishes, in its own statement, so a process killed
 * mid-run (kill -9) loses only the cells in flight; `bench.resume` continues from what is stored.
 */
export class RunStore {
  private readonly db: Database.Database;
  /** This process's mark on the runs it works on (see `interrupted`). */
  readonly owner = `${process.pid}:${Date.now().toString(36)}`;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file);
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec('PRAGMA foreign_keys = ON');
      this.db.exec('PRAGMA busy_timeout = 5000');
      const version = (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > SCHEMA_VERSION)
        throw new AppError(
          'UNSUPPORTED',
          `The runs database ${file} was written by a newer PromptPress (schema ${version}); this one reads schema ${SCHEMA_VERSION}.`,
          { file, version },
        );
      this.db.exec(SCHEMA);
      this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError(
        'STORAGE_ERROR',
        `Cannot open the runs database ${file}: ${err instanceof Error ? err.message : String(err)}`,
        { file },
      );
    }
  }

  createRun(run: Omit<StoredRun, 'owner'>): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, created_at, file, request_json, summary_json, status, total, spent_usd, batch,
           batches_json, owner, estimate_json, cases_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.runId,
        run.createdAt,
        run.summary.file,
        JSON.stringify(run.request),
        JSON.stringify(run.summary),
        run.status,
        run.total,
        run.spentUsd,
        run.batch ? 1 : 0,
        JSON.stringify(run.batches),
        this.owner,
        JSON.stringify(run.estimate),
        JSON.stringify(run.cases),
      );
  }

  /** Updates the given fields of a run. */
  updateRun(
    runId: string,
    patch: Partial<
      Pick<StoredRun, 'status' | 'spentUsd' | 'batches' | 'error' | 'total' | 'summary' | 'estimate'>
    > & {
      owner?: string | null;
    },
  ): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    const put = (col: string, v: unknown) => {
      sets.push(`${col} = ?`);
      values.push(v);
    };
    if (patch.status !== undefined) put('status', patch.status);
    if (patch.spentUsd !== undefined) put('spent_usd', patch.spentUsd);
    if (patch.batches !== undefined) put('batches_json', JSON.stringify(patch.batches));
    if (patch.error !== undefined) put('error_json', JSON.stringify(patch.error));
    if (patch.total !== undefined) put('total', patch.total);
    if (patch.summary !== undefined) put('summary_json', JSON.stringify(patch.summary));
    if (patch.owner !== undefined) put('owner', patch.owner);
    if (patch.estimate !== undefined) put('estimate_json', JSON.stringify(patch.estimate));
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, runId);
  }

  /** Marks a run as this process's (a resume takes over an interrupted run). */
  claim(runId: string): void {
    this.updateRun(runId, { owner: this.owner, status: 'running' });
  }

  getRun(runId: string): StoredRun {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `There is no stored benchmark run "${runId}".`, { runId });
    return this.withLiveness(toRun(row));
  }

  /** Runs, newest first, with cells done and the pass rate so far. */
  listRuns(limit = 100): Array<StoredRun & { done: number; passed: number; scored: number }> {
    const rows = this.db
      .prepare(
        `SELECT runs.*,
           (SELECT COUNT(*) FROM cells WHERE cells.run_id = runs.id AND cells.status != 'skipped') AS done,
           (SELECT COUNT(*) FROM cells WHERE cells.run_id = runs.id AND cells.pass = 1) AS passed,
           (SELECT COUNT(*) FROM cells WHERE cells.run_id = runs.id AND cells.pass IS NOT NULL) AS scored
         FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(limit) as Array<RunRow & { done: number; passed: number; scored: number }>;
    return rows.map((r) => ({
      ...this.withLiveness(toRun(r)),
      done: r.done,
      passed: r.passed,
      scored: r.scored,
    }));
  }

  /**
   * A run marked `running` by a process that is not this one and no longer exists was interrupted (killed,
   * crashed, closed mid-run): it reads as `interrupted` and can be resumed.
   */
  private withLiveness(run: StoredRun): StoredRun {
    if (run.status !== 'running' || run.owner === this.owner || run.owner === null) return run;
    const pid = Number(run.owner.split(':')[0]);
    return processAlive(pid) ? run : { ...run, status: 'interrupted' };
  }

  private insertCell: Database.Statement | null = null;

  /** Stores a finished (or skipped) cell; replaces an earlier row of the same cell (a resumed cell). */
  saveCell(runId: string, seq: number, cell: StoredCell): void {
    const r = cell.result;
    this.insertCell ??= this.db.prepare(
      `INSERT OR REPLACE INTO cells (run_id, cell_id, seq, status, pass, cost_usd, key, result_json, request_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertCell.run(
      runId,
      r.cellId,
      seq,
      r.status,
      r.score ? (r.score.pass ? 1 : 0) : null,
      r.costUsd,
      cell.key,
      JSON.stringify(r),
      cell.request ? JSON.stringify(cell.request) : null,
    );
  }

  /** The stored cells of a run in matrix order. */
  cells(runId: string): StoredCell[] {
    const rows = this.db
      .prepare('SELECT key, result_json, request_json FROM cells WHERE run_id = ? ORDER BY seq')
      .all(runId) as Array<{ key: string; result_json: string; request_json: string | null }>;
    return rows.map((r) => ({
      key: r.key,
      result: JSON.parse(r.result_json) as CellResult,
      request: r.request_json ? (JSON.parse(r.request_json) as StoredRequest) : null,
    }));
  }

  cell(runId: string, cellId: string): StoredCell | undefined {
    const r = this.db
      .prepare('SELECT key, result_json, request_json FROM cells WHERE run_id = ? AND cell_id = ?')
      .get(runId, cellId) as { key: string; result_json: string; request_json: string | null } | undefined;
    return r
      ? {
          key: r.key,
          result: JSON.parse(r.result_json) as CellResult,
          request: r.request_json ? (JSON.parse(r.request_json) as StoredRequest) : null,
        }
      : undefined;
  }

  /** The response cache, shared by every run: keyed by the full request. */
  responses() {
    const get = this.db.prepare('SELECT answer_json FROM responses WHERE key = ?');
    const put = this.db.prepare(
      'INSERT OR REPLACE INTO responses (key, answer_json, created_at) VALUES (?, ?, ?)',
    );
    const count = this.db.prepare('SELECT COUNT(*) AS n FROM responses');
    return {
      get: (key: string): StoredAnswer | undefined => {
        const row = get.get(key) as { answer_json: string } | undefined;
        return row ? (JSON.parse(row.answer_json) as StoredAnswer) : undefined;
      },
      set: (key: string, answer: StoredAnswer): void => {
        put.run(key, JSON.stringify(answer), new Date().toISOString());
      },
      get size(): number {
        return (count.get() as { n: number }).n;
      },
    };
  }

  close(): void {
    this.db.close();
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
