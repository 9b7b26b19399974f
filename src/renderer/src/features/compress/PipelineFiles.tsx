import { useEffect, useState } from 'react';
import { showEditor } from '../../app/benchActions';
import { loadPipelineFile, setCompressMode } from '../../app/compressActions';
import { closeHistory } from '../../app/historyActions';
import { SidebarItem } from '../../components/SidebarItem';
import { useCompressStore } from '../../stores/compress';
import { useEditorStore } from '../../stores/editor';
import { useNoticesStore } from '../../stores/notices';
import { useWorkspaceStore } from '../../stores/workspace';
import { api } from '../../transport';

/** Applies a saved pipeline to the prompt open in the editor, in the Compress view. */
export async function applyPipeline(path: string): Promise<boolean> {
  if (useEditorStore.getState().path === null) {
    useNoticesStore.getState().push({
      kind: 'info',
      message: `Open a prompt first: ${path.slice(path.lastIndexOf('/') + 1)} is applied to the prompt in the editor.`,
      key: 'pipeline-needs-prompt',
      timeoutMs: 6000,
    });
    return false;
  }
  if (!(await showEditor())) return false;
  closeHistory();
  setCompressMode(true);
  return loadPipelineFile(path);
}

/**
 * The workspace's saved compression pipelines (`*.pipeline.json`), in the sidebar's Prompts section: a click
 * opens the prompt shown in the Compress view with that pipeline.
 */
export function PipelineFiles() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const current = useCompressStore((s) => s.pipelinePath);
  const [paths, setPaths] = useState<string[]>([]);
  useEffect(() => {
    if (!workspace) return;
    let live = true;
    // the workspace object is new after every refresh, so a saved or dropped pipeline shows up
    // quietly: a host without the route, or a folder it cannot list, just shows no pipelines here
    api
      .call('compress.listPipelines')
      .then((r) => live && setPaths(r.paths))
      .catch(() => live && setPaths([]));
    return () => {
      live = false;
    };
  }, [workspace]);
  if (!workspace || paths.length === 0) return null;
  return (
    <div role="group" aria-label="Pipelines">
      <div className="file-group-label">Pipelines</div>
      {paths.map((p) => {
        const slash = p.lastIndexOf('/');
        return (
          <SidebarItem
            key={p}
            icon="compress"
            name={p.slice(slash + 1)}
            detail={slash >= 0 ? p.slice(0, slash) : undefined}
            active={current === p}
            current="true"
            title={`${p} · apply to the prompt in the editor (Compress view)`}
            testId="pipeline-file-item"
            data={{ 'data-path': p }}
            onClick={() => void applyPipeline(p)}
          />
        );
      })}
    </div>
  );
}
