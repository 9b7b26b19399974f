import { createContext, lazy, type ComponentType } from 'react';
import type { EditStatus } from '../../../../core/compression/locate';

export interface DiffRange {
  start: number;
  end: number;
}

/** An edit marked on one side of the diff, with the text its hover shows (Markdown). */
export interface DiffMark extends DiffRange {
  id: string;
  status: EditStatus;
  hover: string;
}

/** What the Compress view needs from a diff editor; Monaco's in the app, plain text in tests. */
export interface DiffViewProps {
  /** The prompt as it is in the editor. */
  original: string;
  /** The pipeline's output. */
  modified: string;
  /** Every edit (applied, rejected, blocked) on the original text. */
  originalMarks: readonly DiffMark[];
  /** Applied edits on the output. */
  modifiedMarks: readonly DiffMark[];
  /** Ranges of the original the user protected. */
  protectedRanges: readonly DiffRange[];
  /** Select and scroll to an edit on both sides; `seq` changes with every request. */
  reveal: { original: DiffRange; modified: DiffRange; seq: number } | null;
  /** Reject or accept again the edit with this id. */
  onToggleEdit(id: string, reject: boolean): void;
  /** Protect a range of the original from every strategy. */
  onProtect(range: DiffRange): void;
}

export type DiffViewComponent = ComponentType<DiffViewProps>;

const LazyMonacoDiff = lazy(() => import('./MonacoDiff'));

/** The diff implementation in use; renderer tests provide a plain one so Monaco never loads in happy-dom. */
export const DiffViewContext = createContext<DiffViewComponent>(LazyMonacoDiff);
