import { useEffect, useMemo, useRef, useState } from 'react';
import { formatInt } from '../../lib/format';
import { useHistoryStore } from '../../stores/history';
import { buildTimeline, previewOf, useRowTokens, type TimelineRow } from './timelineModel';

const ROLE_LABEL: Record<TimelineRow['role'], string> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
};

/** JSON (tool arguments and most results) indented for reading; anything else as it is. */
function readable(text: string): string {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return text;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return text;
  }
}

/** A tool call's or result's pair number, coloured the same on both ends. */
function PairBadge({ pair }: { pair: number | null }) {
  if (pair === null) return <span className="pair-badge orphan">?</span>;
  return <span className={`pair-badge pair-${(pair - 1) % 6}`}>#{pair}</span>;
}

function Row({
  row,
  tokens,
  max,
  exact,
  expanded,
  onToggle,
  hotPair,
  onHover,
  onJump,
  summarised,
  highlighted,
}: {
  row: TimelineRow;
  tokens: number;
  max: number;
  exact: boolean;
  expanded: boolean;
  onToggle(): void;
  hotPair: number | null;
  onHover(pair: number | null): void;
  onJump(index: number): void;
  summarised: number;
  highlighted: boolean;
}) {
  const pairs = [...row.calls.map((c) => c.pair), ...row.results.map((r) => r.pair)];
  const hot = hotPair !== null && pairs.includes(hotPair);
  const preview = previewOf(row.prose) || (row.otherBlocks ? `(${row.otherBlocks} non-text blocks)` : '');
  const share = max > 0 ? tokens / max : 0;
  const classes = ['tl-row', `role-${row.role}`, hot ? 'pair-hot' : '', highlighted ? 'highlighted' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="timeline-row"
      data-index={row.index}
      data-role={row.role}
      data-tokens={tokens}
    >
      <div className="tl-meta">
        <span className={`tl-role ${row.role}`}>{ROLE_LABEL[row.role]}</span>
        {row.turn !== null && (
          <span className="tl-turn" title="The model call that wrote this message: a turn of the simulation">
            turn {row.turn}
          </span>
        )}
      </div>
      <div
        className="tl-size"
        title={`${exact ? '' : '≈ '}${formatInt(tokens)} tokens (o200k_base${exact ? '' : ', estimated from length while the tokenizer loads'}; text only, without framing)`}
      >
        <span className="tl-bar" aria-hidden="true">
          <span
            className="tl-bar-fill"
            style={{ width: `${Math.max(share * 100, tokens > 0 ? 1.5 : 0)}%` }}
          />
        </span>
        <span className="tl-tokens">
          {exact ? '' : '≈ '}
          {formatInt(tokens)}
        </span>
      </div>
      <div className="tl-body">
        {preview && (
          <button
            type="button"
            className="tl-toggle"
            aria-expanded={expanded}
            onClick={onToggle}
            data-testid="timeline-toggle"
          >
            {expanded ? 'Hide text' : <span className="tl-preview">{preview}</span>}
          </button>
        )}
        {expanded && row.prose && <pre className="tl-text">{row.prose}</pre>}
        {row.calls.map((c) => (
          <div
            key={c.pair}
            className="tl-tool call"
            data-testid="tool-call"
            data-pair={c.pair}
            onMouseEnter={() => onHover(c.pair)}
            onMouseLeave={() => onHover(null)}
          >
            <PairBadge pair={c.pair} />
            <span className="tl-tool-kind">call</span>
            <code className="tl-tool-name">{c.name}</code>
            {!expanded && (
              <button type="button" className="tl-args" title="Show the arguments in full" onClick={onToggle}>
                {previewOf(c.args, 90)}
              </button>
            )}
            {c.resultIndex !== null ? (
              <button type="button" className="link-button tl-jump" onClick={() => onJump(c.resultIndex!)}>
                result ↓
              </button>
            ) : (
              <span className="tl-warn" title="No tool result answers this call">
                no result
              </span>
            )}
            {expanded && !preview && (
              <button type="button" className="link-button tl-jump" onClick={onToggle}>
                hide
              </button>
            )}
            {expanded && <pre className="tl-text small">{readable(c.args)}</pre>}
          </div>
        ))}
        {row.results.map((r, i) => (
          <div
            key={`${r.toolUseId}-${i}`}
            className={r.isError ? 'tl-tool result error' : 'tl-tool result'}
            data-testid="tool-result"
            data-pair={r.pair ?? ''}
            onMouseEnter={() => onHover(r.pair)}
            onMouseLeave={() => onHover(null)}
          >
            <PairBadge pair={r.pair} />
            <span className="tl-tool-kind">{r.isError ? 'error' : 'result'}</span>
            {r.name && <code className="tl-tool-name">{r.name}</code>}
            {!expanded && (
              <button type="button" className="tl-args" title="Show the result in full" onClick={onToggle}>
                {previewOf(r.content, 90)}
              </button>
            )}
            {r.callIndex !== null ? (
              <button type="button" className="link-button tl-jump" onClick={() => onJump(r.callIndex!)}>
                call ↑
              </button>
            ) : (
              <span className="tl-warn" title={`No call ${r.toolUseId} before it`}>
                no call
              </span>
            )}
            {expanded && !preview && (
              <button type="button" className="link-button tl-jump" onClick={onToggle}>
                hide
              </button>
            )}
            {expanded && <pre className="tl-text small">{readable(r.content)}</pre>}
          </div>
        ))}
        {summarised > 0 && (
          <span className="tl-summary-mark" data-testid="timeline-summary-mark">
            summary written before this turn
          </span>
        )}
      </div>
    </li>
  );
}

