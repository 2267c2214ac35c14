import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { AddForm } from './AddForm.tsx';
import { type Cta, type CtrResult, createCta } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { parseProperty } from './definitions.ts';
import { formatInteger, formatPercent } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { useReport, useScope } from './scope.tsx';

interface CtasReport {
  ctas: { cta: Cta; result: CtrResult; previous: CtrResult | null }[];
}

/** Impressions against clicks of each tracked call to action. */
export function CtasPanel() {
  const { rt, tag } = useReportI18n();
  const scope = useScope();
  const query = useReport<CtasReport>('ctas');
  const ctas = query.data?.ctas ?? [];
  return (
    <Section
      title={rt('ctas.title')}
      testId="ctas-panel"
      aside={<CsvLink report="ctas" name={rt('ctas.title')} />}
    >
      <p className="-mt-1 mb-4 text-sm text-zinc-600">{rt('ctas.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {query.data && ctas.length === 0 && <p className="text-sm text-zinc-600">{rt('ctas.empty')}</p>}
      {ctas.length > 0 && (
        <div className="-mx-5 overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>{rt('ctas.col.name')}</th>
                <th className={`${thClass} text-end`}>{rt('ctas.col.impressions')}</th>
                <th className={`${thClass} text-end`}>{rt('ctas.col.clicks')}</th>
                <th className={`${thClass} text-end`}>{rt('ctas.col.ctr')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {ctas.map(({ cta, result }) => (
                <tr key={cta.id} data-testid="cta-row" data-cta-id={cta.id}>
                  <td className={`${tdClass} font-medium`}>{cta.name}</td>
                  <td className={`${tdClass} text-end tabular-nums`}>
                    {formatInteger(tag, result.impressions)}
                  </td>
                  <td className={`${tdClass} text-end tabular-nums`}>{formatInteger(tag, result.clicks)}</td>
                  <td className={`${tdClass} text-end`}>
                    <span className="flex items-center justify-end gap-2">
                      <span aria-hidden="true" className="h-1.5 w-16 overflow-hidden rounded bg-zinc-100">
                        <span
                          className="block h-full bg-teal-600"
                          style={{ width: `${Math.min(1, result.ctr) * 100}%` }}
                        />
                      </span>
                      <span className="tabular-nums" data-testid="cta-ctr">
                        {formatPercent(tag, result.ctr)}
                      </span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {scope.manage && scope.source.kind === 'site' && (
        <AddCta ws={scope.source.ws} siteId={scope.source.siteId} />
      )}
    </Section>
  );
}

function AddCta({ ws, siteId }: { ws: string; siteId: string }) {
  const { rt, t } = useReportI18n();
  const [name, setName] = useState('');
  const [impression, setImpression] = useState('cta_view');
  const [click, setClick] = useState('cta_click');
  const [property, setProperty] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const properties = parseProperty(property);
  const save = useMutation({
    mutationFn: (props: Record<string, string>) =>
      createCta(ws, siteId, {
        name,
        definition: {
          impression: { event: impression.trim(), properties: props },
          click: { event: click.trim(), properties: props },
        },
      }),
    onSuccess: ({ cta }) => {
      setNotice(rt('ctas.saved', { name: cta.name }));
      setName('');
      setProperty('');
      queryClient.invalidateQueries({ queryKey: ['report'] });
    },
  });
  return (
    <div className="mt-5 border-t border-zinc-200 pt-4">
      <StatusMessage message={notice} testId="cta-saved" />
      <AddForm label={rt('ctas.add')} testId="cta-add">
        <Form
          onSubmit={() => properties && save.mutate(properties)}
          error={save.error ? errorMessage(save.error, t) : null}
          className="space-y-4 pt-3"
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label={rt('ctas.name')}
              value={name}
              onChange={setName}
              required
              testId="cta-add-name"
            />
            <TextField
              label={rt('ctas.property')}
              value={property}
              onChange={setProperty}
              dir="ltr"
              error={properties ? undefined : rt('ctas.propertyInvalid')}
              testId="cta-add-property"
            />
            <TextField
              label={rt('ctas.impression')}
              value={impression}
              onChange={setImpression}
              dir="ltr"
              required
            />
            <TextField label={rt('ctas.click')} value={click} onChange={setClick} dir="ltr" required />
          </div>
          <Button type="submit" variant="primary" busy={save.isPending} testId="cta-add-submit">
            {rt('ctas.save')}
          </Button>
        </Form>
      </AddForm>
    </div>
  );
}
