import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { ArrowStartIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { NotFoundScreen } from '../screens/NotFoundScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { getTemplate, TEMPLATE_CHANNELS, type TemplateChannel } from './api.ts';
import { EmailTemplateEditor } from './EmailTemplateEditor.tsx';
import { type MessagingI18n, useMessagingI18n } from './i18n.ts';
import { canWriteTemplates, templateKey } from './keys.ts';
import { SmsTemplateEditor } from './SmsTemplateEditor.tsx';
import { blankSource } from './templateForm.ts';

const isChannel = (value: string): value is TemplateChannel =>
  (TEMPLATE_CHANNELS as readonly string[]).includes(value);

/**
 * `/messaging/templates/new/:channel` and `/messaging/templates/:id`: one editor for both, so
 * the first save (which moves to the template's own address) keeps the editor as it was.
 */
export function TemplateScreen({ id, channel }: { id?: string; channel?: string }) {
  const { workspace } = useSession();
  const i18n = useMessagingI18n();
  const ws = workspace?.id ?? '';
  const saved = useQuery({
    queryKey: templateKey(ws, id ?? ''),
    queryFn: () => getTemplate(ws, id ?? ''),
    enabled: workspace !== null && id !== undefined,
  });
  if (!workspace) return <HomeScreen />;
  if (id === undefined && !(channel && isChannel(channel))) return <NotFoundScreen />;
  const template =
    id === undefined ? blankSource(channel === 'email' ? 'email' : 'sms') : saved.data?.template;
  const write = canWriteTemplates(workspace.role);
  const missing = saved.error instanceof ApiError && saved.error.status === 404;
  return (
    <div className="space-y-6" data-testid="template-page">
      <Link
        to="/messaging"
        className="inline-flex items-center gap-2 text-sm font-medium text-teal-800 hover:underline"
        data-testid="template-back"
      >
        <ArrowStartIcon className="size-4 rtl:-scale-x-100" />
        {i18n.mt('editor.back')}
      </Link>
      <Title template={template} i18n={i18n} />
      {!write && template && <p className="text-sm text-zinc-600">{i18n.mt('editor.readOnly')}</p>}
      {id !== undefined && saved.isPending && <Loading />}
      {missing && (
        <p role="alert" className="text-sm text-zinc-700">
          {i18n.mt('editor.notFound')}
        </p>
      )}
      {saved.isError && !missing && <LoadError error={saved.error} onRetry={() => saved.refetch()} />}
      {template &&
        (template.channel === 'email' ? (
          <EmailTemplateEditor ws={ws} template={template} write={write} i18n={i18n} />
        ) : (
          <SmsTemplateEditor ws={ws} template={template} write={write} i18n={i18n} />
        ))}
    </div>
  );
}

function Title({
  template,
  i18n,
}: {
  template: { id?: string; name: string; channel: string } | undefined;
  i18n: MessagingI18n;
}) {
  const { mt } = i18n;
  const title =
    template?.id !== undefined
      ? mt('editor.edit', { name: template.name })
      : template?.channel === 'email'
        ? mt('editor.newEmail')
        : mt('editor.newSms');
  return (
    <PageTitle title={title}>
      <bdi>{title}</bdi>
    </PageTitle>
  );
}
