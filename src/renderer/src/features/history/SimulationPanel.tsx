import { useId } from 'react';
import type { SimulationResult } from '../../../../core/history/simulate';
import { simulate } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatUsd } from '../../lib/format';
import { useHistoryStore } from '../../stores/history';
import { useTokensStore } from '../../stores/tokens';
import { shortUsd } from '../bench/viewModel';
import { ModelSelect } from './fields';
import { checkPolicy } from './policyModel';
import { SimulationChart } from './SimulationChart';

/** The target model, prompt caching, and Simulate (with why it cannot run yet). */
export function SimulateBar() {
  const models = useTokensStore((s) => s.models);
  const picked = useHistoryStore((s) => s.model);
  const selected = useTokensStore((s) => s.selectedModel);
  const model = picked ?? selected;
  const setModel = useHistoryStore((s) => s.setModel);
  const caching = useHistoryStore((s) => s.caching);
  const setCaching = useHistoryStore((s) => s.setCaching);
  const simulating = useHistoryStore((s) => s.simulating);
  const conversation = useHistoryStore((s) =>
    s.summary?.conversations.find((c) => c.id === s.conversationId),
  );
  const policy = useHistoryStore((s) => s.policy);
  const modelId = useId();
  const cachingId = useId();
  const valid = checkPolicy(policy).ok;
  const summarisers = policy.steps.flatMap((s) =>
    s.type === 'summarise' && s.enabled !== false ? [s.model] : [],
  );
  const reason = !conversation
    ? 'Open a history and pick a conversation first.'
    : !valid
      ? 'Fix the policy first (see the message above).'
      : null;
  return (
    <section className="history-card simulate-card" aria-label="Simulate">
      <div className="simulate-row">
        <div className="hfield grow-field">
          <label
            className="hfield-label"
            htmlFor={modelId}
            title="Its prices, prompt-caching rules and context window are used"
          >
            Target model
          </label>
          <ModelSelect id={modelId} models={models} value={model} onChange={setModel} testId="target-model" />
        </div>
        <label className="hcheck" htmlFor={cachingId} title="Model the provider's prompt caching">
          <input
            id={cachingId}
            type="checkbox"
            checked={caching}
            onChange={(e) => setCaching(e.target.checked)}
            data-testid="simulate-caching"
          />
          Prompt caching
        </label>
        <button
          type="button"
          className="button button-primary"
          disabled={reason !== null || simulating}
          onClick={() => void simulate()}
          data-testid="simulate-button"
        >
          <Icon name="play" />
          {simulating ? 'Simulating…' : 'Simulate'}
        </button>
      </div>
      <p className="history-note">
        {reason ??
          `Replays ${conversation?.title ?? conversation?.id} turn by turn, once as is and once with the policy, priced for ${model}. ${
            summarisers.length
              ? `The summarise step calls ${[...new Set(summarisers)].join(', ')} through your model providers (summaries are cached: a re-run costs nothing).`
              : 'No model is called.'
          }`}
      </p>
    </section>
  );
}

function Figure({
  label,
  value,
  detail,
  testId,
  tone,
  title,
}: {
  label: string;
  value: string;
  detail?: string;
  testId: string;
  tone?: 'good' | 'bad';
  title?: string;
}) {
  return (
    <div className={tone ? `sim-figure ${tone}` : 'sim-figure'} title={title}>
      <dt>{label}</dt>
      <dd>
        <span className="sim-figure-value" data-testid={testId}>
          {value}
        </span>
        {detail && <span className="sim-figure-detail">{detail}</span>}
      </dd>
    </div>
  );
}

