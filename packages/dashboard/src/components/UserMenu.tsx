import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { Disclosure, menuItemClass } from './Disclosure.tsx';
import { LogoutIcon } from './Icons.tsx';
import { initial } from './WorkspaceSwitcher.tsx';

export function UserMenu() {
  const { t } = useI18n();
  const { user } = useSession().me;
  return (
    <Disclosure
      label={t('user.menu')}
      testId="user-menu"
      align="end"
      buttonClassName="grid size-9 place-items-center rounded-full bg-zinc-800 text-sm font-semibold text-white hover:bg-zinc-700"
      button={<span aria-hidden="true">{initial(user.name || user.email)}</span>}
    >
      {(close) => (
        <div>
          <div className="border-b border-zinc-200 px-3 pt-2 pb-3">
            <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p>
            <p className="truncate text-xs text-zinc-600" dir="ltr">
              {user.email}
            </p>
          </div>
          <div className="pt-1">
            <Link to="/logout" className={menuItemClass} onClick={close} data-testid="logout">
              <LogoutIcon className="size-4 rtl:-scale-x-100" />
              {t('user.logout')}
            </Link>
          </div>
        </div>
      )}
    </Disclosure>
  );
}
