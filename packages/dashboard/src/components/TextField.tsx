import { type InputHTMLAttributes, useId } from 'react';
import { FieldShell, fieldClass } from './FieldShell.tsx';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  testId?: string;
};

// Addresses, passwords and links read left to right in every language.
const LTR_TYPES = new Set(['email', 'password', 'url']);

export function TextField({ label, hint, error, testId, onChange, type = 'text', ...props }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={!props.required}>
      {(describedBy) => (
        <input
          id={id}
          type={type}
          dir={LTR_TYPES.has(type) ? 'ltr' : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value)}
          className={`${fieldClass} ${error ? 'border-red-700' : 'border-zinc-300'}`}
          {...props}
        />
      )}
    </FieldShell>
  );
}
