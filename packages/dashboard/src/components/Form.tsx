import type { FormEvent, ReactNode, RefObject } from 'react';

interface FormProps {
  onSubmit: () => void;
  /** A message about the whole form (not one field); announced as it appears. */
  error?: string | null;
  formRef?: RefObject<HTMLFormElement | null>;
  testId?: string;
  className?: string;
  children: ReactNode;
}

/**
 * A native form (Enter submits) whose checks are ours: `noValidate` keeps the browser's
 * bubbles, which speak the browser's language rather than the one chosen here, out of the way.
 */
export function Form({ onSubmit, error, formRef, testId, className = 'space-y-5', children }: FormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form ref={formRef} noValidate onSubmit={submit} data-testid={testId} className={className}>
      <FormAlert message={error ?? null} />
      {children}
    </form>
  );
}

/** Always in the page, so screen readers are already listening when a message arrives. */
export function FormAlert({ message }: { message: string | null }) {
  return (
    <div
      role="alert"
      className={message ? 'rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800' : 'mb-0'}
    >
      {message && <bdi>{message}</bdi>}
    </div>
  );
}

/** Polite announcements for things that went well ("Saved."). */
export function StatusMessage({ message, testId }: { message: string | null; testId?: string }) {
  return (
    <p role="status" data-testid={testId} className="text-sm text-emerald-800">
      {message}
    </p>
  );
}

export function focusFirstInvalid(form: HTMLFormElement | null): void {
  // After React has painted the aria-invalid attributes.
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
