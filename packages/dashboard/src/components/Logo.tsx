import { useI18n } from '../i18n/I18nProvider.tsx';

/** The mark (two joined links: وصل means "connect") and the name in the active language. */
export function Logo() {
  const { t } = useI18n();
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold text-zinc-900">
      <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" className="fill-teal-700" />
        <path
          d="M10 19a4 4 0 0 1 0-8h4M22 13a4 4 0 0 1 0 8h-4M12 16h8"
          fill="none"
          stroke="white"
          strokeWidth="2.2"
          strokeLinecap="round"
        />
      </svg>
      {t('app.name')}
    </span>
  );
}
