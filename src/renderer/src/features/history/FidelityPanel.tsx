import { useId } from 'react';
import type { FidelitySide } from '../../../../shared/history';
import { runFidelity, suggestQuestions } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatUsd } from '../../lib/format';
import { useHistoryStore } from '../../stores/history';
import { useTokensStore } from '../../stores/tokens';
import { ModelSelect, NumberInput } from './fields';

function Recall({ side, testId }: { side: FidelitySide; testId: string }) {
  const total = side.answers.length;
  return (
    <span data-testid={testId}>
      <strong>{formatPercent(side.recall)}</strong>{' '}
      <span className="muted">
        ({side.passed}/{total})
      </span>
    </span>
  );
}

function Answer({ text, pass }: { text: string | null; pass: boolean }) {
  return (
    <span className={pass ? 'fid-answer pass' : 'fid-answer fail'}>
      <Icon name={pass ? 'check' : 'close'} />
      {text ?? '(no answer)'}
    </span>
  );
}

/**
 * Planted-fact recall: questions about early turns, asked after the whole conversation and after the
 * policy's version of it, on one or more models. Shows recall per side, the cost, and every answer.
 */
export function FidelityPanel() {
  const questions = useHistoryStore((s) => s.fidelityQuestions);
  const setQuestions = useHistoryStore((s) => s.setFidelityQuestions);
  const chosen = useHistoryStore((s) => s.fidelityModels);
  const setModels = useHistoryStore((s) => s.setFidelityModels);
  const budget = useHistoryStore((s) => s.fidelityBudgetUsd);
  const setBudget = useHistoryStore((s) => s.setFidelityBudget);
  const running = useHistoryStore((s) => s.fidelityRunning);
  const fidelity = useHistoryStore((s) => s.fidelity);
  const error = useHistoryStore((s) => s.fidelityError);
  const conversation = useHistoryStore((s) => s.conversation);
  const conversationId = useHistoryStore((s) => s.conversationId);
  const picked = useHistoryStore((s) => s.model);
  const selected = useTokensStore((s) => s.selectedModel);
  const catalog = useTokensStore((s) => s.models);
  const addId = useId();
  const models = chosen.length ? chosen : [picked ?? selected];
  const ready = questions.some((q) => q.question.trim() && q.expected.trim());
  const update = (i: number, patch: Partial<(typeof questions)[number]>) =>
    setQuestions(questions.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const shown = fidelity && fidelity.input.conversationId === conversationId ? fidelity.result : null;

  return (
    <details className="history-card fidelity" data-testid="fidelity-panel">
      <summary className="card-head">
        <h2 className="history-section-title">Recall check</h2>
        <span className="sim-context">Does the model still know early facts after the policy?</span>
      </summary>
      <p className="history-note">
        Each question is asked after the whole conversation and after the policy&apos;s version of it. Write
        questions whose answer was stated early (an id, a date, an amount).
      </p>
      <ol className="fid-questions">
        {questions.map((q, i) => (
          <li key={i} className="fid-question" data-testid="fidelity-question">
            {/* a question is a sentence: it wraps and the box grows with it, never cut off */}
            <textarea
              className="input fid-q-input"
              aria-label={`Question ${i + 1}`}
              placeholder="Question"
              rows={2}
              value={q.question}
              onChange={(e) => update(i, { question: e.target.value })}
            />
            <span className="fid-expected-label" aria-hidden="true">
              expected answer
            </span>
            <input
              className="input fid-expected"
              aria-label={`Expected answer ${i + 1}`}
              placeholder="Expected answer"
              value={q.expected}
              onChange={(e) => update(i, { expected: e.target.value })}
            />
            <button
              type="button"
              className="button button-ghost icon-button small"
              aria-label={`Remove question ${i + 1}`}
              onClick={() => setQuestions(questions.filter((_, j) => j !== i))}
            >
              <Icon name="close" />
            </button>
          </li>
        ))}
      </ol>
      <div className="fid-actions">
        <button
          type="button"
          className="button button-ghost small"
          onClick={() => setQuestions([...questions, { question: '', expected: '' }])}
        >
          <Icon name="plus" />
          Add question
        </button>
        <button
          type="button"
          className="button button-ghost small"
          disabled={!conversation}
          title="Questions about ids and numbers in the conversation's early tool calls"
          onClick={() =>
            conversation && setQuestions([...questions, ...suggestQuestions(conversation.messages)])
          }
          data-testid="fidelity-suggest"
        >
          Suggest from the conversation
        </button>
      </div>
      <div className="fid-models">
        <span className="hfield-label">Models</span>
        <span className="fid-chips">
          {models.map((m) => (
            <span key={m} className="fid-chip">
              {m}
              {chosen.length > 0 && (
                <button
                  type="button"
                  className="fid-chip-remove"
                  aria-label={`Remove ${m}`}
                  onClick={() => setModels(chosen.filter((x) => x !== m))}
                >
                  <Icon name="close" />
                </button>
              )}
            </span>
          ))}
        </span>
        <ModelSelect
          id={addId}
          models={catalog.filter((m) => !models.includes(m.id))}
          value=""
          ariaLabel="Add a model"
          placeholder="Add a model…"
          onChange={(id) => id && setModels([...new Set([...models, id])])}
        />
      </div>
      <div className="fid-run">
        <NumberInput
          label="Budget cap ($)"
          hint="Refused before any call when the worst case is above this"
          value={budget}
          min={0}
          step="any"
          onChange={(v) => setBudget(v ?? 0)}
          className="narrow"
        />
        <button
          type="button"
          className="button button-primary"
          disabled={!ready || running || !conversationId}
          onClick={() => void runFidelity()}
          data-testid="fidelity-run"
        >
          {running ? 'Asking…' : 'Check recall'}
        </button>
        <span className="history-note inline">
          {formatInt(questions.filter((q) => q.question.trim()).length * models.length * 2)} requests to the
          models, through your providers.
        </span>
      </div>
      {error && (
        <p className="history-error" role="alert" data-testid="fidelity-error">
          <Icon name="warning" />
          <span>{error.message}</span> <code>{error.code}</code>
        </p>
      )}
      {shown && (
        <div className="fid-result" data-testid="fidelity-result">
          <table className="history-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Original</th>
                <th scope="col">With the policy</th>
                <th scope="col" className="num">
                  History tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.models.map((m) => (
                <tr key={m.model} data-testid="fidelity-row" data-model={m.model}>
                  <th scope="row">{m.model}</th>
                  <td>
                    <Recall side={m.original} testId="fidelity-original" />
                  </td>
                  <td>
                    <Recall side={m.policy} testId="fidelity-policy" />
                  </td>
                  <td className="num">
                    {formatInt(m.original.historyTokens)} → {formatInt(m.policy.historyTokens)}
                  </td>
                  <td className="num">{formatUsd(m.original.costUsd + m.policy.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.models.map((m) => (
            <details key={m.model} className="fid-answers">
              <summary>Answers of {m.model}</summary>
              <ol>
                {m.original.answers.map((a, i) => (
                  <li key={i}>
                    <div className="fid-q">
                      {a.question} <span className="muted">expected: {a.expected}</span>
                    </div>
                    <div className="fid-pair">
                      <span className="muted">original</span>
                      <Answer text={a.output} pass={a.pass} />
                      <span className="muted">policy</span>
                      <Answer
                        text={m.policy.answers[i]?.output ?? null}
                        pass={m.policy.answers[i]?.pass ?? false}
                      />
                    </div>
                  </li>
                ))}
              </ol>
            </details>
          ))}
          <p className="history-note">
            Spent {formatUsd(shown.spentUsd)} (estimated at most {formatUsd(shown.estimateUsd)} before
            sending).
          </p>
          {shown.notes.length > 0 && (
            <ul className="sim-notes">
              {shown.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