/**
 * The selected conversation, one row per message: role, a token bar proportional to its size, tool calls and
 * their results paired by number (hover one to light up the other; jump between them), the text collapsible.
 */
export function Timeline({ focus }: { focus: { index: number; at: number } | null }) {
  const conversation = useHistoryStore((s) => s.conversation);
  const conversationId = useHistoryStore((s) => s.conversationId);
  const error = useHistoryStore((s) => s.conversationError);
  const simulation = useHistoryStore((s) => s.simulation);
  const rows = useMemo(() => (conversation ? buildTimeline(conversation) : []), [conversation]);
  const { tokens, exact } = useRowTokens(rows);
  const max = Math.max(0, ...tokens);
  const total = tokens.reduce((a, b) => a + b, 0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [hotPair, setHotPair] = useState<number | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // turns where the simulated policy wrote (or reused) a summary, by assistant message index
  const summaries = useMemo(() => {
    const out = new Map<number, number>();
    if (!simulation || simulation.input.conversationId !== conversationId) return out;
    const r = simulation.result;
    r.messageIndex.forEach((mi, t) => {
      const n = (r.policy.summariserCalls[t] ?? 0) + (r.policy.summariserCached[t] ?? 0);
      if (n > 0) out.set(mi, n);
    });
    return out;
  }, [simulation, conversationId]);

  useEffect(() => {
    setExpanded(new Set());
    setHighlight(null);
  }, [conversationId]);

  const jump = (index: number) => {
    setHighlight(index);
    listRef.current
      ?.querySelector<HTMLElement>(`[data-index="${index}"]`)
      ?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  };
  useEffect(() => {
    if (focus) jump(focus.index);
  }, [focus]);

  if (error)
    return (
      <p className="history-error" role="alert">
        {error.message} <code>{error.code}</code>
      </p>
    );
  if (!conversation) return conversationId ? <p className="history-note">Reading the conversation…</p> : null;
  const all = rows.every((r) => expanded.has(r.index));
  return (
    <section className="history-section timeline-section" aria-labelledby="timeline-title">
      <div className="timeline-head">
        <h2 className="history-section-title" id="timeline-title">
          Turn timeline
        </h2>
        <span className="history-note inline" data-testid="timeline-stats">
          {formatInt(conversation.messages.length)} messages · {exact ? '' : '≈ '}
          {formatInt(total)} tokens of text
        </span>
        <button
          type="button"
          className="link-button timeline-expand"
          onClick={() => setExpanded(all ? new Set() : new Set(rows.map((r) => r.index)))}
        >
          {all ? 'Collapse all' : 'Expand all'}
        </button>
      </div>
      <ol className="timeline" ref={listRef} data-testid="timeline">
        {rows.map((row, i) => (
          <Row
            key={row.index}
            row={row}
            tokens={tokens[i] ?? 0}
            max={max}
            exact={exact}
            expanded={expanded.has(row.index)}
            onToggle={() =>
              setExpanded((s) => {
                const next = new Set(s);
                if (!next.delete(row.index)) next.add(row.index);
                return next;
              })
            }
            hotPair={hotPair}
            onHover={setHotPair}
            onJump={jump}
            summarised={summaries.get(row.index) ?? 0}
            highlighted={highlight === row.index}
          />
        ))}
      </ol>
    </section>
  );
}
