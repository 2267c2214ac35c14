import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { CloseIcon, MenuIcon } from './Icons.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SideNav } from './SideNav.tsx';
import { UserMenu } from './UserMenu.tsx';
import { WorkspaceSwitcher } from './WorkspaceSwitcher.tsx';

/** Side navigation on the start side (right in Arabic), top bar, and the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [drawer, setDrawer] = useState(false);
  return (
    <div className="min-h-dvh md:flex">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:start-3 focus:top-3"
      >
        {t('nav.skipToContent')}
      </a>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 border-e border-zinc-200 bg-zinc-50 md:block">
        <SideNav />
      </aside>
      <NavDrawer open={drawer} onClose={() => setDrawer(false)} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b border-zinc-200 bg-white/95 px-3 backdrop-blur sm:px-6">
          <button
            type="button"
            className="grid size-9 place-items-center rounded-md text-zinc-700 hover:bg-zinc-100 md:hidden"
            aria-label={t('nav.openMenu')}
            aria-expanded={drawer}
            data-testid="nav-open"
            onClick={() => setDrawer(true)}
          >
            <MenuIcon />
          </button>
          <WorkspaceSwitcher />
          <div className="ms-auto flex shrink-0 items-center gap-2 sm:gap-3">
            <LanguageSwitch />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-8 sm:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}

/** The side navigation on small screens: a modal sheet from the start edge. */
function NavDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; keyboards use Escape (native)
    <dialog
      ref={ref}
      aria-label={t('nav.main')}
      onClose={onClose}
      onClick={(event) => event.target === ref.current && onClose()}
      className="fixed inset-y-0 start-0 m-0 h-dvh max-h-none w-72 max-w-[85vw] border-e border-zinc-200 bg-zinc-50 p-0 md:hidden"
    >
      <button
        type="button"
        className="absolute end-2 top-3 grid size-9 place-items-center rounded-md text-zinc-700 hover:bg-zinc-100"
        aria-label={t('nav.closeMenu')}
        onClick={onClose}
      >
        <CloseIcon />
      </button>
      {open && <SideNav onNavigate={onClose} />}
    </dialog>
  );
}
