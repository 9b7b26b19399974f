import type { CompressResult } from '../../../../shared/contract';
import type { LocatedEdit } from '../../../../core/compression/locate';
import { Icon } from '../../components/Icon';
import { useCompressStore } from '../../stores/compress';
import { visibleSnippet } from '../../../../core/compression/text';

/** What the guards protected and every edit they stopped, with the reason. */
export function GuardReport({
  result,
  located,
}: {
  result: CompressResult;
  located: readonly LocatedEdit[];
}) {
  const focusEdit = useCompressStore((s) => s.focusEdit);
  const protectCount = useCompressStore((s) => s.protect.length);
  const clearProtect = useCompressStore((s) => s.clearProtect);
  const g = result.guardReport;
  const blocked = located.filter((l) => l.status === 'blocked');
  const kinds = Object.entries(g.spansByKind).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  return (
    <div className="guard-report" data-testid="guard-report">
      <p className={g.verified ? 'guard-verdict ok' : 'guard-verdict'} data-testid="guard-verdict">
        <Icon name="shield" />
        {g.verified
          ? 'Verified: every protected span, number, placeholder and negation of the prompt is intact in the output.'
          : 'The output was not re-checked against the prompt.'}
      </p>
      <h3 className="panel-heading">Protected spans · {g.protectedSpans.toLocaleString('en-US')}</h3>
      {kinds.length === 0 ? (
        <p className="muted small">Nothing in this prompt needed protection.</p>
      ) : (
        <ul className="chip-list">
          {kinds.map(([k, n]) => (
            <li key={k} className="chip">
              {k} <strong>{n}</strong>
            </li>
          ))}
        </ul>
      )}
      {g.droppedWithUnits > 0 && (
        <p className="small" data-testid="dropped-with-units">
          {g.droppedWithUnits} protected span{g.droppedWithUnits === 1 ? '' : 's'} went with whole examples
          that a lossy strategy removed (rules.examples); nothing was cut inside a kept unit.
        </p>
      )}
      {protectCount > 0 && (
        <p className="small">
          You protected {protectCount} range{protectCount === 1 ? '' : 's'}.{' '}
          <button type="button" className="link-button" onClick={clearProtect}>
            Remove
          </button>
        </p>
      )}
      <p className="muted small">
        Select text on the left of the diff and right-click → Protect selection, or wrap it in
        &lt;keep&gt;…&lt;/keep&gt;.
      </p>
      <h3 className="panel-heading">Edits blocked · {blocked.length}</h3>
      {blocked.length === 0 ? (
        <p className="muted small">No strategy tried to change protected text.</p>
      ) : (
        <ul className="blocked-list">
          {blocked.map((l) => (
            <li key={l.edit.id} data-testid="blocked-edit">
              <button type="button" className="blocked-item" onClick={() => focusEdit(l.edit.id)}>
                <span className="pp-badge warning">{l.blockedBy?.kind}</span>
                <span className="blocked-text">
                  <strong>{l.edit.strategy}</strong> would have changed{' '}
                  <code>{visibleSnippet(l.edit.before, 40)}</code>
                </span>
                <span className="muted small">{l.blockedBy?.reason}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
