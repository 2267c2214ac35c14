import type { ReactNode } from 'react';
import { PageTitle } from '../components/PageTitle.tsx';
import { Link } from '../router.tsx';
import { useMessagingI18n } from './i18n.ts';

export type MessagingTab = 'templates' | 'senders';

const TABS: { tab: MessagingTab; to: string }[] = [
  { tab: 'templates', to: '/messaging' },
  { tab: 'senders', to: '/messaging/senders' },
];

/** The messaging pages' title, their tabs (links, so each has an address) and the page's actions. */
export function MessagingLayout({
  tab,
  title,
  intro,
  actions,
  children,
}: {
  tab: MessagingTab;
  title: string;
  intro: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { mt } = useMessagingI18n();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="space-y-1">
          <PageTitle title={title}>{title}</PageTitle>
          <p className="text-sm text-zinc-600">{intro}</p>
        </div>
        {actions && <div className="flex flex-wrap items-center gap-3">{actions}</div>}
      </div>
      <nav aria-label={mt('tabs')} className="border-b border-zinc-200">
        <ul className="-mb-px flex gap-1 overflow-x-auto">
          {TABS.map((item) => {
            const current = item.tab === tab;
            return (
              <li key={item.tab}>
                <Link
                  to={item.to}
                  aria-current={current ? 'page' : undefined}
                  data-testid={`messaging-tab-${item.tab}`}
                  className={`block border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap ${current ? 'border-teal-700 text-teal-800' : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900'}`}
                >
                  {mt(`tab.${item.tab}`)}
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
