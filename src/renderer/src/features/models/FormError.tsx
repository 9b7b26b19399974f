import type { ErrorPayload } from '../../../../shared/errors';
import { Icon } from '../../components/Icon';

/** A coded error shown inside a form (the server refused, or the check before sending did). */
export function FormError({ error, testId }: { error: ErrorPayload | null; testId: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId} data-code={error.code}>
      <Icon name="warning" />
      <span>
        <code>{error.code}</code> {error.message}
      </span>
    </p>
  );
}

/** The check before sending found problems: one line for the alert, the details stay next to the fields. */
export function clientError(count: number): ErrorPayload {
  return {
    code: 'INVALID_INPUT',
    message: `${count === 1 ? 'One field needs' : `${count} fields need`} fixing before this can be saved; nothing was sent.`,
  };
}
