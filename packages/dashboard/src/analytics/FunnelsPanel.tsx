import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { AddForm } from './AddForm.tsx';
import { createFunnel, type Funnel, type FunnelStep, type FunnelStepResult } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { parseSteps } from './definitions.ts';
import { formatDuration, formatInteger, formatPercent } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { useReport, useScope } from './scope.tsx';

interface FunnelsReport {
  funnels: { funnel: Funnel; steps: FunnelStepResult[] }[];
}

/** Each saved funnel as bars narrowing step by step, with the visitors lost at each. */
export function FunnelsPanel() {
  const { rt } = useReportI18n();
  const scope = useScope();
  const query = useReport<FunnelsReport>('funnels');
  const funnels = query.data?.funnels ?? [];
  return (
    <Section
      title={rt('funnels.title')}
      testId="funnels-panel"
      aside={<CsvLink report="funnels" name={rt('funnels.title')} />}
    >
      <p className="-mt-1 mb-4 text-sm text-zinc-600">{rt('funnels.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {query.data && funnels.length === 0 && <p className="text-sm text-zinc-600">{rt('funnels.empty')}</p>}
      <div className="space-y-8">
        {funnels.map(({ funnel, steps }) => (
          <FunnelChart key={funnel.id} funnel={funnel} steps={steps} />
        ))}
      </div>
      {scope.manage && scope.source.kind === 'site' && (
        <AddFunnel ws={scope.source.ws} siteId={scope.source.siteId} />
      )}
    </Section>
  );
}

const stepTarget = (step: FunnelStep | undefined) =>
  step ? (step.kind === 'page' ? step.pattern : step.event) : '';

function FunnelChart({ funnel, steps }: { funnel: Funnel; steps: FunnelStepResult[] }) {
  const { rt, tag } = useReportI18n();
  const id = useId();
  const first = Math.max(1, steps[0]?.visitors ?? 0);
  return (
    <figure data-testid="funnel" data-funnel-id={funnel.id} aria-labelledby={id}>
      <figcaption id={id} className="mb-3 text-sm font-semibold text-zinc-900">
        {rt('funnels.chart', { name: funnel.name })}{' '}
        <span className="font-normal text-zinc-500">
          {rt('funnels.window', { duration: formatDuration(tag, funnel.definition.windowMs) })}
        </span>
      </figcaption>
      <ol className="space-y-3">
        {steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are positions in the funnel
          <li key={i} data-testid="funnel-step" data-visitors={step.visitors}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 text-sm">
              <span className="text-zinc-800">
                <span className="font-medium">{rt('funnels.step', { n: i + 1 })}</span>{' '}
                <bdi dir="ltr" className="text-zinc-600">
                  {stepTarget(funnel.definition.steps[i])}
                </bdi>
              </span>
              <span className="tabular-nums text-zinc-900">
                <span className="font-semibold">{formatInteger(tag, step.visitors)}</span>{' '}
                <span className="text-zinc-600">
                  · {rt('funnels.reached', { rate: formatPercent(tag, step.conversionRate) })}
                </span>
              </span>
            </div>
            <div className="mt-1 h-6 rounded bg-zinc-100" aria-hidden="true">
              <div
                className="h-full rounded bg-teal-600"
                style={{ width: `${(step.visitors / first) * 100}%` }}
              />
            </div>
            {i > 0 && step.dropOff > 0 && (
              <p className="mt-1 text-xs text-red-700" data-testid="funnel-drop-off">
                {rt('funnels.dropOff', { count: formatInteger(tag, step.dropOff) })}
              </p>
            )}
          </li>
        ))}
      </ol>
    </figure>
  );
}

function AddFunnel({ ws, siteId }: { ws: string; siteId: string }) {
  const { rt, t } = useReportI18n();
  const [name, setName] = useState('');
  const [steps, setSteps] = useState('');
  const [hours, setHours] = useState('24');
  const [notice, setNotice] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (parsed: FunnelStep[]) =>
      createFunnel(ws, siteId, {
        name,
        definition: { steps: parsed, windowMs: Math.round(Number(hours) * 3_600_000) },
      }),
    onSuccess: ({ funnel }) => {
      setNotice(rt('funnels.saved', { name: funnel.name }));
      setName('');
      setSteps('');
      queryClient.invalidateQueries({ queryKey: ['report'] });
    },
  });
  const submit = () => {
    const parsed = parseSteps(steps);
    setInvalid(parsed.length < 2);
    if (parsed.length >= 2) save.mutate(parsed);
  };
  const stepsId = useId();
  return (
    <div className="mt-5 border-t border-zinc-200 pt-4">
      <StatusMessage message={notice} testId="funnel-saved" />
      <AddForm label={rt('funnels.add')} testId="funnel-add">
        <Form
          onSubmit={submit}
          error={save.error ? errorMessage(save.error, t) : null}
          className="space-y-4 pt-3"
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label={rt('funnels.name')}
              value={name}
              onChange={setName}
              required
              testId="funnel-add-name"
            />
            <TextField
              label={rt('funnels.windowHours')}
              type="number"
              min={1}
              max={2160}
              value={hours}
              onChange={setHours}
              required
              testId="funnel-add-hours"
            />
          </div>
          <div className="space-y-1.5">
            <label htmlFor={stepsId} className="block text-sm font-medium text-zinc-800">
              {rt('funnels.steps')}
            </label>
            <textarea
              id={stepsId}
              dir="ltr"
              rows={4}
              value={steps}
              onChange={(e) => setSteps(e.target.value)}
              aria-invalid={invalid || undefined}
              data-testid="funnel-add-steps"
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm"
              placeholder={'/pricing\n/checkout\npurchase'}
            />
            {invalid && (
              <p role="alert" className="text-sm text-red-700">
                {rt('funnels.stepsInvalid')}
              </p>
            )}
          </div>
          <Button type="submit" variant="primary" busy={save.isPending} testId="funnel-add-submit">
            {rt('funnels.save')}
          </Button>
        </Form>
      </AddForm>
    </div>
  );
}
