import { type ReactNode, useEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

let firstPage = true;

/**
 * The page's <h1>. It also names the browser tab and, after an in-app navigation, takes focus
 * so screen-reader users hear where they arrived (as they would on a full page load).
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus({ preventScroll: true });
  }, []);

  return (
    <h1
      ref={ref}
      tabIndex={-1}
      className="text-2xl font-semibold tracking-tight text-zinc-900 focus:outline-none"
    >
      {children}
    </h1>
  );
}
