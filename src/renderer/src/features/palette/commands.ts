/**
 * Everything the command palette offers, built from the stores as they are now. Each command calls the
 * action the rest of the UI calls; a command that cannot run now says why in `disabled`.
 */
import type { BenchExportFormat } from '../../../../shared/bench';
import { openSampleWorkspace, openWorkspace, pickAndOpenFolder, saveFile } from '../../app/actions';
import {
  cancelRun,
  defaultExportPath,
  exportReport,
  openBench,
  openGolden,
  showEditor,
  startRun,
} from '../../app/benchActions';
import { setCompressMode } from '../../app/compressActions';
import { cancelJob } from '../../app/jobs';
import { activeItem, closeTab, cycleTab } from '../../app/tabs';
import { JOB_KIND_LABEL, runningJobs, useJobsStore } from '../../stores/jobs';
import { useTabsStore } from '../../stores/tabs';
import {
  closeHistory,
  fidelityInput,
  newPolicy,
  openHistory,
  openPolicyFile,
  openPromptFile,
  savePolicy,
  showHistoryView,
  simulate,
  simulationInput,
} from '../../app/historyActions';
import { isFinal, useBenchStore } from '../../stores/bench';
import { useCatalogStore } from '../../stores/catalog';
import { useCompressStore } from '../../stores/compress';
import { COST_TABS, useCostPanelStore, type CostTab } from '../../stores/costPanel';
import { useEditorStore } from '../../stores/editor';
import { useHistoryStore } from '../../stores/history';
import { useProvidersStore } from '../../stores/providers';
import { useWorkspaceStore } from '../../stores/workspace';

export interface Command {
  id: string;
  /** What the list shows and the search matches. */
  title: string;
  /** A heading for the kind of command (File, View, Benchmark, …); searched too. */
  group: string;
  /** More text to match (a file's folder), shown muted. */
  detail?: string;
  /** The keyboard shortcut that does the same, as shown to the user. */
  shortcut?: string;
  /** Why the command cannot run now; undefined when it can. */
  disabled?: string;
  run(): unknown;
}

/** "⌘" on a Mac, "Ctrl" elsewhere. */
export function modKey(): string {
  const platform = typeof navigator === 'undefined' ? '' : navigator.platform;
  return /Mac|iPhone|iPad/i.test(platform) ? '⌘' : 'Ctrl';
}

const TAB_LABEL: Record<CostTab, string> = { cost: 'Cost', cache: 'Cache', projection: 'Projection' };
const EXPORT_LABEL: Record<BenchExportFormat, string> = {
  json: 'JSON',
  csv: 'CSV',
  md: 'Markdown',
  html: 'HTML',
};

function split(path: string): { name: string; dir: string } {
  const slash = path.lastIndexOf('/');
  return { name: path.slice(slash + 1), dir: slash === -1 ? '' : path.slice(0, slash) };
}

/** Clicks a control the UI shows (for dialogs whose open state lives in a component). */
function clickTestId(testId: string): void {
  document.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.click();
}