function PerTurnTable({ r }: { r: SimulationResult }) {
  return (
    <details className="sim-table-details">
      <summary>Per-turn figures</summary>
      <div className="sim-table-wrap">
        <table className="history-table sim-table">
          <thead>
            <tr>
              <th scope="col">Turn</th>
              <th scope="col" className="num">
                Original in
              </th>
              <th scope="col" className="num">
                Policy in
              </th>
              <th scope="col" className="num">
                Cache reads
              </th>
              <th scope="col" className="num">
                Original
              </th>
              <th scope="col" className="num">
                Policy
              </th>
              <th scope="col" className="num">
                Summariser
              </th>
            </tr>
          </thead>
          <tbody>
            {r.turn.map((turn, t) => (
              <tr key={turn} className={r.policy.overBudget[t] ? 'over-budget' : undefined}>
                <th scope="row">{turn}</th>
                <td className="num">{formatInt(r.original.inputTokens[t]!)}</td>
                <td className="num">{formatInt(r.policy.inputTokens[t]!)}</td>
                <td className="num">
                  {formatInt(r.original.cacheReadTokens[t]!)} / {formatInt(r.policy.cacheReadTokens[t]!)}
                </td>
                <td className="num">{shortUsd(r.original.costUsd[t]!)}</td>
                <td className="num">{shortUsd(r.policy.costUsd[t]!)}</td>
                <td className="num">
                  {r.policy.summariserCalls[t]! + r.policy.summariserCached[t]! > 0
                    ? `${shortUsd(r.policy.summariserUsd[t]!)}${r.policy.summariserCached[t] ? ' (cached)' : ''}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * The simulation's answer: what the policy saves (money, tokens), when it breaks even, what its summariser
 * cost, the chart, and the notes on how the numbers were made. Marked out of date after an edit.
 */
export function SimulationResultView({ onPickTurn }: { onPickTurn?(messageIndex: number): void }) {
  const simulation = useHistoryStore((s) => s.simulation);
  const error = useHistoryStore((s) => s.simulationError);
  const path = useHistoryStore((s) => s.path);
  const conversationId = useHistoryStore((s) => s.conversationId);
  const policy = useHistoryStore((s) => s.policy);
  const caching = useHistoryStore((s) => s.caching);
  const picked = useHistoryStore((s) => s.model);
  const selected = useTokensStore((s) => s.selectedModel);
  const models = useTokensStore((s) => s.models);
  if (!simulation || simulation.input.path !== path) {
    if (!error) return null;
    return (
      <p className="history-error" role="alert" data-testid="simulation-error">
        <Icon name="warning" />
        <span>{error.message}</span> <code>{error.code}</code>
      </p>
    );
  }
  const { result: r, input } = simulation;
  const s = r.summary;
  const stale =
    conversationId !== input.conversationId ||
    (picked ?? selected) !== input.model ||
    caching !== input.caching ||
    JSON.stringify(policy) !== input.policyJson;
  const label = models.find((m) => m.id === r.model)?.label ?? r.model;
  const saved = s.savedUsd;
  const calls = s.policy.summariserCalls;
  const cached = s.policy.summariserCached;
  return (
    <section
      className="history-card sim-result"
      aria-labelledby="sim-title"
      data-testid="simulation-result"
      data-stale={stale}
    >
      <header className="card-head">
        <h2 className="history-section-title" id="sim-title">
          Simulation
        </h2>
        <span className="sim-context">
          {r.policyName ?? 'Policy'} on {label} · {input.conversationId} · {s.turns} turns
        </span>
      </header>
      {stale && (
        <p className="history-stale" data-testid="simulation-stale">
          Out of date: the policy, the model or the conversation changed since. Simulate again to update.
        </p>
      )}
      {error && (
        <p className="history-error" role="alert" data-testid="simulation-error">
          <Icon name="warning" />
          <span>{error.message}</span> <code>{error.code}</code>
        </p>
      )}
      <dl className="sim-figures">
        <Figure
          label={saved >= 0 ? 'Saved' : 'Costs more'}
          value={formatPercent(Math.abs(s.savedFraction))}
          detail={`${formatUsd(Math.abs(saved))} of ${formatUsd(s.original.costUsd)}`}
          tone={saved > 0 ? 'good' : saved < 0 ? 'bad' : undefined}
          testId="sim-saved"
          title={`Original ${formatUsd(s.original.costUsd)}, with the policy ${formatUsd(s.policy.costUsd)} (summariser included), at catalog prices`}
        />
        <Figure
          label="Input tokens saved"
          value={formatInt(s.savedInputTokens)}
          detail={`${formatInt(s.original.inputTokens)} → ${formatInt(s.policy.inputTokens)}`}
          testId="sim-tokens"
          title={`Peak request: ${formatInt(s.original.peakInputTokens)} → ${formatInt(s.policy.peakInputTokens)} tokens`}
        />
        <Figure
          label="Break-even"
          value={s.breakEvenTurn === null ? 'never' : `turn ${s.breakEvenTurn}`}
          detail={s.breakEvenTurn === null ? 'the policy never gets cheaper' : `of ${s.turns}`}
          testId="sim-break-even"
          title="The first turn from which the policy's cumulative cost stays below the original's"
        />
        <Figure
          label="Summariser"
          value={`${formatInt(calls)} ${calls === 1 ? 'call' : 'calls'}`}
          detail={`${cached ? `+${formatInt(cached)} cached · ` : ''}${formatUsd(s.policy.summariserUsd)}`}
          testId="sim-summariser"
          title="Calls to the summariser model, and what they cost as the provider reported it; cached summaries cost nothing"
        />
        <Figure
          label="Over budget"
          value={`${formatInt(s.overBudgetTurns)} ${s.overBudgetTurns === 1 ? 'turn' : 'turns'}`}
          tone={s.overBudgetTurns > 0 ? 'bad' : undefined}
          testId="sim-over-budget"
          title="Turns where the policy could not meet its budget without breaking a tool call or the provider's rules"
        />
        <Figure
          label="Peak request"
          value={formatInt(s.policy.peakInputTokens)}
          detail={`was ${formatInt(s.original.peakInputTokens)}`}
          testId="sim-peak"
          title="The largest request of the conversation, in input tokens"
        />
      </dl>
      <SimulationChart
        result={r}
        onPickTurn={onPickTurn ? (t) => onPickTurn(r.messageIndex[t]!) : undefined}
      />
      <PerTurnTable r={r} />
      <ul className="sim-notes" data-testid="simulation-notes">
        <li>
          Token counts: {s.method === 'exact' ? 'exact' : 'estimated'}; costs at catalog prices for {r.model}{' '}
          ({r.provider} request rules; caching: {r.caching}).
        </li>
        {s.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </section>
  );
}
