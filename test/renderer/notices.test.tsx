import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Notices } from '../../src/renderer/src/features/notices/Notices';
import { useNoticesStore } from '../../src/renderer/src/stores/notices';
import { resetApp } from './support/reset';

afterEach(resetApp);

describe('notices', () => {
  it('shows a coded error as an alert with its message and code', () => {
    render(<Notices />);
    act(() => {
      useNoticesStore
        .getState()
        .pushError({ code: 'ENCODING_INVALID', message: 'latin1.md is not valid UTF-8.' });
    });
    const alert = screen.getByRole('alert');
    expect(alert.dataset.testid).toBe('notice');
    expect(alert.dataset.code).toBe('ENCODING_INVALID');
    expect(alert.textContent).toContain('latin1.md is not valid UTF-8.');
    expect(alert.textContent).toContain('ENCODING_INVALID');
  });

  it('runs an action and closes the notice', () => {
    const run = vi.fn();
    render(<Notices />);
    act(() => {
      useNoticesStore.getState().push({
        kind: 'warning',
        code: 'FILE_CHANGED_ON_DISK',
        message: 'changed',
        actions: [{ label: 'Overwrite', run }],
      });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Overwrite' }));
    expect(run).toHaveBeenCalledOnce();
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('can be dismissed', () => {
    render(<Notices />);
    act(() => {
      useNoticesStore.getState().pushError({ code: 'FILE_NOT_FOUND', message: 'gone' });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
