import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { Disclosure, menuItemClass } from './Disclosure.tsx';
import { CheckIcon, ChevronDownIcon, PlusIcon } from './Icons.tsx';

export function WorkspaceSwitcher() {
  const { t } = useI18n();
  const { me, workspace, chooseWorkspace } = useSession();
  const name = workspace?.name ?? t('workspace.none');
  return (
    <Disclosure
      label={t('workspace.switch', { name })}
      testId="workspace-switcher"
      className="min-w-0"
      buttonClassName="flex max-w-full items-center gap-2 rounded-md px-1.5 py-1.5 text-sm font-medium text-zinc-900 hover:bg-zinc-100 sm:max-w-xs sm:px-2.5"
      button={
        <>
          <span
            aria-hidden="true"
            className="grid size-6 shrink-0 place-items-center rounded bg-teal-100 text-xs font-semibold text-teal-900"
          >
            {initial(name)}
          </span>
          <span className="truncate" dir="auto">
            {name}
          </span>
          <ChevronDownIcon className="size-4 shrink-0 text-zinc-600" />
        </>
      }
    >
      {(close) => (
        <div className="space-y-1">
          <p className="px-3 pt-1.5 pb-1 text-xs font-medium text-zinc-600">{t('workspace.list')}</p>
          <ul className="max-h-72 overflow-y-auto">
            {me.workspaces.map((option) => (
              <li key={option.id}>
                <button
                  type="button"
                  className={menuItemClass}
                  aria-current={option.id === workspace?.id ? 'true' : undefined}
                  data-testid="workspace-option"
                  data-workspace-id={option.id}
                  onClick={() => {
                    chooseWorkspace(option.id);
                    close();
                  }}
                >
                  <span className="min-w-0 flex-1">
                    <span className="block truncate">{option.name}</span>
                    <span className="block text-xs text-zinc-600">{t(`role.${option.role}`)}</span>
                  </span>
                  {option.id === workspace?.id && <CheckIcon className="size-4 text-teal-700" />}
                </button>
              </li>
            ))}
          </ul>
          <div className="border-t border-zinc-200 pt-1">
            <Link
              to="/workspaces/new"
              className={menuItemClass}
              onClick={close}
              data-testid="workspace-create"
            >
              <PlusIcon className="size-4" />
              {t('workspace.create')}
            </Link>
          </div>
        </div>
      )}
    </Disclosure>
  );
}

export const initial = (name: string) => [...name.trim()][0]?.toUpperCase() ?? '·';
