import { type SelectHTMLAttributes, useId } from 'react';
import { FieldShell, fieldClass } from './FieldShell.tsx';

export interface Option {
  value: string;
  label: string;
  lang?: string;
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  testId?: string;
};

export function SelectField({ label, hint, error, testId, options, onChange, ...props }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <select
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value)}
          className={`${fieldClass} ${error ? 'border-red-700' : 'border-zinc-300'}`}
          {...props}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value} lang={option.lang}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}
