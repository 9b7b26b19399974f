import type { ModelEntry } from '../../../../core/pricing/catalog';
import { Icon } from '../../components/Icon';
import { formatPerMTok } from '../../lib/format';
import { providerLine } from '../../lib/providers';
import { formatWindow, isAddedEntry, userEntryFor } from './modelForms';
import { OverrideForm } from './OverrideForm';

const COLUMNS = 10;

function PriceCell({ value, required }: { value: number | null | undefined; required?: boolean }) {
  if (value === null || (value === undefined && required)) {
    return (
      <td className="num no-price" title="No price in the catalog: left out of totals, never $0">
        no price
      </td>
    );
  }
  if (value === undefined) {
    return (
      <td className="num muted" title="Not in the catalog for this model">
        —
      </td>
    );
  }
  return <td className="num">{formatPerMTok(value)}</td>;
}

function BatchCell({ model }: { model: ModelEntry }) {
  const { batchInputPerMTok: input, batchOutputPerMTok: output } = model;
  if (input == null && output == null) {
    return (
      <td className="num muted" title="No batch price in the catalog">
        —
      </td>
    );
  }
  const show = (v: number | null | undefined) => (v == null ? '—' : formatPerMTok(v));
  return (
    <td className="num" title="Batch input / output per 1M tokens">
      {show(input)} / {show(output)}
    </td>
  );
}

type Origin = 'bundled' | 'litellm' | 'user';
const ORIGIN_LABELS: Record<Origin, string> = { bundled: 'bundled', litellm: 'LiteLLM', user: 'yours' };

function originTitle(origin: Origin, entry: Record<string, unknown> | undefined): string {
  if (origin === 'bundled') return 'From the catalog that ships with PromptPress';
  if (origin === 'litellm') return 'From your LiteLLM price import';
  if (isAddedEntry(entry)) return 'A model you added';
  const fields = Object.keys(entry ?? {}).filter((k) => k !== 'id');
  return `Your override of ${fields.join(', ') || 'this model'}`;
}

export interface CatalogTableProps {
  models: ModelEntry[];
  userModels: readonly unknown[];
  /** The model whose override form is open. */
  overriding: string | null;
  onOverride(id: string | null, message?: string): void;
  onReset(model: ModelEntry): void;
  onEdit(entry: Record<string, unknown>): void;
  busy: boolean;
}

/** The catalog in force, one row per model, with the override form opening under its row. */
export function CatalogTable({
  models,
  userModels,
  overriding,
  onOverride,
  onReset,
  onEdit,
  busy,
}: CatalogTableProps) {
  return (
    <table className="catalog-table" data-testid="catalog-table">
      <colgroup>
        <col className="col-model" />
        <col className="col-price" />
        <col className="col-price" />
        <col className="col-price" />
        <col className="col-batch" />
        <col className="col-window" />
        <col className="col-count" />
        <col className="col-origin" />
        <col className="col-source" />
        <col className="col-actions" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="num" title="Uncached input, $ per 1M tokens">
            Input
          </th>
          <th scope="col" className="num" title="Output, $ per 1M tokens">
            Output
          </th>
          <th scope="col" className="num" title="Input read from the prompt cache, $ per 1M tokens">
            Cache read
          </th>
          <th scope="col" className="num" title="Batch API input / output, $ per 1M tokens">
            Batch in / out
          </th>
          <th scope="col" className="num" title="Context window in tokens">
            Context
          </th>
          <th scope="col" title="How PromptPress counts this model's tokens">
            Count
          </th>
          <th scope="col">Origin</th>
          <th scope="col" title="The pricing page and the date of the price">
            Source
          </th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => {
          const entry = userEntryFor(userModels, m.id);
          const origin: Origin = m.origin ?? 'bundled';
          const added = isAddedEntry(entry);
          const open = overriding === m.id;
          return [
            <tr
              key={m.id}
              className={open ? 'catalog-row open' : 'catalog-row'}
              data-testid="catalog-row"
              data-model={m.id}
              data-origin={origin}
            >
              <th scope="row" className="catalog-model">
                <span className="catalog-model-line">
                  <span className={`provider-dot provider-${m.provider}`} aria-hidden="true" />
                  <span className="catalog-model-label">{m.label}</span>
                </span>
                <span className="catalog-model-id" title={`${m.id} · ${providerLine(m)}`}>
                  {m.id} · {providerLine(m)}
                </span>
              </th>
              <PriceCell value={m.inputPerMTok} required />
              <PriceCell value={m.outputPerMTok} required />
              <PriceCell value={m.cacheReadPerMTok} />
              <BatchCell model={m} />
              <td className="num" title={`${new Intl.NumberFormat('en-US').format(m.contextWindow)} tokens`}>
                {formatWindow(m.contextWindow)}
              </td>
              <td
                className={m.tokenCountMethod === 'estimate' ? 'estimate' : undefined}
                title={
                  m.tokenCountMethod === 'exact'
                    ? `exact — counted with ${m.countWith}, the model's own tokenizer`
                    : `≈ estimate — ${m.countWith} stand-in for the ${m.tokenizer} tokenizer`
                }
              >
                {m.tokenCountMethod === 'exact' ? 'exact' : '≈ est.'}
              </td>
              <td>
                <span
                  className={`origin-badge origin-${origin}`}
                  data-testid="origin-badge"
                  title={originTitle(origin, entry)}
                >
                  {ORIGIN_LABELS[origin]}
                </span>
              </td>
              <td className="catalog-source">
                <a href={m.source} target="_blank" rel="noreferrer noopener" title={`${m.source}`}>
                  {m.asOf}
                  <Icon name="external" />
                </a>
              </td>
              <td className="catalog-actions">
                {added ? (
                  <>
                    <button
                      type="button"
                      className="button button-ghost small"
                      aria-label={`Edit ${m.label}`}
                      disabled={busy}
                      onClick={() => onEdit(entry!)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-ghost small danger-text"
                      aria-label={`Remove ${m.label}`}
                      disabled={busy}
                      onClick={() => onReset(m)}
                    >
                      Remove
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      className={open ? 'button button-ghost small active' : 'button button-ghost small'}
                      aria-label={`Override price of ${m.label}`}
                      aria-expanded={open}
                      data-override-for={m.id}
                      disabled={busy}
                      onClick={() => onOverride(open ? null : m.id)}
                    >
                      Override
                    </button>
                    {entry && (
                      <button
                        type="button"
                        className="button button-ghost small"
                        aria-label={`Reset ${m.label} to the catalog's prices`}
                        title="Remove your override"
                        disabled={busy}
                        onClick={() => onReset(m)}
                      >
                        Reset
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>,
            open && (
              <tr key={`${m.id}-override`} className="override-row">
                <td colSpan={COLUMNS}>
                  <OverrideForm model={m} existing={entry} onClose={(message) => onOverride(null, message)} />
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}
