import type { ReactNode } from 'react';
import { PageTitle } from '../components/PageTitle.tsx';
import { Link } from '../router.tsx';
import { segmentsText } from '../segments/messages/index.ts';
import { useAudienceI18n } from './i18n.ts';

export type AudienceTab = 'contacts' | 'attributes' | 'import' | 'segments';

const TABS: { tab: AudienceTab; to: string }[] = [
  { tab: 'contacts', to: '/contacts' },
  { tab: 'attributes', to: '/contacts/attributes' },
  { tab: 'import', to: '/contacts/import' },
  { tab: 'segments', to: '/contacts/segments' },
];

/** The audience pages' title, their tabs (links, so each has an address) and the page's actions. */
export function AudienceLayout({
  tab,
  title,
  actions,
  children,
}: {
  tab: AudienceTab;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { at, locale } = useAudienceI18n();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <PageTitle title={title}>{title}</PageTitle>
        {actions && <div className="flex flex-wrap items-center gap-3">{actions}</div>}
      </div>
      <nav aria-label={at('tabs')} className="border-b border-zinc-200">
        <ul className="-mb-px flex gap-1 overflow-x-auto">
          {TABS.map((item) => {
            const current = item.tab === tab;
            return (
              <li key={item.tab}>
                <Link
                  to={item.to}
                  aria-current={current ? 'page' : undefined}
                  data-testid={`audience-tab-${item.tab}`}
                  className={`block border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap ${current ? 'border-teal-700 text-teal-800' : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900'}`}
                >
                  {/* The segments feature keeps its own catalogue. */}
                  {item.tab === 'segments' ? segmentsText(locale, 'tab') : at(`tab.${item.tab}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {children}
    </div>
  );
}
