import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { AddForm } from './AddForm.tsx';
import { createGoal, type Goal, type GoalDefinition, type GoalResult } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { changeOf, formatCurrency, formatInteger, formatPercent } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { useReport, useScope } from './scope.tsx';

interface GoalsReport {
  goals: { goal: Goal; result: GoalResult; previous: GoalResult | null }[];
}

/** Saved goals with their conversions, conversion rate and revenue in the period. */
export function GoalsPanel() {
  const i18n = useReportI18n();
  const { rt, tag } = i18n;
  const scope = useScope();
  const query = useReport<GoalsReport>('goals');
  const goals = query.data?.goals ?? [];
  return (
    <Section
      title={rt('goals.title')}
      testId="goals-panel"
      aside={<CsvLink report="goals" name={rt('goals.title')} />}
    >
      <p className="-mt-1 mb-4 text-sm text-zinc-600">{rt('goals.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {query.data && goals.length === 0 && <p className="text-sm text-zinc-600">{rt('goals.empty')}</p>}
      {goals.length > 0 && (
        <div className="-mx-5 overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>{rt('goals.col.goal')}</th>
                <th className={`${thClass} text-end`}>{rt('goals.col.visitors')}</th>
                <th className={`${thClass} text-end`}>{rt('goals.col.conversions')}</th>
                <th className={`${thClass} text-end`}>{rt('goals.col.rate')}</th>
                <th className={`${thClass} text-end`}>{rt('goals.col.revenue')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {goals.map(({ goal, result, previous }) => {
                const change = changeOf(result.conversionRate, previous?.conversionRate);
                return (
                  <tr key={goal.id} data-testid="goal-row" data-goal-id={goal.id}>
                    <td className={tdClass}>
                      <span className="font-medium">{goal.name}</span>
                      <span className="ms-2 text-xs text-zinc-500">
                        <bdi dir="ltr">
                          {goal.definition.kind === 'page' ? goal.definition.pattern : goal.definition.event}
                        </bdi>
                      </span>
                    </td>
                    <td className={`${tdClass} text-end tabular-nums`}>
                      {formatInteger(tag, result.visitors)}
                    </td>
                    <td className={`${tdClass} text-end tabular-nums`} data-testid="goal-conversions">
                      {formatInteger(tag, result.conversions)}
                    </td>
                    <td className={`${tdClass} text-end tabular-nums`} data-testid="goal-rate">
                      {formatPercent(tag, result.conversionRate)}
                      {(change.kind === 'up' || change.kind === 'down') && (
                        <span
                          className={`ms-1 text-xs ${change.kind === 'up' ? 'text-emerald-700' : 'text-red-700'}`}
                        >
                          {change.kind === 'up' ? '▲' : '▼'}
                        </span>
                      )}
                    </td>
                    <td className={`${tdClass} text-end tabular-nums`} data-testid="goal-revenue">
                      {Object.entries(result.revenue)
                        .map(([currency, amount]) => formatCurrency(tag, amount, currency))
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {scope.manage && scope.source.kind === 'site' && (
        <AddGoal ws={scope.source.ws} siteId={scope.source.siteId} />
      )}
    </Section>
  );
}

function AddGoal({ ws, siteId }: { ws: string; siteId: string }) {
  const { rt, t } = useReportI18n();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'page' | 'event'>('page');
  const [target, setTarget] = useState('');
  const [revenue, setRevenue] = useState('');
  const [currency, setCurrency] = useState('SAR');
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (definition: GoalDefinition) => createGoal(ws, siteId, { name, definition }),
    onSuccess: ({ goal }) => {
      setNotice(rt('goals.saved', { name: goal.name }));
      setName('');
      setTarget('');
      setRevenue('');
      queryClient.invalidateQueries({ queryKey: ['report'] });
    },
  });
  const submit = () => {
    setNotice(null);
    const definition: GoalDefinition =
      kind === 'page'
        ? { kind, pattern: target.trim() }
        : {
            kind,
            event: target.trim(),
            properties: {},
            ...(revenue.trim()
              ? { revenueProperty: revenue.trim(), currency: currency.trim().toUpperCase() }
              : {}),
          };
    save.mutate(definition);
  };
  return (
    <div className="mt-5 border-t border-zinc-200 pt-4">
      <StatusMessage message={notice} testId="goal-saved" />
      <AddForm label={rt('goals.add')} testId="goal-add">
        <Form
          onSubmit={submit}
          error={save.error ? errorMessage(save.error, t) : null}
          className="space-y-4 pt-3"
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              label={rt('goals.name')}
              value={name}
              onChange={setName}
              required
              testId="goal-add-name"
            />
            <SelectField
              label={rt('goals.kind')}
              value={kind}
              onChange={(v) => setKind(v as 'page' | 'event')}
              options={[
                { value: 'page', label: rt('goals.kind.page') },
                { value: 'event', label: rt('goals.kind.event') },
              ]}
              testId="goal-add-kind"
            />
            <TextField
              label={rt(kind === 'page' ? 'goals.pattern' : 'goals.event')}
              hint={kind === 'page' ? rt('goals.patternHint') : undefined}
              value={target}
              onChange={setTarget}
              dir="ltr"
              required
              testId="goal-add-target"
            />
            {kind === 'event' && (
              <>
                <TextField
                  label={rt('goals.revenueProperty')}
                  value={revenue}
                  onChange={setRevenue}
                  dir="ltr"
                  testId="goal-add-revenue"
                />
                <TextField
                  label={rt('goals.currency')}
                  value={currency}
                  onChange={setCurrency}
                  dir="ltr"
                  maxLength={3}
                  testId="goal-add-currency"
                />
              </>
            )}
          </div>
          <Button type="submit" variant="primary" busy={save.isPending} testId="goal-add-submit">
            {rt('goals.save')}
          </Button>
        </Form>
      </AddForm>
    </div>
  );
}
