/**
 * The Benchmarks view's per-case table at 20,000 cells, in real Chromium (Debian's, headless, as the e2e
 * tests run it). The run is made by the product's own code: the sample workspace gets a 5,000-case golden set
 * (the 3,080 BANKING77 test utterances, PolyAI, CC-BY-4.0, then the first 1,920 again with a numbered
 * suffix) and a config over the sample's two real prompts × two models; the bench routes (`bench.run`) run
 * it into the app data folder's runs database with an in-process provider that answers at once (defined
 * here, never in src/). The browser host (createBackend + startServer over a production build of the
 * renderer) then serves the app; the page opens the config, which shows that run's report, and:
 * (a) time to first render: click on the config → the table's first rows painted, split into what comes
 *     before the report request (estimate, runs), the report's fetch and its rendering;
 * (b) scrolling the table from top to bottom, `STEP_PX` per animation frame (a fast fling; twice), then
 *     `SLOW_STEP_PX` (a steady wheel) for a while, frame times from requestAnimationFrame inside the page:
 *     mean, p95, max, frames over 16.7 ms, frames that missed a vsync, rows in the DOM, and frames whose
 *     rows in view were not all rendered yet. The peer is the same fling on the view's own scroll container,
 *     which renders nothing: what a scrolling frame of this page costs on this machine at all;
 * (c) "Failures only" on and off: click → the new rows painted.
 * The pointer rests on the table while it scrolls, as with a wheel. A screenshot of the table half-way is
 * saved as test/artifacts/bench-table-20000.png.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { call, createBackend, EventBus } from '../src/backend';
import type { ProviderRegistry } from '../src/backend/providers/registry';
import type { LlmProvider } from '../src/backend/providers/types';
import { benchHandlers } from '../src/backend/services/benchRoutes';
import { loadCatalog } from '../src/backend/createBackend';
import { findResourcesDir } from '../src/backend/paths';
import { createGptTokenizer } from '../src/core/tokens/gptTokenizer';
import { parseCsvTable } from '../src/core/golden';
import type { Completion, CompletionRequest } from '../src/core/providers/types';
import { startServer } from '../src/server';
import { readGolden } from '../test/core/scorers/corpora';
import { launchChromium } from '../test/e2e/support/browser';
import { percentile } from './lib/corpus';

export const name = 'table';

/*
 * The page's globals, for the functions below that run in Chromium (page.evaluate); typed here because the
 * Node project has no DOM lib. Declared in this module only.
 */
interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { height: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
}
declare const document: PageElement & {
  body: PageElement;
  addEventListener(type: 'click', listener: () => void, options: { capture: boolean; once: boolean }): void;
};
declare class MutationObserver {
  constructor(callback: () => void);
  observe(
    target: PageElement,
    options: { childList?: boolean; subtree?: boolean; attributes?: boolean; attributeFilter?: string[] },
  ): void;
  disconnect(): void;
}
declare function requestAnimationFrame(callback: (time: number) => void): number;
interface ResourceTiming {
  name: string;
  startTime: number;
  responseEnd: number;
  encodedBodySize: number;
}

const CASES = 5_000;
const CELLS = CASES * 4;
/** A fast fling: 7,200 px/s. */
const STEP_PX = 120;
/** A steady wheel: 2,400 px/s, for the first SLOW_FRAMES frames. */
const SLOW_STEP_PX = 40;
const SLOW_FRAMES = 600;
const FRAME_MS = 1000 / 60;
const VIEWPORT = { width: 1440, height: 900 };
const CONFIG = 'benchmarks/scale-5000.bench.yaml';
const GOLDEN = 'golden/banking77-5000.csv';
/** Every FAIL_EVERY-th case is answered wrong on compressed × gpt-4o-mini, so "Failures only" has rows. */
const FAIL_EVERY = 25;
const SCREENSHOT = path.resolve(import.meta.dirname, '../test/artifacts/bench-table-20000.png');

interface GoldenRow {
  id: string;
  text: string;
  label: string;
}

