import type { PipelineResult } from './runPipeline';
import { offsetMapper } from './spanIndex';
import type { BlockKind, Edit, Range } from './types';

/** Whether an edit made it into the output, was rejected by the user, or was stopped by a guard. */
export type EditStatus = 'applied' | 'rejected' | 'blocked';

/** An edit of some stage, placed on the pipeline's input and output texts. */
export interface LocatedEdit {
  edit: Edit;
  /** Index into `result.stages`. */
  stage: number;
  status: EditStatus;
  /** For blocked edits: what the guard protected and why. */
  blockedBy?: { kind: BlockKind; reason: string };
  /** Where the edit's `before` sits in the pipeline's input (approximate when an earlier stage rewrote it). */
  original: Range;
  /** Where its result sits in the pipeline's output (for edits not applied: where `before` still is). */
  output: Range;
}

type Mapper = ReturnType<typeof offsetMapper>;

/** Maps positions of a stage's output back to its input: the stage's applied edits, inverted. */
function inverseMapper(edits: readonly Edit[]): Mapper {
  let delta = 0;
  const inverted = edits.map((e) => {
    const start = e.start + delta;
    delta += e.after.length - (e.end - e.start);
    return { start, end: start + e.after.length, after: e.before };
  });
  return offsetMapper(inverted);
}

const through = (r: Range, mappers: readonly Mapper[]): Range => {
  let { start, end } = r;
  for (const m of mappers) {
    start = m.start(start);
    end = Math.max(start, m.end(end));
  }
  return { start, end };
};

/**
 * Every edit of a pipeline run (applied, rejected and blocked) with its range on the input text and on the
 * output text, so a diff view can show each edit on both sides. A stage's edits are in that stage's input
 * coordinates; they are carried back through the inverses of the earlier stages and forward through the
 * later ones. Sorted by position in the input, then stage.
 */
export function locateEdits(result: Pick<PipelineResult, 'stages'>): LocatedEdit[] {
  const forward = result.stages.map((s) => offsetMapper(s.edits));
  const backward = result.stages.map((s) => inverseMapper(s.edits));
  const out: LocatedEdit[] = [];
  result.stages.forEach((stage, i) => {
    const toInput = backward.slice(0, i).reverse();
    const later = forward.slice(i + 1);
    const place = (e: Edit, own: Range, status: EditStatus, blockedBy?: LocatedEdit['blockedBy']) => {
      out.push({
        edit: e,
        stage: i,
        status,
        blockedBy,
        original: through(e, toInput),
        output: through(own, later),
      });
    };
    // an applied edit's result spans `after` in this stage's output; the others still span `before`
    let delta = 0;
    for (const e of stage.edits) {
      place(e, { start: e.start + delta, end: e.start + delta + e.after.length }, 'applied');
      delta += e.after.length - (e.end - e.start);
    }
    const still = (e: Edit) => ({ start: forward[i]!.start(e.start), end: forward[i]!.end(e.end) });
    for (const e of stage.rejected) place(e, still(e), 'rejected');
    for (const b of stage.blocked)
      place(b.edit, still(b.edit), 'blocked', { kind: b.spanKind, reason: b.reason });
  });
  return out.sort((a, b) => a.original.start - b.original.start || a.stage - b.stage);
}
