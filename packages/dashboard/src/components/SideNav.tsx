import type { ReactNode } from 'react';
import { reportText } from '../analytics/messages/index.ts';
import { audienceText } from '../audience/messages/index.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { messagingText } from '../messaging/messages/index.ts';
import { Link, useLocation } from '../router.tsx';
import { seoText } from '../seo/messages/index.ts';
import { ChartIcon, HomeIcon, MailIcon, SearchCheckIcon, SettingsIcon, UsersIcon } from './Icons.tsx';
import { Logo } from './Logo.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  /** Marks the item current for every path under it (settings tabs). */
  section?: string;
}

export function SideNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t, locale } = useI18n();
  const { pathname } = useLocation();
  const items: NavItem[] = [
    { to: '/', label: t('nav.home'), icon: <HomeIcon /> },
    { to: '/reports', label: reportText(locale, 'nav'), icon: <ChartIcon />, section: '/reports' },
    { to: '/contacts', label: audienceText(locale, 'nav'), icon: <UsersIcon />, section: '/contacts' },
    { to: '/messaging', label: messagingText(locale, 'nav'), icon: <MailIcon />, section: '/messaging' },
    { to: '/seo', label: seoText(locale, 'nav'), icon: <SearchCheckIcon />, section: '/seo' },
    { to: '/settings/workspace', label: t('nav.settings'), icon: <SettingsIcon />, section: '/settings' },
  ];
  return (
    <div className="flex h-full flex-col gap-6 px-3 py-4">
      <div className="px-2">
        <Logo />
      </div>
      <nav aria-label={t('nav.main')}>
        <ul className="space-y-1">
          {items.map((item) => {
            const current = item.section ? pathname.startsWith(item.section) : pathname === item.to;
            return (
              <li key={item.to}>
                <Link
                  to={item.to}
                  onClick={onNavigate}
                  aria-current={current ? 'page' : undefined}
                  data-testid={`nav-${item.section ? item.section.slice(1) : 'home'}`}
                  className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium ${current ? 'bg-zinc-200/70 text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900'}`}
                >
                  {item.icon}
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </div>
  );
}
