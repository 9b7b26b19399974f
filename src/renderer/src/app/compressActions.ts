/**
 * What the user can do in the Compress view, over the compress store and the backend. Errors become
 * notices (see actions.ts); nothing here throws.
 */
import type { Pipeline } from '../../../core/compression';
import { api, isTransportError } from '../transport';
import { useCompressStore } from '../stores/compress';
import { useDialogStore } from '../stores/dialog';
import { useEditorStore } from '../stores/editor';
import { useModelSelectionStore } from '../stores/modelSelection';
import { useNoticesStore } from '../stores/notices';
import { report } from './actions';

/** Loads the strategy registry (once) so the pipeline panel can list strategies and build their forms. */
export async function loadStrategies(): Promise<void> {
  if (useCompressStore.getState().strategies) return;
  try {
    const r = await api.call('compress.strategies');
    useCompressStore.getState().setStrategies(r.strategies, r.defaultPipeline);
  } catch (err) {
    report(err);
  }
}

/** Switches the editor area between the prompt and the Compress view. */
export function setCompressMode(on: boolean): void {
  useCompressStore.getState().setMode(on ? 'compress' : 'edit');
  if (on) void loadStrategies();
}

export async function listPipelines(): Promise<string[]> {
  try {
    return (await api.call('compress.listPipelines')).paths;
  } catch (err) {
    return report(err) ?? [];
  }
}

/** Replaces the pipeline with a workspace `.pipeline.json` file (validated by the backend). */
export async function loadPipelineFile(path: string): Promise<boolean> {
  try {
    const r = await api.call('compress.loadPipeline', { path });
    useCompressStore.getState().setPipeline(r.pipeline, r.path);
    return true;
  } catch (err) {
    return report(err) ?? false;
  }
}

/** Starts over from the registry's default pipeline. */
export async function resetPipeline(): Promise<void> {
  try {
    const r = await api.call('compress.strategies');
    useCompressStore.getState().setPipeline(r.defaultPipeline, null);
  } catch (err) {
    report(err);
  }
}

/** Saves the pipeline being edited to a workspace file. */
export async function savePipelineFile(path: string): Promise<boolean> {
  const pipeline: Pipeline = useCompressStore.getState().pipeline();
  try {
    const r = await api.call('compress.savePipeline', { path, pipeline });
    useCompressStore.getState().markSaved(r.path);
    useNoticesStore
      .getState()
      .push({ kind: 'info', message: `Pipeline saved to ${r.path}.`, timeoutMs: 4000 });
    return true;
  } catch (err) {
    return report(err) ?? false;
  }
}

export interface ExportChoice {
  compressed?: string;
  pipeline?: string;
  report?: string;
}

/** Default export names next to the prompt: `x.md` → `x.compressed.md`, `x.pipeline.json`, `x.compression-report.md`. */
export function defaultExportNames(source: string): Required<ExportChoice> {
  const slash = source.lastIndexOf('/');
  const dir = slash >= 0 ? source.slice(0, slash + 1) : '';
  const file = source.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : '.md';
  return {
    compressed: `${dir}${stem}.compressed${ext}`,
    pipeline: `${dir}${stem}.pipeline.json`,
    report: `${dir}${stem}.compression-report.md`,
  };
}

/**
 * Writes the chosen exports. An existing file asks before it is replaced; the run uses the prompt as it is
 * in the editor (saved or not), the pipeline, the rejections and protected ranges as they are now.
 */
export async function exportCompression(outputs: ExportChoice, overwrite = false): Promise<boolean> {
  const { path, content } = useEditorStore.getState();
  const c = useCompressStore.getState();
  if (path === null) return false;
  try {
    const r = await api.call('compress.export', {
      source: path,
      text: content,
      pipeline: c.pipeline(),
      rejected: c.rejected,
      protect: c.protect,
      models: useModelSelectionStore.getState().ids,
      outputs,
      overwrite,
    });
    useNoticesStore.getState().push({
      kind: 'info',
      message: `Exported ${r.written.map((w) => w.path).join(', ')} (${r.tokensBefore.toLocaleString('en-US')} → ${r.tokensAfter.toLocaleString('en-US')} tokens).`,
      timeoutMs: 6000,
    });
    if (outputs.pipeline) useCompressStore.getState().markSaved(outputs.pipeline);
    return true;
  } catch (err) {
    if (isTransportError(err) && err.code === 'FILE_EXISTS' && !overwrite) {
      const choice = await useDialogStore.getState().ask({
        title: 'Replace existing files?',
        message: `${err.message}`,
        choices: [
          { id: 'replace', label: 'Replace', danger: true },
          { id: 'cancel', label: 'Cancel', primary: true },
        ],
        cancelId: 'cancel',
      });
      return choice === 'replace' ? exportCompression(outputs, true) : false;
    }
    return report(err) ?? false;
  }
}
