import { useRef, useState } from 'react';
import { focusFirstInvalid } from '../components/Form.tsx';
import type { TextKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { splitApiError } from './apiErrors.ts';
import { MIN_PASSWORD_LENGTH } from './validate.ts';

type Check<F extends string> = (value: string, values: Record<F, string>) => TextKey | null;

interface UseFormOptions<F extends string> {
  initial: Record<F, string>;
  checks?: { [K in F]?: Check<F> };
  /** The last API error; a field it names gets the message, otherwise the form does. */
  apiError?: unknown;
  /** Called on every edit, typically `mutation.reset` to clear a stale API error. */
  onEdit?: () => void;
}

/** Values, our own checks (kept as keys so they follow a language switch) and API errors per field. */
export function useForm<F extends string>({ initial, checks = {}, apiError, onEdit }: UseFormOptions<F>) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<Partial<Record<F, TextKey>>>({});
  const names = Object.keys(initial) as F[];
  const { fieldErrors, formError } = splitApiError(apiError, names, t);

  const errorOf = (name: F): string | undefined => {
    const key = problems[name];
    return key ? t(key, { min: MIN_PASSWORD_LENGTH }) : fieldErrors[name];
  };

  const field = (name: F) => ({
    value: values[name],
    error: errorOf(name),
    onChange: (value: string) => {
      setValues((previous) => ({ ...previous, [name]: value }));
      setProblems((previous) => ({ ...previous, [name]: undefined }));
      onEdit?.();
    },
  });

  /** Runs the checks; false (and focus on the first problem) when something is wrong. */
  const validate = (): boolean => {
    const found: Partial<Record<F, TextKey>> = {};
    for (const name of names) {
      const problem = checks[name]?.(values[name], values);
      if (problem) found[name] = problem;
    }
    setProblems(found);
    const ok = Object.keys(found).length === 0;
    if (!ok) focusFirstInvalid(formRef.current);
    return ok;
  };

  return {
    values,
    setValues,
    field,
    validate,
    formRef,
    formError,
    focusInvalid: () => focusFirstInvalid(formRef.current),
  };
}
