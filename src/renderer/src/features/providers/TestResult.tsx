import type { TestState } from '../../stores/providers';
import { FormError } from '../models/FormError';
import { testLine } from './providerForms';

/** The outcome of the last "Test connection": running, connected (latency, models) or the coded error. */
export function TestResult({ test }: { test: TestState | undefined }) {
  if (!test) return null;
  if (test.state === 'running') {
    return (
      <p
        className="provider-test-running"
        role="status"
        data-testid="provider-test-result"
        data-state="running"
      >
        <span className="spinner" aria-hidden="true" />
        Testing the connection…
      </p>
    );
  }
  if (test.state === 'error') return <FormError error={test.error} testId="provider-test-error" />;
  return (
    <p className="form-success" role="status" data-testid="provider-test-result" data-state="ok">
      {testLine(test.result)}
    </p>
  );
}
