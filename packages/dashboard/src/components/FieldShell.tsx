import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Marks the label "(optional)"; required is the default look. */
  optional?: boolean;
  children: (describedBy: string | undefined) => ReactNode;
}

/** Fixed height: Arabic's taller line-height must not make selects and inputs differ. */
export const fieldClass =
  'block h-10 w-full rounded-md border bg-white px-3 text-sm leading-normal text-zinc-900 shadow-xs disabled:cursor-not-allowed disabled:bg-zinc-100 disabled:text-zinc-600';

/** Label, control, hint and error, wired together so the control's description reads both. */
export function FieldShell({ id, label, hint, error, optional, children }: FieldShellProps) {
  const { t } = useI18n();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
        {optional && <span className="ms-1 font-normal text-zinc-600">({t('common.optional')})</span>}
      </label>
      {children(describedBy)}
      {hint && (
        <p id={hintId} className="text-xs text-zinc-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          <bdi>{error}</bdi>
        </p>
      )}
    </div>
  );
}
