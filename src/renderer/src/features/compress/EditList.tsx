import { useEffect, useRef, useState } from 'react';
import type { LocatedEdit } from '../../../../core/compression/locate';
import { useCompressStore } from '../../stores/compress';
import { visibleSnippet } from '../../../../core/compression/text';
import { savingText, type StrategyGroup } from './viewModel';

const PAGE = 200;

function EditRow({ l }: { l: LocatedEdit }) {
  const setRejected = useCompressStore((s) => s.setRejected);
  const focusEdit = useCompressStore((s) => s.focusEdit);
  const focused = useCompressStore((s) => s.focus?.id === l.edit.id);
  const e = l.edit;
  // the user's decision shows at once; the run that applies it follows
  const decided = useCompressStore((s) => s.rejected.includes(l.edit.id));
  const applied = l.status !== 'blocked' && !decided;
  return (
    <li
      className={`edit-row ${l.status}${focused ? ' focused' : ''}`}
      data-testid="edit-row"
      data-edit={e.id}
      data-status={l.status}
    >
      <input
        type="checkbox"
        checked={applied}
        disabled={l.status === 'blocked'}
        aria-label={
          applied
            ? `Reject: ${e.reason}`
            : l.status === 'blocked'
              ? 'Blocked by a guard'
              : `Accept: ${e.reason}`
        }
        title={
          l.status === 'blocked'
            ? l.blockedBy?.reason
            : applied
              ? 'Applied; uncheck to reject'
              : 'Rejected; check to apply'
        }
        onChange={(ev) => setRejected([e.id], !ev.target.checked)}
        data-testid="edit-toggle"
      />
      <button type="button" className="edit-main" onClick={() => focusEdit(e.id)} title={e.reason}>
        <span className="edit-change">
          <del>{visibleSnippet(e.before, 48) || '∅'}</del>
          <span className="edit-arrow" aria-hidden="true">
            →
          </span>
          <ins>{e.after === '' ? <em>removed</em> : visibleSnippet(e.after, 48)}</ins>
        </span>
        <span className="edit-meta">
          <span className="edit-rule">{e.ruleId}</span>
          <span className={e.tokensSaved > 0 ? 'edit-saving' : 'edit-saving none'}>
            {savingText(e.tokensSaved, e.tokensExact)}
          </span>
        </span>
        {l.status === 'blocked' && <span className="edit-blocked">{l.blockedBy?.reason}</span>}
      </button>
    </li>
  );
}

function GroupHeader({ g }: { g: StrategyGroup }) {
  const setRejected = useCompressStore((s) => s.setRejected);
  const label = useCompressStore((s) => s.strategies?.find((i) => i.id === g.strategy)?.label ?? g.strategy);
  const ref = useRef<HTMLInputElement>(null);
  const decidable = g.applied.length + g.rejected.length;
  const all = g.rejected.length === 0;
  const none = g.applied.length === 0;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = !all && !none;
  }, [all, none]);
  return (
    <div className="edit-group-head">
      <input
        ref={ref}
        type="checkbox"
        checked={all && decidable > 0}
        disabled={decidable === 0}
        aria-label={all ? `Reject every edit of ${label}` : `Apply every edit of ${label}`}
        onChange={() =>
          setRejected(all ? g.applied.map((l) => l.edit.id) : g.rejected.map((l) => l.edit.id), all)
        }
        data-testid="group-toggle"
      />
      <span className="edit-group-label">{label}</span>
      <span className="edit-group-counts">
        {g.applied.length} applied
        {g.rejected.length > 0 && ` · ${g.rejected.length} rejected`}
        {g.blocked.length > 0 && ` · ${g.blocked.length} blocked`}
      </span>
      <span className="edit-group-saved">{savingText(g.saved)}</span>
    </div>
  );
}

function Group({ g }: { g: StrategyGroup }) {
  const [shown, setShown] = useState(PAGE);
  const rows = [...g.applied, ...g.rejected, ...g.blocked].sort(
    (a, b) => a.original.start - b.original.start,
  );
  return (
    <section className="edit-group" data-testid="edit-group" data-strategy={g.strategy}>
      <GroupHeader g={g} />
      <ul className="edit-rows">
        {rows.slice(0, shown).map((l) => (
          <EditRow key={`${l.status}:${l.edit.id}`} l={l} />
        ))}
      </ul>
      {rows.length > shown && (
        <button type="button" className="link-button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, rows.length - shown)} more of {rows.length - shown}
        </button>
      )}
    </section>
  );
}

/** Every edit of the run by strategy: check to apply, uncheck to reject; click to show it in the diff. */
export function EditList({ groups }: { groups: readonly StrategyGroup[] }) {
  const rejected = useCompressStore((s) => s.rejected.length);
  const setRejected = useCompressStore((s) => s.setRejected);
  const all = useCompressStore((s) => s.rejected);
  if (groups.length === 0) {
    return <p className="muted panel-pad">No edits: the enabled strategies found nothing to change.</p>;
  }
  return (
    <div className="edit-list" data-testid="edit-list">
      {rejected > 0 && (
        <div className="edit-list-bar">
          <span>{rejected} rejected</span>
          <button type="button" className="link-button" onClick={() => setRejected(all, false)}>
            Apply all again
          </button>
        </div>
      )}
      {groups.map((g) => (
        <Group key={g.strategy} g={g} />
      ))}
    </div>
  );
}
