import { afterEach, describe, expect, it } from 'vitest';
import {
  absolutePath,
  defaultExportPath,
  isBenchConfig,
  isGoldenSet,
  runIsOf,
  workspacePath,
} from '../../src/renderer/src/app/benchActions';
import { resolveRelative } from '../../src/renderer/src/features/bench/ConfigSummary';
import { readComparison } from '../../src/renderer/src/features/bench/CompareDialog';
import {
  cellGrid,
  formatEta,
  latencyPair,
  niceTicks,
  outputSnippet,
  runBlockedReason,
  scatterPoints,
} from '../../src/renderer/src/features/bench/viewModel';
import { wordDiffSides } from '../../src/renderer/src/features/bench/WordDiff';
import {
  assertionSummary,
  fromDraft,
  nextCaseId,
  toDraft,
  varColumns,
} from '../../src/renderer/src/features/golden/goldenModel';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { freeId, useGoldenStore } from '../../src/renderer/src/stores/golden';
import { useWorkspaceStore } from '../../src/renderer/src/stores/workspace';
import { cells, CONFIG, estimateResult, GOLDEN, goldenSet, report, ROOT, runSummary } from './benchFixtures';

afterEach(() => {
  useBenchStore.getState().reset();
  useGoldenStore.getState().reset();
  useWorkspaceStore.getState().reset();
});

const progress = (runId: string, done: number) => ({
  runId,
  done,
  total: 12,
  cached: 1,
  errors: 0,
  spentUsd: done * 0.001,
  etaMs: (12 - done) * 100,
});

describe('bench store', () => {
  it('follows the active run through progress events: never backwards, and not after it ended', () => {
    const s = useBenchStore.getState();
    s.runStarted({ runId: 'r1', configPath: CONFIG, total: 12, batch: false, estimateUsd: 0.01 });
    expect(useBenchStore.getState().selectedRunId).toBe('r1');
    s.applyProgress(progress('r1', 5));
    s.applyProgress(progress('r1', 3)); // overtaken by a later one
    expect(useBenchStore.getState().run).toMatchObject({ done: 5, spentUsd: 0.003, cached: 1, etaMs: 900 });
    s.applyProgress(progress('other', 9));
    expect(useBenchStore.getState().run?.done).toBe(5);
    s.applyFinished({ runId: 'r1', status: 'completed' });
    expect(useBenchStore.getState().run).toMatchObject({ status: 'completed', done: 12, etaMs: null });
    s.applyProgress(progress('r1', 7));
    expect(useBenchStore.getState().run?.done).toBe(12);
  });

  it('updates the runs list from events, and keeps the failure of a failed run', () => {
    const s = useBenchStore.getState();
    s.setRuns([runSummary('r1', { status: 'running', done: 0 }), runSummary('r0')]);
    s.applyProgress(progress('r1', 4));
    expect(useBenchStore.getState().runs[0]).toMatchObject({ done: 4, status: 'running' });
    s.applyFinished({ runId: 'r1', status: 'failed', error: { code: 'PROVIDER_AUTH', message: 'bad key' } });
    expect(useBenchStore.getState().runs[0]).toMatchObject({
      status: 'failed',
      error: { code: 'PROVIDER_AUTH' },
    });
    expect(useBenchStore.getState().runs[1]!.status).toBe('completed');
  });

  it('opening another config forgets the estimate, report and drill-down; the same config keeps them', () => {
    const s = useBenchStore.getState();
    s.setScreen({ kind: 'bench', path: CONFIG });
    s.estimateStarted(CONFIG);
    s.estimateDone(CONFIG, estimateResult());
    s.selectRun('r1');
    s.reportDone('r1', report('r1'));
    s.openCell('x');
    s.setScreen({ kind: 'golden', path: GOLDEN });
    s.setScreen({ kind: 'bench', path: CONFIG });
    expect(useBenchStore.getState().estimate).not.toBeNull();
    expect(useBenchStore.getState().report).not.toBeNull();
    s.setScreen({ kind: 'bench', path: 'other.bench.yaml' });
    expect(useBenchStore.getState()).toMatchObject({ estimate: null, report: null, cellId: null });
  });

  it('drops answers that arrive for a config or a run no longer shown', () => {
    const s = useBenchStore.getState();
    s.setScreen({ kind: 'bench', path: CONFIG });
    s.estimateStarted(CONFIG);
    s.setScreen({ kind: 'bench', path: 'b.bench.yaml' });
    s.estimateStarted('b.bench.yaml');
    s.estimateDone(CONFIG, estimateResult());
    expect(useBenchStore.getState().estimate).toBeNull();
    s.selectRun('r2');
    s.reportDone('r1', report('r1'));
    expect(useBenchStore.getState().report).toBeNull();
    s.openCell('b');
    s.cellDone('a', null);
    expect(useBenchStore.getState().cellId).toBe('b');
  });

  it('ticks at most two runs to compare, the latest two', () => {
    const s = useBenchStore.getState();
    s.toggleCompare('a');
    s.toggleCompare('b');
    s.toggleCompare('c');
    expect(useBenchStore.getState().compareIds).toEqual(['b', 'c']);
    s.toggleCompare('b');
    expect(useBenchStore.getState().compareIds).toEqual(['c']);
  });
});