export function buildCommands(): Command[] {
  const mod = modKey();
  const ws = useWorkspaceStore.getState();
  const editor = useEditorStore.getState();
  const bench = useBenchStore.getState();
  const history = useHistoryStore.getState();
  const compress = useCompressStore.getState();
  const panel = useCostPanelStore.getState();

  const hasWorkspace = ws.workspace !== null;
  const hasFile = editor.path !== null;
  const editorShown = bench.screen === null && !history.open;
  const compressing = compress.mode === 'compress';
  const noWorkspace = hasWorkspace ? undefined : 'No workspace is open';
  const needPrompt = !hasFile
    ? 'Open a prompt first'
    : !editorShown
      ? 'The prompt editor is not shown'
      : undefined;

  const commands: Command[] = [];
  const add = (c: Command) => commands.push(c);

  // Workspace
  add({
    id: 'workspace.openFolder',
    group: 'Workspace',
    title: 'Open folder…',
    disabled: ws.info?.nativeDialogs
      ? undefined
      : 'This host has no folder picker: type a path under "Open folder" in the sidebar',
    run: () => pickAndOpenFolder(),
  });
  add({
    id: 'workspace.openSample',
    group: 'Workspace',
    title: 'Open the sample workspace',
    run: () => openSampleWorkspace(),
  });
  for (const r of ws.recent) {
    if (r.root === ws.workspace?.root) continue;
    add({
      id: `workspace.recent:${r.root}`,
      group: 'Recent workspace',
      title: `Open ${r.name}`,
      detail: r.root,
      run: () => openWorkspace(r.root),
    });
  }

  // Files of the workspace
  for (const f of ws.workspace?.files ?? []) {
    const { name, dir } = split(f.path);
    add({
      id: `file:${f.path}`,
      group: 'Prompt',
      title: name,
      detail: dir,
      run: () => openPromptFile(f.path),
    });
  }
  for (const p of bench.files?.configs ?? []) {
    const { name, dir } = split(p);
    add({ id: `bench:${p}`, group: 'Benchmark', title: name, detail: dir, run: () => openBench(p) });
  }
  for (const p of bench.files?.goldenSets ?? []) {
    const { name, dir } = split(p);
    add({ id: `golden:${p}`, group: 'Golden set', title: name, detail: dir, run: () => openGolden(p) });
  }
  for (const p of history.files?.histories ?? []) {
    const { name, dir } = split(p);
    add({ id: `history:${p}`, group: 'History', title: name, detail: dir, run: () => openHistory(p) });
  }
  for (const p of history.files?.policies ?? []) {
    const { name, dir } = split(p);
    add({ id: `policy:${p}`, group: 'Policy', title: name, detail: dir, run: () => openPolicyFile(p) });
  }

  // Tabs
  const tabs = useTabsStore.getState().items;
  const shown = activeItem();
  add({
    id: 'tabs.next',
    group: 'Tabs',
    title: 'Next tab',
    shortcut: `Ctrl+Tab`,
    disabled: tabs.length < 2 ? 'Fewer than two tabs are open' : undefined,
    run: () => cycleTab(1),
  });
  add({
    id: 'tabs.previous',
    group: 'Tabs',
    title: 'Previous tab',
    shortcut: `Ctrl+Shift+Tab`,
    disabled: tabs.length < 2 ? 'Fewer than two tabs are open' : undefined,
    run: () => cycleTab(-1),
  });
  add({
    id: 'tabs.close',
    group: 'Tabs',
    title: shown ? `Close tab ${split(shown.path).name}` : 'Close tab',
    disabled: shown ? undefined : 'No tab is shown',
    run: () => (shown ? closeTab(shown) : undefined),
  });

  // Jobs
  const jobs = useJobsStore.getState();
  const runningList = runningJobs(jobs.jobs);
  add({
    id: 'jobs.show',
    group: 'Jobs',
    title: `Show the jobs panel${runningList.length ? ` (${runningList.length} running)` : ''}`,
    run: () => useJobsStore.getState().setPanelOpen(true),
  });
  for (const job of runningList) {
    add({
      id: `jobs.cancel:${job.id}`,
      group: 'Jobs',
      title: `Cancel ${JOB_KIND_LABEL[job.kind]}: ${job.title}`,
      disabled: job.cancelling ? 'Already cancelling' : undefined,
      run: () => cancelJob(job.id),
    });
  }

  // Editor and views
  add({
    id: 'file.save',
    group: 'File',
    title: 'Save',
    shortcut: `${mod}+S`,
    disabled: needPrompt ?? (editor.dirty ? undefined : 'No unsaved changes'),
    run: () => saveFile(),
  });
  add({
    id: 'view.editor',
    group: 'View',
    title: 'Show the prompt editor',
    disabled: editorShown ? 'The prompt editor is already shown' : undefined,
    run: async () => {
      if (await showEditor()) closeHistory();
    },
  });
  add({
    id: 'view.edit',
    group: 'View',
    title: 'Switch to Edit',
    disabled: needPrompt ?? (compressing ? undefined : 'Already editing'),
    run: () => setCompressMode(false),
  });
  add({
    id: 'view.compress',
    group: 'View',
    title: 'Switch to Compress',
    disabled: needPrompt ?? (compressing ? 'Already in Compress' : undefined),
    run: () => setCompressMode(true),
  });
  const panelReason = needPrompt ?? (compressing ? 'The Compress view has its own panel' : undefined);
  add({
    id: 'view.costPanel',
    group: 'View',
    title: panel.open ? 'Hide the cost panel' : 'Show the cost panel',
    disabled: panelReason,
    run: () => useCostPanelStore.getState().toggle(),
  });
  for (const tab of COST_TABS) {
    add({
      id: `view.costTab:${tab}`,
      group: 'View',
      title: `Cost panel: ${TAB_LABEL[tab]} tab`,
      disabled: panelReason,
      run: () => useCostPanelStore.getState().setTab(tab),
    });
  }
  add({
    id: 'compress.export',
    group: 'Compress',
    title: 'Export the compressed prompt…',
    disabled: needPrompt ?? (compressing ? undefined : 'Switch to Compress first'),
    run: () => clickTestId('export-open'),
  });

  // Benchmarks
  const benchPath = bench.screen?.kind === 'bench' ? bench.screen.path : null;
  const running = bench.run !== null && !isFinal(bench.run.status);
  add({
    id: 'bench.run',
    group: 'Benchmark',
    title: 'Run the open benchmark',
    disabled: !benchPath
      ? 'Open a benchmark config first'
      : running || bench.starting
        ? 'A run is going'
        : undefined,
    run: () => startRun(),
  });
  add({
    id: 'bench.cancel',
    group: 'Benchmark',
    title: 'Cancel the benchmark run',
    disabled: running ? undefined : 'No run is going',
    run: () => cancelRun(),
  });
  const runId = bench.selectedRunId;
  for (const format of Object.keys(EXPORT_LABEL) as BenchExportFormat[]) {
    add({
      id: `bench.export:${format}`,
      group: 'Benchmark',
      title: `Export the report as ${EXPORT_LABEL[format]}`,
      disabled: !benchPath ? 'Open a benchmark config first' : !runId ? 'No run is shown' : undefined,
      run: () => benchPath && runId && exportReport(format, defaultExportPath(benchPath, runId, format)),
    });
  }

  // History
  add({
    id: 'history.show',
    group: 'History',
    title: 'Show the History view',
    disabled: noWorkspace ?? (history.open ? 'The History view is already shown' : undefined),
    run: () => showHistoryView(),
  });
  add({
    id: 'history.simulate',
    group: 'History',
    title: 'Simulate the policy on the open conversation',
    disabled: !history.open
      ? 'Open a history file first'
      : history.simulating
        ? 'A simulation is running'
        : simulationInput() === null
          ? 'Pick a conversation first'
          : undefined,
    run: () => simulate(),
  });
  add({
    id: 'history.fidelity',
    group: 'History',
    title: 'Run the recall check',
    disabled: !history.open
      ? 'Open a history file first'
      : fidelityInput() === null
        ? 'Simulate a conversation first'
        : undefined,
    run: () => clickTestId('fidelity-run'),
  });
  add({
    id: 'history.newPolicy',
    group: 'History',
    title: 'New policy',
    disabled: history.open ? undefined : 'Open the History view first',
    run: () => newPolicy(),
  });
  add({
    id: 'history.savePolicy',
    group: 'History',
    title: 'Save the policy',
    shortcut: `${mod}+S`,
    disabled: history.open ? undefined : 'Open the History view first',
    run: () => savePolicy(),
  });

  // Settings
  add({
    id: 'settings.models',
    group: 'Settings',
    title: 'Models and prices…',
    run: () => useCatalogStore.getState().openDialog(),
  });
  add({
    id: 'settings.providers',
    group: 'Settings',
    title: 'Model providers…',
    run: () => useProvidersStore.getState().openDialog(),
  });
  return commands;
}
