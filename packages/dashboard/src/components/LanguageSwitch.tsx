import { useI18n } from '../i18n/I18nProvider.tsx';
import { LOCALES } from '../i18n/locales.ts';
import { useChangeLocale } from '../session/useChangeLocale.ts';

/**
 * العربية / English as two toggle buttons. Each name is written in its own language (and
 * marked with `lang`) so it is recognisable whichever language is showing.
 */
export function LanguageSwitch() {
  const { t, locale } = useI18n();
  const change = useChangeLocale();
  return (
    <fieldset
      data-testid="language-switch"
      className="inline-flex shrink-0 rounded-md border border-zinc-300 bg-white p-0.5 text-sm"
    >
      <legend className="sr-only">{t('language.switch')}</legend>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={option === locale}
          data-testid={`language-${option}`}
          onClick={() => change(option)}
          className={`rounded px-2 py-1 sm:px-2.5 ${option === locale ? 'bg-zinc-900 text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
        >
          {t(`language.${option}`)}
        </button>
      ))}
    </fieldset>
  );
}
