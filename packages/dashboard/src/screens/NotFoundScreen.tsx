import { buttonClass } from '../components/Button.tsx';
import { ArrowStartIcon } from '../components/Icons.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo } from '../components/Logo.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router.tsx';

export function NotFoundScreen() {
  const { t, number } = useI18n();
  return (
    <main id="main" className="relative grid min-h-dvh place-items-center px-6" data-testid="not-found">
      <div className="absolute end-4 top-4 sm:end-8">
        <LanguageSwitch />
      </div>
      <div className="max-w-md text-center">
        <Logo />
        <p className="mt-10 text-sm font-semibold text-teal-800">{number(404)}</p>
        <div className="mt-2">
          <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
        </div>
        <p className="mt-3 text-zinc-600">{t('notFound.body')}</p>
        <Link to="/" className={buttonClass('primary', 'mt-8')}>
          <ArrowStartIcon className="size-4 rtl:-scale-x-100" />
          {t('notFound.home')}
        </Link>
      </div>
    </main>
  );
}
