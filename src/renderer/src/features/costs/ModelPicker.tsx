import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import { Icon } from '../../components/Icon';
import { formatPerMTok } from '../../lib/format';
import { groupByProvider, providerLabel, providerLine, searchModels } from '../../lib/providers';
import { useCatalogStore } from '../../stores/catalog';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { useTokensStore } from '../../stores/tokens';

function priceText(m: ModelEntry): string {
  if (m.inputPerMTok === null) return 'no price';
  const out = m.outputPerMTok === null ? 'no price' : formatPerMTok(m.outputPerMTok);
  return `${formatPerMTok(m.inputPerMTok)} / ${out}`;
}

/**
 * The models compared in the panel: chips to remove, and a search box over the catalog (a combobox with
 * a grouped listbox; arrows move, Enter adds, Escape closes, Backspace on an empty box removes the last).
 */
export function ModelPicker() {
  const catalog = useTokensStore((s) => s.models);
  const ids = useModelSelectionStore((s) => s.ids);
  const add = useModelSelectionStore((s) => s.add);
  const remove = useModelSelectionStore((s) => s.remove);
  const openModels = useCatalogStore((s) => s.openDialog);
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const listId = `${baseId}-list`;
  const optionId = (i: number) => `${baseId}-opt-${i}`;

  const byId = useMemo(() => new Map(catalog.map((m) => [m.id, m])), [catalog]);
  const options = useMemo(() => searchModels(catalog, query, ids), [catalog, query, ids]);
  const groups = useMemo(() => groupByProvider(options), [options]);
  const activeIndex = Math.min(active, Math.max(0, options.length - 1));
  const showList = expanded && catalog.length > 0;

  useEffect(() => {
    if (!showList) return;
    listRef.current
      ?.querySelector<HTMLElement>(`#${CSS.escape(optionId(activeIndex))}`)
      ?.scrollIntoView?.({ block: 'nearest' });
  }, [activeIndex, showList]);

  const choose = (m: ModelEntry | undefined) => {
    if (!m) return;
    add(m.id);
    setQuery('');
    setActive(0);
    setExpanded(false);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (!expanded) setExpanded(true);
        else setActive(Math.min(options.length - 1, activeIndex + 1));
        break;
      case 'ArrowUp':
        setActive(Math.max(0, activeIndex - 1));
        break;
      case 'Enter':
        if (!expanded && query === '') return;
        choose(options[activeIndex]);
        break;
      case 'Escape':
        if (expanded) setExpanded(false);
        else if (query) setQuery('');
        else return;
        break;
      case 'Backspace':
        if (query !== '' || ids.length === 0) return;
        remove(ids[ids.length - 1]!);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  let index = -1;
  return (
    <div className="model-picker-field" data-testid="model-picker">
      <div className="picker-head">
        <div className="field-label" aria-hidden="true">
          Models
        </div>
        <button
          type="button"
          className="link-button picker-settings"
          title="Override a price, add a model, import LiteLLM prices"
          data-testid="open-models-dialog"
          onClick={openModels}
        >
          <Icon name="settings" />
          Models…
        </button>
      </div>
      <div className="chips" role="list" aria-label="Compared models">
        {ids.map((id) => {
          const m = byId.get(id);
          return (
            <span
              key={id}
              className="chip"
              role="listitem"
              data-testid="model-chip"
              data-model={id}
              title={m ? `${id} · ${providerLine(m)}` : id}
            >
              <span className={`provider-dot provider-${m?.provider ?? 'other'}`} aria-hidden="true" />
              {m?.label ?? id}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${m?.label ?? id}`}
                onClick={() => remove(id)}
              >
                <Icon name="close" />
              </button>
            </span>
          );
        })}
      </div>
      <div className="combo">
        <Icon name="search" className="combo-icon" />
        <input
          ref={inputRef}
          id={`${baseId}-input`}
          className="input combo-input"
          type="text"
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && options.length > 0 ? optionId(activeIndex) : undefined}
          aria-label="Add a model"
          placeholder={catalog.length ? 'Add a model: name, provider or host…' : 'Loading the catalog…'}
          spellCheck={false}
          autoComplete="off"
          data-testid="model-picker-input"
          value={query}
          disabled={catalog.length === 0}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            setExpanded(true);
          }}
          onFocus={() => setExpanded(true)}
          onClick={() => setExpanded(true)}
          onBlur={() => setExpanded(false)}
          onKeyDown={onKeyDown}
        />
        {showList && (
          <div
            className="combo-list"
            id={listId}
            // not a Tab stop of its own (a scrolling box would be one): the options are reached from the search box
            tabIndex={-1}
            role="listbox"
            aria-label="Catalog models"
            ref={listRef}
            onMouseDown={(e) => e.preventDefault()} // keeps the focus (and the list) in the search box
          >
            {options.length === 0 && (
              <div className="combo-empty">
                {query ? `No model matches “${query}”.` : 'Every model is already compared.'}
              </div>
            )}
            {groups.map(([provider, list]) => (
              <div role="group" key={provider} aria-labelledby={`${baseId}-g-${provider}`}>
                <div className="combo-group" id={`${baseId}-g-${provider}`}>
                  {providerLabel(provider)}
                </div>
                {list.map((m) => {
                  index += 1;
                  const i = index;
                  return (
                    <div
                      key={m.id}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === activeIndex}
                      className={i === activeIndex ? 'combo-option active' : 'combo-option'}
                      data-testid="model-option"
                      data-model={m.id}
                      onMouseMove={() => i !== activeIndex && setActive(i)}
                      onClick={() => choose(m)}
                    >
                      <span className="combo-option-main">
                        <span className="combo-option-label">{m.label}</span>
                        <span className="combo-option-id">
                          {m.id}
                          {m.host ? ` · ${providerLabel(m.host)}` : ''}
                        </span>
                      </span>
                      <span
                        className={
                          m.inputPerMTok === null ? 'combo-option-price warning' : 'combo-option-price'
                        }
                        title="Input / output price per million tokens"
                      >
                        {priceText(m)}
                      </span>
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