/** 5,000 real BANKING77 utterances with their labels. */
function goldenRows(): GoldenRow[] {
  const test = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv').rows.map((r) => ({
    text: r.values.text!,
    label: r.values.category!,
  }));
  return Array.from({ length: CASES }, (_, i) => {
    const r = test[i % test.length]!;
    const round = Math.floor(i / test.length);
    return {
      id: `b77-${String(i + 1).padStart(4, '0')}`,
      text: round ? `${r.text} (${round + 1})` : r.text,
      label: r.label,
    };
  });
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Providers that answer at once, in process: the label of the message at the end of the prompt. */
function instantRegistry(rows: GoldenRow[]): ProviderRegistry {
  const byText = new Map(rows.map((r, i) => [r.text, { label: r.label, n: i + 1 }]));
  const provider = (id: 'anthropic' | 'openai'): LlmProvider => ({
    id,
    label: id,
    kind: id,
    configured: true,
    complete: (req: CompletionRequest): Promise<Completion> => {
      const content = req.messages.at(-1)!.content.trimEnd();
      const text = content.slice(content.lastIndexOf('\n') + 1).replace(/^Message: /, '');
      const row = byText.get(text.trim());
      const wrong =
        row && req.model === 'gpt-4o-mini' && content.includes('Message: ') && row.n % FAIL_EVERY === 0;
      return Promise.resolve({
        text: !row ? 'unknown' : wrong ? 'pin_blocked' : row.label,
        usage: { inputTokens: 40, outputTokens: 4 },
        providerUsage: null,
        cost: { usd: 0.0001, catalogId: null, breakdown: null },
        latency: { firstByteMs: 0, totalMs: 0, elapsedMs: 0 },
        attempts: 1,
        stopReason: 'end',
        providerStopReason: 'stop',
        model: req.model,
        provider: id,
        request: { method: 'POST', url: 'memory:', headers: {}, body: null },
      });
    },
  });
  const providers = { anthropic: provider('anthropic'), openai: provider('openai') };
  return {
    get: (id) => providers[id as keyof typeof providers],
    has: (id) => id in providers,
    list: () => [],
    set: () => undefined,
    remove: () => undefined,
    batches: () => {
      throw new Error('this benchmark does not use batch mode');
    },
  };
}

/** The renderer's production bundle, built into `outDir` (not out/renderer, which the e2e tests share). */
async function buildRenderer(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.resolve(import.meta.dirname, '../vite.renderer.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Writes the golden set and the config into the workspace and runs it with the bench routes; returns the
 * run id and how many cases have a failed cell.
 */
async function makeRun(
  dataDir: string,
  root: string,
  rows: GoldenRow[],
): Promise<{ runId: string; failingCases: number }> {
  const csv = ['__id,text,label', ...rows.map((r) => `${r.id},${csvField(r.text)},${r.label}`)].join('\n');
  await writeFile(path.join(root, GOLDEN), `${csv}\n`);
  await writeFile(
    path.join(root, CONFIG),
    [
      `name: BANKING77 intent at scale (${CASES.toLocaleString('en')} cases)`,
      'golden: ../golden/banking77-5000.csv',
      'variants:',
      '  - name: original',
      '    file: ../prompts/banking77-intent.md',
      '  - name: compressed',
      '    file: ../prompts/banking77-intent.compressed.md',
      'models: [claude-haiku-4-5, gpt-4o-mini]',
      'repeats: 1',
      'maxTokens: 20',
      'temperature: 0',
      'concurrency: 32',
      'budget: 100.00',
      'baseline: original',
      '',
    ].join('\n'),
  );
  const catalog = loadCatalog(findResourcesDir());
  const routes = benchHandlers({
    providers: instantRegistry(rows),
    getCatalog: () => Promise.resolve(catalog),
    tokenizer: createGptTokenizer(),
    dbFile: path.join(dataDir, 'runs.db'),
    events: new EventBus(),
    workspaceRoot: () => root,
  });
  try {
    const report = await routes.routes['bench.run']({ path: path.join(root, CONFIG) });
    const failing = new Set(
      report.cells.filter((c) => c.status !== 'ok' || !c.score?.pass).map((c) => c.caseId),
    ).size;
    // a few utterances appear twice in BANKING77's test split with different labels: those fail too
    if (report.status !== 'completed' || report.cells.length !== CELLS || failing < CASES / FAIL_EVERY)
      throw new Error(`the run: ${report.status}, ${report.cells.length} cells, ${failing} failing cases`);
    return { runId: report.runId!, failingCases: failing };
  } finally {
    routes.close();
  }
}

interface OpenTimes {
  /** Click → the bench.report request sent (the estimate and the runs list come first). */
  beforeReportMs: number;
  /** The bench.report request: sent → last byte. */
  fetchMs: number;
  reportBytes: number;
  /** Last byte of the report → the table's first rows in the DOM. */
  renderMs: number;
  /** Click → the first rows painted (the frame after they are in the DOM). */
  totalMs: number;
}

/** Clicks the config and times the table's first render in the page. */
async function openReport(page: Page): Promise<OpenTimes> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { __open: Promise<{ click: number; rows: number; painted: number }> };
    w.__open = new Promise((resolve) => {
      let click = 0;
      document.addEventListener('click', () => (click ||= performance.now()), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="case-row"]')) return;
        observer.disconnect();
        const rows = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve({ click, rows, painted: performance.now() })));
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  });
  await page.locator(`[data-testid="bench-config-item"][data-path="${CONFIG}"]`).click();
  const t = await page.evaluate(async () => {
    const w = globalThis as unknown as { __open: Promise<{ click: number; rows: number; painted: number }> };
    const r = await w.__open;
    const rpc = (performance.getEntriesByType('resource') as unknown as ResourceTiming[]).filter((e) =>
      e.name.includes('/api/rpc/bench.report'),
    );
    const last = rpc.at(-1)!;
    return { ...r, start: last.startTime, end: last.responseEnd, bytes: last.encodedBodySize };
  });
  return {
    beforeReportMs: t.start - t.click,
    fetchMs: t.end - t.start,
    reportBytes: t.bytes,
    renderMs: t.rows - t.end,
    totalMs: t.painted - t.click,
  };
}

