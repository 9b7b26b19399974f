import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useDialogStore } from '../stores/dialog';

/** The app's modal question (not window.confirm): focus moves in, Tab stays inside, Escape cancels. */
export function ConfirmDialog() {
  const current = useDialogStore((s) => s.current);
  const answer = useDialogStore((s) => s.answer);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    if (!current) return;
    const before = document.activeElement as HTMLElement | null;
    dialogRef.current?.querySelector<HTMLElement>('[data-primary="true"]')?.focus();
    return () => before?.focus?.();
  }, [current]);

  if (!current) return null;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      answer(current.cancelId);
      return;
    }
    if (event.key !== 'Tab') return;
    const buttons = [...(dialogRef.current?.querySelectorAll<HTMLElement>('button') ?? [])];
    const first = buttons[0];
    const last = buttons[buttons.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && answer(current.cancelId)}
    >
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={messageId}
        data-testid="confirm-dialog"
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal-title">
          {current.title}
        </h2>
        <p id={messageId} className="modal-message">
          {current.message}
        </p>
        <div className="modal-actions">
          {current.choices.map((choice) => (
            <button
              key={choice.id}
              type="button"
              data-primary={choice.primary ? 'true' : undefined}
              className={
                choice.primary
                  ? 'button button-primary'
                  : choice.danger
                    ? 'button button-danger'
                    : 'button button-secondary'
              }
              onClick={() => answer(choice.id)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
