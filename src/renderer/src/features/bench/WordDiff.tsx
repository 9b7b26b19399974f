import { useMemo } from 'react';
import { diffHunks } from '../../../../core/compression/wordDiff';

export interface DiffPart {
  text: string;
  kind: 'same' | 'del' | 'ins';
}

/** Both sides of a word diff: the baseline's text with what went, the other with what came. */
export function wordDiffSides(before: string, after: string): { left: DiffPart[]; right: DiffPart[] } {
  const left: DiffPart[] = [];
  const right: DiffPart[] = [];
  let at = 0;
  for (const h of diffHunks(before, after)) {
    if (h.start > at) {
      const same = before.slice(at, h.start);
      left.push({ text: same, kind: 'same' });
      right.push({ text: same, kind: 'same' });
    }
    if (h.end > h.start) left.push({ text: before.slice(h.start, h.end), kind: 'del' });
    if (h.after) right.push({ text: h.after, kind: 'ins' });
    at = h.end;
  }
  if (at < before.length) {
    const same = before.slice(at);
    left.push({ text: same, kind: 'same' });
    right.push({ text: same, kind: 'same' });
  }
  return { left, right };
}

function Parts({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'del' ? (
          <del key={i}>{p.text}</del>
        ) : p.kind === 'ins' ? (
          <ins key={i}>{p.text}</ins>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** The baseline's answer next to this one, with the words that differ marked on each side. */
export function WordDiff({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}) {
  const sides = useMemo(() => wordDiffSides(before, after), [before, after]);
  const same = before === after;
  return (
    <div className="word-diff" data-testid="word-diff" data-same={same}>
      <div className="word-diff-side">
        <div className="word-diff-label">{beforeLabel}</div>
        <pre className="output-text" data-testid="diff-baseline">
          <Parts parts={sides.left} />
        </pre>
      </div>
      <div className="word-diff-side">
        <div className="word-diff-label">
          {afterLabel}
          {same && <span className="bench-tag">same words</span>}
        </div>
        <pre className="output-text" data-testid="diff-output">
          <Parts parts={sides.right} />
        </pre>
      </div>
    </div>
  );
}
