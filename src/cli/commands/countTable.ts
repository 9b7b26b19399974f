import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { WorkloadSchema, type CostRow, type RouteOutput, type Workload } from '../../shared/contract';
import { readInputFile } from '../files';
import { EXIT, fail, printJson, type CliIo } from '../io';
import { int, percent, table, tokens, usd } from '../format';
import { describeWorkload } from '../projection';

export interface CountTableOptions {
  file: string;
  models: string[];
  /** From --projection; undefined means the default workload and no projection unless --compressed. */
  workload: Workload | undefined;
  compressed: string | undefined;
  json: boolean;
}

type ProjectionRow = RouteOutput<'cost.project'>['rows'][number];
type Projection = ProjectionRow['original'];

function costTable(rows: CostRow[]): string {
  return table(
    ['model', 'tokens', 'method', '$/request', '$/1k requests', '$/month'],
    rows.map((r) => [
      r.model,
      tokens(r.tokens, r.method),
      r.method,
      usd(r.perRequestUsd),
      usd(r.per1kUsd),
      usd(r.perMonthUsd),
    ]),
    ['l', 'r', 'l', 'r', 'r', 'r'],
  );
}

const BREAKDOWN = ['input', 'output', 'cache', 'embeddings', 'other'] as const;

function saving(original: number | null, compressed: number | null): string {
  if (original === null || compressed === null) return 'no price';
  const diff = original - compressed;
  return original > 0 && diff !== 0 ? `${usd(diff)} (${percent(diff / original)})` : usd(diff);
}

/** One block per model: the projected total and its five-way breakdown, compressed side by side if given. */
function projectionBlock(row: ProjectionRow, original: CostRow, compressed: CostRow | undefined): string {
  const side = row.compressed !== null;
  if (row.original.totalUsd === null || (row.compressed && row.compressed.totalUsd === null)) {
    const unpriced = [...new Set([...row.original.unpriced, ...(row.compressed?.unpriced ?? [])])];
    return `${row.model}: no price for ${unpriced.join(', ')}; left out of the projection.\n`;
  }
  const money = (pick: (p: Projection) => number | null) => [
    usd(pick(row.original)),
    ...(row.compressed ? [usd(pick(row.compressed)), saving(pick(row.original), pick(row.compressed))] : []),
  ];
  const lines: string[][] = [
    [
      'tokens/request',
      tokens(original.tokens, original.method),
      ...(compressed
        ? [
            tokens(compressed.tokens, compressed.method),
            tokens(original.tokens - compressed.tokens, compressed.method),
          ]
        : []),
    ],
    ['total', ...money((p) => p.totalUsd)],
    ...BREAKDOWN.map((k) => [k, ...money((p) => p.breakdown?.[k] ?? null)]),
  ];
  const header = [row.model, side ? 'original' : 'total', ...(side ? ['compressed', 'saving'] : [])];
  return table(
    header,
    lines.map(([label, ...cells]) => [`  ${label}`, ...cells]),
    ['l', 'r', 'r', 'r'],
  );
}

/**
 * `count FILE --models …`: the cost table from cost.estimate and, with --projection or --compressed, the
 * projection from cost.project. All numbers come from the backend; this only lays them out.
 */
export async function countModelsTable(backend: Backend, io: CliIo, o: CountTableOptions): Promise<number> {
  const original = await readInputFile(io, o.file);
  if (!original.ok) return fail(io, original.error, o.json);
  const compressedFile = o.compressed === undefined ? undefined : await readInputFile(io, o.compressed);
  if (compressedFile && !compressedFile.ok) return fail(io, compressedFile.error, o.json);

  const workload = o.workload ?? WorkloadSchema.parse({});
  const estimate = await call(backend, 'cost.estimate', {
    text: original.file.text,
    models: o.models,
    workload,
  });
  if (!estimate.ok) return fail(io, estimate.error, o.json);
  const { rows, warnings } = estimate.data;

  const projecting = o.workload !== undefined || compressedFile !== undefined;
  let projection: RouteOutput<'cost.project'> | undefined;
  let compressedRows: CostRow[] | undefined;
  if (projecting) {
    const projected = await call(backend, 'cost.project', {
      models: o.models,
      original: { text: original.file.text },
      ...(compressedFile ? { compressed: { text: compressedFile.file.text } } : {}),
      workload,
    });
    if (!projected.ok) return fail(io, projected.error, o.json);
    projection = projected.data;
    if (compressedFile) {
      const c = await call(backend, 'cost.estimate', {
        text: compressedFile.file.text,
        models: o.models,
        workload,
      });
      if (!c.ok) return fail(io, c.error, o.json);
      compressedRows = c.data.rows;
    }
  }

  if (o.json) {
    printJson(io, {
      file: o.file,
      rows,
      warnings,
      ...(projection
        ? {
            projection: {
              workload,
              compressed: compressedFile ? { file: o.compressed, rows: compressedRows } : null,
              rows: projection.rows,
            },
          }
        : {}),
    });
    return EXIT.ok;
  }

  let out = `${o.file}: ${int(original.file.text.length)} characters\n\n${costTable(rows)}`;
  out += `\n$/month: ${describeWorkload(workload, 30)}.\n`;
  if (projection) {
    out += `\nProjection: ${describeWorkload(workload)} = ${int(projection.rows[0]!.original.requests)} requests.\n`;
    if (o.compressed !== undefined) out += `original: ${o.file}\ncompressed: ${o.compressed}\n`;
    projection.rows.forEach((row, i) => {
      out += `\n${projectionBlock(row, rows[i]!, compressedRows?.[i])}`;
    });
  }
  if (warnings.length) out += `\nWarnings:\n${warnings.map((w) => `  ! ${w}\n`).join('')}`;
  io.stdout(out);
  return EXIT.ok;
}
