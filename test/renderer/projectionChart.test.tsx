import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectionChart, type ChartBar } from '../../src/renderer/src/features/costs/ProjectionChart';
import { resetApp } from './support/reset';

afterEach(resetApp);

const bar = (
  model: string,
  label: string,
  input: number,
  output: number,
  variant: ChartBar['variant'] = 'current',
): ChartBar => ({
  model,
  label,
  variant,
  total: input + output + 1.5,
  breakdown: { input, output, cache: 0.25, embeddings: 0.75, other: 0.5 },
});

describe('projection chart', () => {
  it('draws one stacked bar per model, scaled to the largest, and says every number', () => {
    render(
      <ProjectionChart
        period="30 days"
        bars={[
          bar('gpt-4o', 'GPT-4o', 84.24, 135),
          bar('gpt-4o', 'GPT-4o', 42, 135, 'compared'),
          { model: 'mystery-1', label: 'Mystery 1', variant: 'current', total: null, breakdown: null },
        ]}
      />,
    );
    const chart = screen.getByTestId('projection-chart');
    const bars = chart.querySelectorAll('[data-testid="projection-bar"]');
    expect([...bars].map((b) => `${b.getAttribute('data-model')}/${b.getAttribute('data-variant')}`)).toEqual(
      ['gpt-4o/current', 'gpt-4o/compared', 'mystery-1/current'],
    );
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Projected cost over 30 days by model. ' +
        'GPT-4o: $220.74 (input $84.24, output $135.00, cache $0.2500, embeddings $0.7500, other $0.5000); ' +
        'GPT-4o (compared prompt): $178.50 (input $42.00, output $135.00, cache $0.2500, embeddings $0.7500, other $0.5000); ' +
        'Mystery 1: no price.',
    );
    // The largest bar fills the track; segments follow the breakdown in order.
    const first = [...bars[0]!.querySelectorAll('rect.seg')];
    expect(first.map((r) => r.getAttribute('class'))).toEqual([
      'seg seg-input',
      'seg seg-output',
      'seg seg-cache',
      'seg seg-embeddings',
      'seg seg-other',
    ]);
    const track = Number(bars[0]!.querySelector('rect.chart-track')!.getAttribute('width'));
    const filled = first.reduce((sum, r) => sum + Number(r.getAttribute('width')), 0);
    expect(filled).toBeCloseTo(track, 0);
    expect(bars[2]!.querySelectorAll('rect.seg')).toHaveLength(0);
    expect(bars[2]!.textContent).toContain('no price');
    expect(chart.querySelector('figcaption')!.textContent).toBe('InputOutputCacheEmbeddingsOther');
  });
});
