import { useMutation, useQuery } from '@tanstack/react-query';
import { createSite, type SiteInput } from '../../api/sites.ts';
import { getWorkspace } from '../../api/workspaces.ts';
import { Button } from '../../components/Button.tsx';
import { Form, StatusMessage } from '../../components/Form.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { TimeZoneField } from '../../components/TimeZoneField.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useForm } from '../../lib/useForm.ts';
import { domain, required } from '../../lib/validate.ts';
import { queryClient } from '../../session/queryClient.ts';
import { sitesKey } from './SitesTab.tsx';
import { workspaceKey } from './WorkspaceTab.tsx';

/** "Add a site": its time zone starts as the workspace's, so the form waits for the workspace. */
export function AddSiteForm({ ws }: { ws: string }) {
  const { t } = useI18n();
  const workspace = useQuery({ queryKey: workspaceKey(ws), queryFn: () => getWorkspace(ws) });
  return (
    <Section title={t('sites.addTitle')} description={t('sites.addIntro')} testId="site-add">
      {workspace.isPending && <Loading />}
      {workspace.isError && <LoadError error={workspace.error} onRetry={() => workspace.refetch()} />}
      {workspace.data && <AddSiteFields ws={ws} defaultTimeZone={workspace.data.workspace.timezone} />}
    </Section>
  );
}

function AddSiteFields({ ws, defaultTimeZone }: { ws: string; defaultTimeZone: string }) {
  const { t } = useI18n();
  const blank = { name: '', domain: '', timezone: defaultTimeZone };
  const create = useMutation({
    mutationFn: (input: SiteInput) => createSite(ws, input),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: sitesKey(ws) });
      form.setValues(blank);
    },
  });
  const form = useForm({
    initial: blank,
    checks: { name: required, domain },
    apiError: create.error,
    // Clear a stale error while typing, but keep the last success in view.
    onEdit: () => create.isError && create.reset(),
  });
  const submit = () => {
    if (!form.validate()) return;
    const { name, domain: address, timezone } = form.values;
    create.mutate({ name: name.trim(), domain: address.trim(), timezone }, { onError: form.focusInvalid });
  };
  return (
    <Form
      onSubmit={submit}
      error={form.formError}
      formRef={form.formRef}
      testId="site-add-form"
      className="space-y-4"
    >
      <div className="grid gap-4 lg:grid-cols-3">
        <TextField
          label={t('sites.name')}
          hint={t('sites.nameHint')}
          autoComplete="off"
          required
          testId="site-add-name"
          {...form.field('name')}
        />
        <TextField
          label={t('sites.domain')}
          hint={t('sites.domainHint')}
          dir="auto"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          testId="site-add-domain"
          {...form.field('domain')}
        />
        <TimeZoneField
          hint={t('sites.timezoneHint')}
          testId="site-add-timezone"
          {...form.field('timezone')}
        />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" variant="primary" busy={create.isPending} testId="site-add-submit">
          {create.isPending ? t('sites.adding') : t('sites.add')}
        </Button>
        <StatusMessage
          message={create.data ? t('sites.added', { name: create.data.site.name }) : null}
          testId="site-added"
        />
      </div>
    </Form>
  );
}