describe('bench paths', () => {
  it('maps workspace paths to absolute ones and back, and knows configs from golden sets', () => {
    useWorkspaceStore
      .getState()
      .setWorkspace({ root: `${ROOT}/`, name: 'prompts', files: [], truncated: false });
    expect(absolutePath(CONFIG)).toBe(`${ROOT}/${CONFIG}`);
    expect(workspacePath(`${ROOT}/${CONFIG}`)).toBe(CONFIG);
    expect(workspacePath('/elsewhere/x.bench.yaml')).toBe('/elsewhere/x.bench.yaml');
    expect(runIsOf(runSummary('r'), CONFIG)).toBe(true);
    useWorkspaceStore.getState().setWorkspace({ root: 'C:\\ws', name: 'ws', files: [], truncated: false });
    expect(absolutePath(CONFIG)).toBe('C:\\ws\\benchmarks\\intent.bench.yaml');
    expect(workspacePath('C:\\ws\\benchmarks\\intent.bench.yaml')).toBe(CONFIG);

    expect(isBenchConfig('a/b.bench.yml')).toBe(true);
    expect(isBenchConfig('a/b.yaml')).toBe(false);
    expect(isGoldenSet('golden/x.jsonl')).toBe(true);
    expect(isGoldenSet('data/x.csv')).toBe(false);
    expect(isGoldenSet('data/x.csv', ['data/x.csv'])).toBe(true);
    expect(isGoldenSet('golden/x.bench.yaml')).toBe(false);
    expect(resolveRelative(CONFIG, '../golden/intent.csv')).toBe(GOLDEN);
    expect(resolveRelative('b.bench.yaml', './g/x.csv')).toBe('g/x.csv');
  });

  it('names exports after the config and the run, in reports/ beside the config', () => {
    expect(defaultExportPath(CONFIG, 'run-20251120-100000-ab12cd', 'html')).toBe(
      'benchmarks/reports/intent-20251120-100000-ab12cd.html',
    );
    expect(defaultExportPath('top.bench.json', 'r/1', 'md')).toBe('reports/top-r1.md');
  });
});

