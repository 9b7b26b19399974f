import { useId, useMemo } from 'react';
import type { TokenCount } from '../../../../shared/contract';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import { formatInt, formatPerMTok, formatUsd } from '../../lib/format';
import { groupByProvider, providerLabel } from '../../lib/providers';
import { InvalidationNotice } from '../costs/InvalidationNotice';
import { JobsStatus } from '../jobs/JobsPanel';
import { useBenchStore } from '../../stores/bench';
import { useEditorStore } from '../../stores/editor';
import { useHistoryStore } from '../../stores/history';
import { useTokensStore } from '../../stores/tokens';

const ENCODING_LABELS = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
};

/** Where the number came from, as the tooltip says it (every number carries its provenance). */
export function countProvenance(result: TokenCount): string {
  switch (result.method) {
    case 'exact':
      // local counts name themselves ("…, in the window"); everything else was counted by the backend
      return `exact — ${result.encoding} via ${result.counter}${result.counter.includes('in the window') ? '' : ' (backend)'}`;
    case 'estimate':
      return `estimate — ${result.encoding} via ${result.counter}, a stand-in for this model's own tokenizer (backend)`;
    case 'provider-reported':
      return `reported by the provider's token counting API`;
  }
}

function costText(result: TokenCount, model: ModelEntry | undefined): { text: string; title: string } {
  const label = model?.id ?? result.model;
  if (result.cost.usd === null || result.cost.perMTok === null) {
    return {
      text: `no price · ${label}`,
      title: `${label} has no input price in the catalog, so no cost is shown (not $0).`,
    };
  }
  const approx = result.method === 'estimate' ? '≈ ' : '';
  return {
    text: `${approx}${formatUsd(result.cost.usd)} input · ${label} ${formatPerMTok(result.cost.perMTok)}/1M`,
    title: `Cost of sending this text once as uncached input to ${model?.label ?? label}${
      model ? ` (price as of ${model.asOf})` : ''
    }`,
  };
}

/** The name of the screen shown instead of the prompt editor, or null when the editor shows. */
function useOtherScreen(): string | null {
  const bench = useBenchStore((s) => s.screen?.kind ?? null);
  const history = useHistoryStore((s) => s.open);
  if (history) return 'History';
  if (bench === 'golden') return 'Golden set';
  if (bench === 'bench') return 'Benchmark';
  return null;
}

/** The bottom bar: encoding, the exact token count of the editor's text, its cost, and the model picker. */
export function StatusBar() {
  const openPath = useEditorStore((s) => s.path);
  // the Benchmarks and History screens hide the prompt: its counts are not what the user looks at
  const otherScreen = useOtherScreen();
  const path = otherScreen ? null : openPath;
  const encoding = useEditorStore((s) => s.encoding);
  const characters = useEditorStore((s) => s.content.length);
  const { models, selectedModel, result, pending } = useTokensStore();
  const selectModel = useTokensStore((s) => s.selectModel);
  const groups = useMemo(() => groupByProvider(models), [models]);
  const selectId = useId();
  const model = models.find((m) => m.id === selectedModel);
  const shown = path !== null ? result : null;
  const cost = shown
    ? costText(
        shown,
        models.find((m) => m.id === shown.model),
      )
    : null;

  return (
    <footer className="status-bar" aria-label="Status">
      <div className="status-left">
        {path !== null ? (
          <>
            <span className="status-item">{ENCODING_LABELS[encoding]}</span>
            <span className="status-item">{formatInt(characters)} characters</span>
            <InvalidationNotice />
          </>
        ) : (
          <span className="status-item muted">{otherScreen ?? 'No file open'}</span>
        )}
      </div>
      <div className="status-right">
        <JobsStatus />
        <span className="status-counts" aria-live="polite">
          {path !== null && pending && (
            <span className="status-item counting" data-testid="token-pending">
              <span className="spinner" aria-hidden="true" />
              Counting…
            </span>
          )}
          {shown && (
            <span
              className="status-item strong"
              data-testid="token-count"
              data-tokens={shown.tokens}
              data-pending={pending ? 'true' : 'false'}
              title={countProvenance(shown)}
            >
              {shown.method === 'estimate' ? '≈ ' : ''}
              {formatInt(shown.tokens)} {shown.tokens === 1 ? 'token' : 'tokens'}
            </span>
          )}
          {cost && (
            <span
              className={shown?.cost.usd === null ? 'status-item warning' : 'status-item'}
              data-testid="token-cost"
              title={cost.title}
            >
              {cost.text}
            </span>
          )}
        </span>
        <label className="status-item model-picker" htmlFor={selectId}>
          <span className="visually-hidden">Model</span>
          <select
            id={selectId}
            data-testid="model-select"
            value={model ? selectedModel : ''}
            onChange={(e) => void selectModel(e.target.value)}
            disabled={models.length === 0}
          >
            {!model && <option value="">{models.length === 0 ? 'Loading models…' : 'Choose a model'}</option>}
            {groups.map(([provider, list]) => (
              <optgroup key={provider} label={providerLabel(provider)}>
                {list.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      </div>
    </footer>
  );
}
