import { useQuery } from '@tanstack/react-query';
import { buttonClass } from '../components/Button.tsx';
import { PlusIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { listTemplates, type MessageTemplate } from './api.ts';
import { type MessagingI18n, useMessagingI18n } from './i18n.ts';
import { canWriteTemplates, templatesKey } from './keys.ts';
import { MessagingLayout } from './MessagingLayout.tsx';
import { channelLabel } from './parts.tsx';

/** `/messaging`: the workspace's templates of every channel, and the ways to start a new one. */
export function TemplatesScreen() {
  const { workspace } = useSession();
  const i18n = useMessagingI18n();
  const { mt, mp } = i18n;
  const ws = workspace?.id ?? '';
  const templates = useQuery({
    queryKey: templatesKey(ws),
    queryFn: () => listTemplates(ws),
    enabled: workspace !== null,
  });
  if (!workspace) return <HomeScreen />;
  const write = canWriteTemplates(workspace.role);
  return (
    <MessagingLayout
      tab="templates"
      title={mt('templates.title')}
      intro={mt('templates.intro')}
      actions={
        write && (
          <>
            <Link
              to="/messaging/templates/new/email"
              className={buttonClass('primary')}
              data-testid="new-email-template"
            >
              <PlusIcon className="size-4" />
              {mt('templates.newEmail')}
            </Link>
            <Link to="/messaging/templates/new/sms" className={buttonClass()} data-testid="new-sms-template">
              <PlusIcon className="size-4" />
              {mt('templates.newSms')}
            </Link>
          </>
        )
      }
    >
      {!write && <p className="text-sm text-zinc-600">{mt('templates.readOnly')}</p>}
      <Section
        title={mt('tab.templates')}
        aside={
          templates.data && (
            <span data-testid="templates-count">
              {mp('count.templates', templates.data.templates.length)}
            </span>
          )
        }
        testId="templates"
      >
        {templates.isPending ? (
          <Loading />
        ) : templates.isError ? (
          <LoadError error={templates.error} onRetry={() => templates.refetch()} />
        ) : (
          <TemplatesTable templates={templates.data.templates} i18n={i18n} />
        )}
      </Section>
    </MessagingLayout>
  );
}

function TemplatesTable({ templates, i18n }: { templates: MessageTemplate[]; i18n: MessagingI18n }) {
  const { mt, number, date } = i18n;
  if (templates.length === 0) return <p className="text-sm text-zinc-600">{mt('templates.empty')}</p>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <thead className="border-b border-zinc-200">
          <tr>
            <th className={thClass}>{mt('col.name')}</th>
            <th className={thClass}>{mt('col.channel')}</th>
            <th className={thClass}>{mt('col.lang')}</th>
            <th className={thClass}>{mt('col.dir')}</th>
            <th className={thClass}>{mt('col.version')}</th>
            <th className={thClass}>{mt('col.updated')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {templates.map((tpl) => (
            <tr key={tpl.id} data-testid="template-row" data-id={tpl.id} data-channel={tpl.channel}>
              <td className={tdClass}>
                <Link
                  to={`/messaging/templates/${tpl.id}`}
                  className="font-medium text-teal-800 hover:underline"
                  data-testid="template-link"
                >
                  <bdi>{tpl.name}</bdi>
                </Link>
              </td>
              <td className={tdClass}>{channelLabel(tpl.channel, i18n)}</td>
              <td className={tdClass}>
                <bdi dir="ltr">{tpl.lang}</bdi>
              </td>
              <td className={tdClass}>{mt(`dir.${tpl.dir}`)}</td>
              <td className={`${tdClass} tabular-nums`}>{number(tpl.version)}</td>
              <td className={tdClass}>{date(tpl.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