describe('bench view model', () => {
  it('lays the cells out as cases × variant × model, marking cases with a failure', () => {
    const grid = cellGrid(report('r1'));
    expect(grid.columns.map((c) => `${c.variant}/${c.model}`)).toEqual([
      'original/claude-haiku-4-5',
      'original/gpt-4o-mini',
      'compressed/claude-haiku-4-5',
      'compressed/gpt-4o-mini',
    ]);
    expect(grid.rows.map((r) => r.caseId)).toEqual(['case-1', 'case-2', 'case-3']);
    expect(grid.rows.map((r) => r.failing)).toEqual([false, true, false]);
    expect(grid.repeats).toBe(false);
  });

  it('gives each repeat of a case its own row, in the order the cells come, and columns for groupless cells', () => {
    const base = cells().filter((c) => c.caseId !== 'case-3');
    const again = base.map((c) => ({ ...c, cellId: c.cellId.replace('#1', '#2'), repeat: 2 }));
    // the second repeat of case-1 fails on one cell; a cell of a variant × model with no group still gets a column
    again[0] = { ...again[0]!, score: { ...again[0]!.score!, pass: false } };
    const extra = { ...base[0]!, cellId: 'x', variant: 'terse', model: 'gpt-4o-mini' };
    const grid = cellGrid({ groups: report('r1').groups, cells: [...base, ...again, extra] });
    expect(grid.repeats).toBe(true);
    expect(grid.rows.map((r) => `${r.caseId}#${r.repeat}:${r.failing}`)).toEqual([
      'case-1#1:false',
      'case-2#1:true',
      'case-1#2:true',
      'case-2#2:true',
    ]);
    expect(grid.rows.every((r) => r.cells.size === 4 || (r.caseId === 'case-1' && r.repeat === 1))).toBe(
      true,
    );
    expect(grid.rows[0]!.cells.size).toBe(5);
    expect(grid.columns.map((c) => `${c.variant}/${c.model}`)).toEqual([
      'original/claude-haiku-4-5',
      'original/gpt-4o-mini',
      'compressed/claude-haiku-4-5',
      'compressed/gpt-4o-mini',
      'terse/gpt-4o-mini',
    ]);
    expect(grid.columns[4]!.key).toBe(JSON.stringify(['terse', 'gpt-4o-mini']));
  });

  it('puts each priced group on the scatter and marks the Pareto front and the cheapest passing one', () => {
    const { points, front } = scatterPoints(report('r1'));
    expect(points).toHaveLength(4);
    // compressed × gpt-4o-mini is cheapest (but fails a case); original × gpt-4o-mini passes every case
    expect(front.map((p) => `${p.variant}/${p.model}`)).toEqual([
      'compressed/gpt-4o-mini',
      'original/gpt-4o-mini',
    ]);
    expect(points.find((p) => p.cheapest)).toMatchObject({ variant: 'original', model: 'gpt-4o-mini' });
    const unscored = report(
      'r1',
      cells().filter((c) => c.model === 'gpt-4o-mini'),
    );
    expect(scatterPoints(unscored).points).toHaveLength(2);
  });

  it('says why a run cannot start', () => {
    expect(runBlockedReason(null)).toMatch(/not ready/);
    expect(runBlockedReason(estimateResult())).toBeNull();
    expect(runBlockedReason(estimateResult({ budgetUsd: null }))).toMatch(/no budget cap/);
    expect(runBlockedReason(estimateResult({ budgetUsd: 0.01, usd: 0.5 }))).toBe(
      'The worst case ($0.5000) is above the $0.0100 budget: raise `budget:` in the config, or run fewer variants, models or cases.',
    );
  });

  it('formats what the progress and tables show', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(12_400)).toBe('12 s');
    expect(formatEta(185_000)).toBe('3 min 5 s');
    expect(formatEta(7_500_000)).toBe('2 h 5 min');
    expect(latencyPair(120, 480)).toBe('120 / 480 ms');
    expect(latencyPair(1200, 2400)).toBe('1.20 / 2.40 s');
    expect(latencyPair(null, null)).toBe('—');
    expect(niceTicks(0.00083)).toEqual([0, 0.00025, 0.0005, 0.00075, 0.001]);
    expect(niceTicks(0)).toEqual([0]);
    expect(outputSnippet('  first line\nsecond')).toBe('first line');
    expect(outputSnippet('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('word-diffs two answers into the baseline side and the other side', () => {
    const { left, right } = wordDiffSides('Intent: card_arrival', 'Intent: lost_or_stolen_card');
    expect(left.map((p) => p.text).join('')).toBe('Intent: card_arrival');
    expect(right.map((p) => p.text).join('')).toBe('Intent: lost_or_stolen_card');
    expect(left.filter((p) => p.kind === 'del').map((p) => p.text)).toEqual(['card_arrival']);
    expect(right.filter((p) => p.kind === 'ins').map((p) => p.text)).toEqual(['lost_or_stolen_card']);
    expect(wordDiffSides('same', 'same').right).toEqual([{ text: 'same', kind: 'same' }]);
  });

  it('reads a comparison defensively', () => {
    expect(readComparison({ nothing: true })).toBeNull();
    const read = readComparison({
      rows: [{ variant: 'v', model: 'm', passRateA: 1, passRateB: 'x' }],
      regressions: [{ cellId: 'c', caseId: 'k', reason: 'r' }, 7],
    })!;
    expect(read.rows[0]).toMatchObject({ variant: 'v', passRateA: 1, passRateB: null, costDeltaPct: null });
    expect(read.regressions).toHaveLength(1);
    expect(read.fixes).toEqual([]);
  });
});

