import { type ReactNode, useId } from 'react';
import { fieldClass } from '../components/FieldShell.tsx';

/**
 * A compact labelled control for the rule rows; `children` gets the control's id, what describes it
 * (hint, error) and whether it is invalid. An error is what is missing or what the server refused
 * here, with `field` its name in the condition (`window.from`) for tests and people reading the DOM.
 */
export function Labelled({
  label,
  hint,
  error,
  field,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  field?: string | undefined;
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="min-w-36 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      {children(id, described || undefined, error !== undefined)}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      )}
      {error && (
        <p
          id={`${id}-error`}
          role="alert"
          data-testid="condition-error"
          data-field={field}
          className="max-w-xs rounded bg-red-50 px-2 py-1 text-xs text-red-800"
        >
          <bdi>{error}</bdi>
        </p>
      )}
    </div>
  );
}

export const inputClass = `${fieldClass} border-zinc-300`;
const invalidClass = `${fieldClass} border-red-500`;

export function Select({
  label,
  value,
  onChange,
  options,
  testId,
  hint,
  error,
  field,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  testId?: string;
  hint?: string | undefined;
  error?: string | undefined;
  field?: string | undefined;
}) {
  return (
    <Labelled label={label} hint={hint} error={error} field={field}>
      {(id, describedBy, invalid) => (
        <select
          id={id}
          className={invalid ? invalidClass : inputClass}
          value={value}
          data-testid={testId}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange(e.target.value)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

export function Input({
  label,
  value,
  onChange,
  type = 'text',
  hint,
  testId,
  dir,
  error,
  field,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  type?: 'text' | 'number' | 'date' | 'datetime-local';
  hint?: string | undefined;
  testId?: string | undefined;
  dir?: 'ltr' | 'auto';
  error?: string | undefined;
  field?: string | undefined;
}) {
  return (
    <Labelled label={label} hint={hint} error={error} field={field}>
      {(id, describedBy, invalid) => (
        <input
          id={id}
          type={type}
          dir={dir ?? 'auto'}
          className={invalid ? invalidClass : inputClass}
          value={value}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
          {...(type === 'number' ? { inputMode: 'numeric' as const } : {})}
        />
      )}
    </Labelled>
  );
}
