import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusBar } from '../../src/renderer/src/features/status/StatusBar';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useTokensStore } from '../../src/renderer/src/stores/tokens';
import { fakeCount, MODELS } from './support/fakeBackend';
import { resetApp } from './support/reset';

afterEach(resetApp);

beforeEach(() => {
  useEditorStore.getState().load({
    path: 'prompts/a.md',
    content: 'text',
    hash: 'h',
    mtimeMs: 0,
    size: 4,
    encoding: 'utf-8',
  });
  useTokensStore.setState({ models: MODELS, selectedModel: 'gpt-4o' });
});

function showCount(tokens: number, model: string, pending = false) {
  const base = fakeCount('', model);
  const perMTok = base.cost.perMTok;
  act(() =>
    useTokensStore.setState({
      pending,
      result: { ...base, tokens, cost: { usd: perMTok === null ? null : (tokens * perMTok) / 1e6, perMTok } },
    }),
  );
}

describe('status bar', () => {
  it('shows the exact count with thousands separators, its provenance and the raw integer', () => {
    render(<StatusBar />);
    showCount(1248, 'gpt-4o');
    const count = screen.getByTestId('token-count');
    expect(count.textContent).toBe('1,248 tokens');
    expect(count.dataset.tokens).toBe('1248');
    expect(count.title).toBe('exact — o200k_base via tiktoken (backend)');
  });

  it('shows the input cost with the model and its price per million tokens', () => {
    render(<StatusBar />);
    showCount(1248, 'gpt-4o');
    expect(screen.getByTestId('token-cost').textContent).toBe('$0.003120 input · gpt-4o $2.50/1M');
    showCount(20_000_000, 'gpt-4o-mini');
    expect(screen.getByTestId('token-cost').textContent).toBe('$3.00 input · gpt-4o-mini $0.15/1M');
  });

  it('reads "no price" for a model without a price, never $0', () => {
    render(<StatusBar />);
    showCount(500, 'mystery-1');
    const cost = screen.getByTestId('token-cost');
    expect(cost.textContent).toContain('no price');
    expect(cost.textContent).not.toMatch(/\$/);
    expect(cost.title).toMatch(/not \$0/);
  });

  it('marks an estimate with ≈ and says how it was made', () => {
    render(<StatusBar />);
    act(() =>
      useTokensStore.setState({
        result: { ...fakeCount('a b c', 'gpt-4o'), method: 'estimate', counter: 'gpt-tokenizer' },
      }),
    );
    const count = screen.getByTestId('token-count');
    expect(count.textContent).toBe('≈ 3 tokens');
    expect(count.title).toMatch(/^estimate — o200k_base via gpt-tokenizer/);
    expect(screen.getByTestId('token-cost').textContent).toMatch(/^≈ \$/);
  });

  it('says "Counting…" while a count is pending and keeps the last number dimmed', () => {
    render(<StatusBar />);
    showCount(10, 'gpt-4o', true);
    expect(screen.getByTestId('token-pending').textContent).toContain('Counting…');
    expect(screen.getByTestId('token-count').dataset.pending).toBe('true');
    showCount(11, 'gpt-4o', false);
    expect(screen.queryByTestId('token-pending')).toBeNull();
  });

  it('offers the catalog in a labelled model picker', () => {
    render(<StatusBar />);
    const select = screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect(select.dataset.testid).toBe('model-select');
    expect(select.value).toBe('gpt-4o');
    expect([...select.options].map((o) => o.value)).toEqual(['gpt-4o', 'gpt-4o-mini', 'mystery-1']);
  });

  it('shows no count when no file is open', () => {
    act(() => useEditorStore.getState().close());
    render(<StatusBar />);
    showCount(5, 'gpt-4o');
    expect(screen.queryByTestId('token-count')).toBeNull();
    expect(screen.getByText('No file open')).toBeTruthy();
  });
});
