import { Icon } from '../../components/Icon';
import { formatInt } from '../../lib/format';
import { useCacheStore } from '../../stores/cacheWhatIf';
import { useEditorStore } from '../../stores/editor';
import { useTokensStore } from '../../stores/tokens';

/**
 * "This edit invalidates 3,412 cached tokens": shown in the status bar while the edits since the last
 * save change the cacheable prefix of the Cache tab's model; gone on save or when dismissed.
 */
export function InvalidationNotice() {
  const invalidated = useCacheStore((s) => s.invalidated);
  const label = useTokensStore((s) => s.models.find((m) => m.id === invalidated?.model)?.label);
  if (!invalidated) return null;
  const dismiss = () => useCacheStore.getState().setBaseline(useEditorStore.getState().content);
  return (
    <span
      className="status-item status-invalidated"
      role="status"
      data-testid="cache-invalidated"
      data-tokens={invalidated.tokens}
      title={`The cached prefix of ${label ?? invalidated.model} changes: the next request writes the cache again. Save to accept the edit as the new baseline.`}
    >
      <Icon name="warning" />
      This edit invalidates {formatInt(invalidated.tokens)} cached{' '}
      {invalidated.tokens === 1 ? 'token' : 'tokens'}
      <span className="muted">· {label ?? invalidated.model}</span>
      <button
        type="button"
        className="status-dismiss"
        aria-label="Dismiss the cache notice"
        title="Dismiss"
        onClick={dismiss}
      >
        <Icon name="close" />
      </button>
    </span>
  );
}
