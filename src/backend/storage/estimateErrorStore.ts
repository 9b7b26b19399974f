import path from 'node:path';
import { z } from 'zod';
import {
  EMPTY_ERROR_STATS,
  EstimateErrorStatsSchema,
  recordSample,
  summarize,
  type EstimateErrorStats,
  type EstimateErrorSummary,
} from '../../core/tokens/estimateError';
import { jsonFile, type JsonFile } from './jsonFile';

export const ESTIMATE_ERROR_FILE = 'estimate-error.json';

const FileSchema = z.object({ version: z.literal(1), families: EstimateErrorStatsSchema });
type ErrorFile = z.infer<typeof FileSchema>;

/**
 * The measured error of offline estimates against exact counts, per tokenizer family, kept in
 * `<dataDir>/estimate-error.json`. One store per backend, shared by every provider counter, so Claude,
 * Gemini and any later family accumulate into the same file without two writers racing.
 */
export class EstimateErrorStore {
  private readonly file: JsonFile<ErrorFile>;
  private stats: EstimateErrorStats | null = null;

  constructor(dataDir: string) {
    this.file = jsonFile(path.join(dataDir, ESTIMATE_ERROR_FILE), FileSchema, () => ({
      version: 1,
      families: {},
    }));
  }

  get path(): string {
    return this.file.path;
  }

  private async current(): Promise<EstimateErrorStats> {
    this.stats ??= (await this.file.load()).families;
    return this.stats;
  }

  /** Records one (estimate, exact) pair and saves; a failed save keeps the sample in memory. */
  async record(family: string, estimate: number, exact: number): Promise<void> {
    this.stats = recordSample(await this.current(), family, estimate, exact);
    await this.file
      .save(() => ({ version: 1, families: { ...(this.stats ?? EMPTY_ERROR_STATS) } }))
      .catch(() => undefined);
  }

  async summary(family: string): Promise<EstimateErrorSummary | null> {
    return summarize(await this.current(), family);
  }

  async all(): Promise<EstimateErrorStats> {
    return this.current();
  }
}
