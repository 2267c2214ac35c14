import { type ReactNode, useId } from 'react';
import { fieldClass } from '../components/FieldShell.tsx';

/** A compact labelled control for the rule rows; `children` gets the control's id. */
export function Labelled({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string | undefined;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="min-w-36 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      {children(id, hint ? `${id}-hint` : undefined)}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      )}
    </div>
  );
}

export const inputClass = `${fieldClass} border-zinc-300`;

export function Select({
  label,
  value,
  onChange,
  options,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  testId?: string;
}) {
  return (
    <Labelled label={label}>
      {(id) => (
        <select
          id={id}
          className={inputClass}
          value={value}
          data-testid={testId}
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
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'number' | 'date';
  hint?: string | undefined;
  testId?: string;
  dir?: 'ltr' | 'auto';
}) {
  return (
    <Labelled label={label} hint={hint}>
      {(id, describedBy) => (
        <input
          id={id}
          type={type}
          dir={dir ?? 'auto'}
          className={inputClass}
          value={value}
          aria-describedby={describedBy}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
          {...(type === 'number' ? { inputMode: 'numeric' as const } : {})}
        />
      )}
    </Labelled>
  );
}