interface ScrollResult {
  frames: number[];
  domRows: number[];
  /** Frames where a row in view was missing from the DOM. */
  blank: number;
  scrollHeight: number;
  rowHeight: number;
  ms: number;
}

/**
 * Scrolls the table from the top, `step` px per animation frame, to the bottom or for `maxFrames` frames,
 * timing every frame in the page.
 */
function scrollThrough(page: Page, step: number, maxFrames = 0): Promise<ScrollResult> {
  return page.evaluate(
    async ({ step, maxFrames }) => {
      const el = document.querySelector('[data-testid="cells-scroll"]')!;
      const head = el.querySelector('.grid-head')!.getBoundingClientRect().height;
      const rowHeight = el.querySelector('[data-testid="case-row"]')!.getBoundingClientRect().height;
      const max = el.scrollHeight - el.clientHeight;
      const rendered = (i: number) => el.querySelector(`[role="row"][aria-rowindex="${i + 2}"]`) !== null;
      el.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const frames: number[] = [];
      const domRows: number[] = [];
      let blank = 0;
      const started = performance.now();
      await new Promise<void>((resolve) => {
        let last = -1;
        const tick = (ts: number) => {
          if (last >= 0) frames.push(ts - last);
          last = ts;
          // the DOM this frame paints: are the rows now in view there?
          const top = el.scrollTop;
          const first = Math.floor(top / rowHeight);
          const lastRow = Math.floor((top + el.clientHeight - head - 1) / rowHeight);
          if (!rendered(first) || !rendered(lastRow)) blank++;
          domRows.push(el.querySelectorAll('[data-testid="case-row"]').length);
          if (top >= max || (maxFrames > 0 && frames.length >= maxFrames)) return resolve();
          el.scrollTop = Math.min(max, top + step);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return {
        frames,
        domRows,
        blank,
        scrollHeight: el.scrollHeight,
        rowHeight,
        ms: performance.now() - started,
      };
    },
    { step, maxFrames },
  );
}

/**
 * The peer: the same `step` px per frame on the view's own scroll container (`.bench-main`: the report, the
 * scatter, the group table; nothing rendered on the way), down and up over its height for `count` frames.
 * What any scrolling frame of this page costs on this machine.
 */
function scrollPeer(page: Page, step: number, count: number): Promise<number[]> {
  return page.evaluate(
    async ({ step, count }) => {
      const el = document.querySelector('.bench-main')!;
      const max = el.scrollHeight - el.clientHeight;
      const frames: number[] = [];
      let dir = 1;
      await new Promise<void>((resolve) => {
        let last = -1;
        const tick = (ts: number) => {
          if (last >= 0) frames.push(ts - last);
          last = ts;
          if (frames.length >= count) return resolve();
          if (el.scrollTop + dir * step > max || el.scrollTop + dir * step < 0) dir = -dir;
          el.scrollTop += dir * step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return frames;
    },
    { step, count },
  );
}

/** Clicks "Failures only" and times click → the new rows painted. */
async function toggleFailures(page: Page, expectRows: number): Promise<number> {
  await page.evaluate((expectRows) => {
    const w = globalThis as unknown as { __toggle: Promise<number> };
    w.__toggle = new Promise((resolve) => {
      const grid = document.querySelector('[role="grid"]')!;
      let click = 0;
      document.addEventListener('click', () => (click ||= performance.now()), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (grid.getAttribute('aria-rowcount') !== String(expectRows + 1)) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - click)));
      });
      observer.observe(grid, { attributes: true, attributeFilter: ['aria-rowcount'] });
    });
  }, expectRows);
  await page.getByTestId('cells-failures-only').click();
  return page.evaluate(() => (globalThis as unknown as { __toggle: Promise<number> }).__toggle);
}

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    p95: percentile(sorted, 95),
    max: sorted.at(-1)!,
    min: sorted[0]!,
  };
};