describe('golden store and case drafts', () => {
  it('tracks unsaved edits against the file, and forgets them on save', () => {
    const g = useGoldenStore.getState();
    g.loadStarted(GOLDEN);
    g.loaded(GOLDEN, goldenSet());
    expect(useGoldenStore.getState().dirty).toBe(false);
    const first = useGoldenStore.getState().set!.cases[0]!;
    g.putCase(0, { ...first, expected: 'lost_or_stolen_card' });
    expect(useGoldenStore.getState().dirty).toBe(true);
    g.putCase(0, first); // back as it was: nothing to save
    expect(useGoldenStore.getState().dirty).toBe(false);
    g.deleteCase(1);
    expect(useGoldenStore.getState().set!.cases.map((c) => c.id)).toEqual(['case-1', 'case-3']);
    g.markSaved('golden/copy.yaml');
    expect(useGoldenStore.getState()).toMatchObject({ dirty: false, path: 'golden/copy.yaml' });
  });

  it('imports cases after the current ones with unique ids, or instead of them', () => {
    const g = useGoldenStore.getState();
    g.loadStarted(GOLDEN);
    g.loaded(GOLDEN, goldenSet());
    const r = g.importCases(goldenSet().cases.slice(0, 2), 'append');
    expect(r).toEqual({ added: 2, renamed: 2 });
    expect(useGoldenStore.getState().set!.cases.map((c) => c.id)).toEqual([
      'case-1',
      'case-2',
      'case-3',
      'case-1-2',
      'case-2-2',
    ]);
    g.importCases(goldenSet().cases.slice(2), 'replace');
    expect(useGoldenStore.getState().set!.cases.map((c) => c.id)).toEqual(['case-3']);
    expect(freeId('a', new Set(['a', 'a-2']))).toBe('a-3');
  });

  it('turns a case into a form draft and back, refusing what the file could not hold', () => {
    const set = goldenSet();
    expect(varColumns(set)).toEqual(['text']);
    expect(nextCaseId(set)).toBe('case-4');
    expect(assertionSummary(set.cases[0]!, set.defaultTest.assert)).toBe('default: equals');
    const withOwn = {
      ...set.cases[0]!,
      assert: [{ type: 'contains', weight: 1, name: 'label', options: {} }],
    };
    expect(assertionSummary(withOwn, set.defaultTest.assert)).toBe('label (contains) + default: equals');

    const draft = toDraft(set.cases[0]!, ['text'], 'x');
    expect(draft.vars).toEqual([{ key: 'text', value: 'How do I locate my card?', json: false }]);
    const back = fromDraft(draft, new Set(['case-2']), set.cases[0]);
    expect(back.ok && back.value).toEqual({
      id: 'case-1',
      vars: { text: 'How do I locate my card?' },
      expected: 'card_arrival',
      assert: [],
    });

    const edited = {
      ...draft,
      vars: [...draft.vars, { key: 'n', value: '[1, 2]', json: true }],
      assert: [{ type: 'contains', weight: '2', name: '', options: '{"value": "card"}' }],
      threshold: '0.5',
    };
    const ok = fromDraft(edited, new Set());
    expect(ok.ok && ok.value).toMatchObject({
      vars: { text: 'How do I locate my card?', n: [1, 2] },
      assert: [{ type: 'contains', weight: 2, options: { value: 'card' } }],
      threshold: 0.5,
    });

    expect(fromDraft({ ...draft, id: 'case-2' }, new Set(['case-2']))).toMatchObject({
      ok: false,
      field: 'id',
    });
    expect(fromDraft({ ...draft, id: ' ' }, new Set())).toMatchObject({ ok: false, field: 'id' });
    expect(fromDraft({ ...draft, vars: [{ key: '1x', value: 'a', json: false }] }, new Set())).toMatchObject({
      ok: false,
      field: 'vars[0]',
    });
    expect(
      fromDraft({ ...draft, vars: [{ key: 'n', value: '{oops', json: true }] }, new Set()),
    ).toMatchObject({ ok: false, field: 'vars[0]' });
    expect(
      fromDraft({ ...draft, assert: [{ type: 'equals', weight: '1', name: '', options: '[1]' }] }, new Set()),
    ).toMatchObject({ ok: false, field: 'assert[0]' });
    expect(fromDraft({ ...draft, threshold: '2' }, new Set())).toMatchObject({
      ok: false,
      field: 'threshold',
    });
  });
});
