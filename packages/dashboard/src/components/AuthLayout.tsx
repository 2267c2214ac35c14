import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';

/** The frame of the pages before login: a calm centred card, language switch always at hand. */
export function AuthLayout({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between gap-4 px-4 py-4 sm:px-8">
        <Logo />
        <LanguageSwitch />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-4 pb-16 sm:pt-12">
        <div
          className={`w-full ${wide ? 'max-w-lg' : 'max-w-sm'} rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8`}
        >
          {children}
        </div>
      </main>
    </div>
  );
}