export async function run(): Promise<Record<string, unknown>> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pp-bench-table-'));
  const dataDir = path.join(tmp, 'data');
  const staticDir = path.join(tmp, 'renderer');
  const rows = goldenRows();
  let t = performance.now();
  await buildRenderer(staticDir);
  const buildS = (performance.now() - t) / 1000;

  const backend = createBackend({ host: 'browser', dataDir });
  const browser = await launchChromium();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const ws = await call(backend, 'workspace.current', {});
    if (!ws.ok || !ws.data) throw new Error(`the sample workspace did not open: ${JSON.stringify(ws)}`);
    const root = ws.data.root;
    t = performance.now();
    const { runId, failingCases: failing } = await makeRun(dataDir, root, rows);
    const runS = (performance.now() - t) / 1000;
    server = await startServer({ backend, port: 0, staticDir });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // tsx (esbuild, keepNames) wraps named functions in __name(), which the page functions take along
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(server.url);
    await page.locator(`[data-testid="bench-config-item"][data-path="${CONFIG}"]`).waitFor();

    const open = await openReport(page);
    const grid = page.getByRole('grid', { name: 'Per-case results' });
    const rowCount = await grid.getAttribute('aria-rowcount');
    if (rowCount !== String(CASES + 1)) throw new Error(`aria-rowcount ${rowCount}, expected ${CASES + 1}`);
    // the table at the top of the view, as someone reading it would have it
    await page.getByTestId('bench-cells').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const chromium = browser.version();

    // the pointer rests on the table, as when scrolling it with a wheel (hover follows the rows)
    const at = (await page.getByTestId('cells-scroll').boundingBox())!;
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    const rounds: ScrollResult[] = [];
    for (let i = 0; i < 2; i++) rounds.push(await scrollThrough(page, STEP_PX));
    const slow = await scrollThrough(page, SLOW_STEP_PX, SLOW_FRAMES);
    const peerFrames = await scrollPeer(page, STEP_PX, rounds.at(-1)!.frames.length);
    const peer = stats(peerFrames);
    await page.getByTestId('cells-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForTimeout(200);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });

    const filterOn = await toggleFailures(page, failing);
    const filterOff = await toggleFailures(page, CASES);
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
    await context.close();

    const r = rounds.at(-1)!;
    const f = stats(r.frames);
    const over = (xs: number[]) => xs.filter((ms) => ms > FRAME_MS).length;
    /** Frames that missed at least one vsync (≥ 1.5 frame intervals: 16.8 ms is timer jitter, not a drop). */
    const dropped = (xs: number[]) => xs.filter((ms) => ms > 1.5 * FRAME_MS).length;
    const missed = (xs: number[]) => xs.reduce((n, ms) => n + Math.max(0, Math.round(ms / FRAME_MS) - 1), 0);
    const dom = stats(r.domRows);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const share = (n: number, of: number) => `${n} (${((n / of) * 100).toFixed(1)}%)`;
    const line = (label: string, xs: number[], st = stats(xs)) =>
      console.log(
        `  | ${label} | ${xs.length} | ${fmt(st.mean)} | ${fmt(st.p95)} | ${fmt(st.max)} | ${share(over(xs), xs.length)} | ${share(dropped(xs), xs.length)} | ${missed(xs)} |`,
      );
    console.log(
      `\n  ${CELLS.toLocaleString('en')} cells (2 variants × 2 models × ${CASES.toLocaleString('en')} BANKING77 cases), stored by bench.run with an in-process provider in ${runS.toFixed(1)} s; Chromium ${chromium} headless (software rendering), ${VIEWPORT.width}×${VIEWPORT.height}, production renderer build (${buildS.toFixed(1)} s); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores\n`,
    );
    console.log('  (a) time to first render of the table (click on the config → first rows painted)\n');
    console.log('  | what | ms |');
    console.log('  | --- | ---: |');
    console.log(
      `  | click → bench.report sent (estimate of ${CELLS.toLocaleString('en')} cells, runs list) | ${open.beforeReportMs.toFixed(0)} |`,
    );
    console.log(
      `  | bench.report fetch (${(open.reportBytes / 2 ** 20).toFixed(1)} MB) | ${open.fetchMs.toFixed(0)} |`,
    );
    console.log(
      `  | report received → table rows in the DOM (parse, report view, grid) | ${open.renderMs.toFixed(0)} |`,
    );
    console.log(`  | **total, click → painted** | **${open.totalMs.toFixed(0)}** |`);
    console.log(
      `\n  (b) scrolling the ${CASES.toLocaleString('en')}-row table top to bottom (${r.scrollHeight.toLocaleString('en')} px, rows ${r.rowHeight} px), frame times from requestAnimationFrame in the page; the peer scrolls the view's own container by ${STEP_PX} px per frame with nothing rendered\n`,
    );
    console.log(
      '  | what | frames | mean | p95 | max | > 16.7 ms | dropped (missed a vsync) | missed vsyncs |',
    );
    console.log('  | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    line(`table, ${STEP_PX} px/frame, pass 1`, rounds[0]!.frames);
    line(`**table, ${STEP_PX} px/frame, pass 2**`, r.frames, f);
    line(`table, ${SLOW_STEP_PX} px/frame (first ${SLOW_FRAMES} frames)`, slow.frames);
    line("peer: the view's own scroll, nothing rendered", peerFrames, peer);
    console.log(
      `\n  Rows in the DOM while scrolling: min ${dom.min}, mean ${dom.mean.toFixed(1)}, max ${dom.max} (of ${CASES.toLocaleString('en')}); frames whose rows in view were not all rendered: ${r.blank}.`,
    );
    console.log(
      `  (c) "Failures only" (${failing} of ${CASES.toLocaleString('en')} cases): on ${fmt(filterOn)}, off ${fmt(filterOff)} (click → new rows painted).`,
    );
    console.log(
      `  Table p95 within one frame (16.7 ms, + 0.5 ms of vsync jitter): ${f.p95 <= FRAME_MS + 0.5 ? 'met' : '**not met**'} (peer p95 ${fmt(peer.p95)}; ratio of means table / peer ${(f.mean / peer.mean).toFixed(2)}). Run ${runId}.`,
    );
    return {
      cells: CELLS,
      chromium,
      viewport: VIEWPORT,
      stepPx: STEP_PX,
      open,
      scroll: {
        frames: r.frames.length,
        meanMs: f.mean,
        p95Ms: f.p95,
        maxMs: f.max,
        over16_7: over(r.frames),
        over16_7Pct: (over(r.frames) / r.frames.length) * 100,
        missedVsyncs: missed(r.frames),
        domRows: dom,
        blankFrames: r.blank,
        wallMs: r.ms,
        dropped: dropped(r.frames),
        firstPass: stats(rounds[0]!.frames),
        slow: {
          stepPx: SLOW_STEP_PX,
          frames: slow.frames.length,
          ...stats(slow.frames),
          dropped: dropped(slow.frames),
        },
        peer: {
          ...peer,
          over16_7: over(peerFrames),
          dropped: dropped(peerFrames),
          frames: peerFrames.length,
        },
        loadAverage: os.loadavg()[0],
      },
      failuresOnly: { rows: failing, onMs: filterOn, offMs: filterOff },
    };
  } finally {
    await browser.close();
    await server?.close();
    backend.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}
