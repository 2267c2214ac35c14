import { useId } from 'react';
import { FieldShell } from '../components/FieldShell.tsx';

/** A list attribute's options, one per line (a textarea: the app's fields are single-line). */
export function OptionsField({
  label,
  hint,
  value,
  error,
  onChange,
  testId,
}: {
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <textarea
          id={id}
          value={value}
          rows={4}
          dir="auto"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
          className={`block w-full max-w-md rounded-md border bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ${error ? 'border-red-700' : 'border-zinc-300'}`}
        />
      )}
    </FieldShell>
  );
}
