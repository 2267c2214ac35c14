import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { listSites } from '../api/sites.ts';
import { Button } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { deleteSchedule, putSchedule } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { dayName } from './logic.ts';

const DAYS = [0, 1, 2, 3, 4, 5, 6];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The weekly audit of one of the workspace's sites, at a day and hour of the site's time zone. */
export function ScheduleSection({ ws, i18n }: { ws: string; i18n: SeoI18n }) {
  const { st, t, tag } = i18n;
  const sites = useQuery({ queryKey: ['sites', ws], queryFn: () => listSites(ws) });
  const [siteId, setSiteId] = useState('');
  const [day, setDay] = useState('0');
  const [hour, setHour] = useState('6');
  const [notice, setNotice] = useState<string | null>(null);
  const list = sites.data?.sites ?? [];
  const site = list.find((s) => s.id === siteId) ?? list[0];
  const save = useMutation({
    mutationFn: (id: string) => putSchedule(ws, id, { day: Number(day), hour: Number(hour) }),
    onSuccess: ({ schedule }) =>
      setNotice(st('schedule.saved', { date: i18n.date(schedule.nextRunAt, 'dateTime', schedule.timezone) })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteSchedule(ws, id),
    onSuccess: () => setNotice(st('schedule.removed')),
  });
  const failure = save.error ?? remove.error;

  const body = () => {
    if (sites.isPending) return <Loading />;
    if (sites.isError) return <LoadError error={sites.error} onRetry={() => sites.refetch()} />;
    if (!site) return <p className="text-sm text-zinc-600">{st('schedule.noSites')}</p>;
    const submit = (event: FormEvent) => {
      event.preventDefault();
      setNotice(null);
      remove.reset();
      save.mutate(site.id);
    };
    const hourLabel = (h: number) =>
      new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2023, 0, 1, h)),
      );
    return (
      <form onSubmit={submit} className="grid gap-4 md:grid-cols-3" data-testid="seo-schedule-form">
        <SelectField
          label={st('schedule.site')}
          value={site.id}
          options={list.map((s) => ({ value: s.id, label: s.name }))}
          onChange={setSiteId}
          testId="seo-schedule-site"
        />
        <SelectField
          label={st('schedule.day')}
          value={day}
          options={DAYS.map((d) => ({ value: String(d), label: dayName(tag, d) }))}
          onChange={setDay}
          testId="seo-schedule-day"
        />
        <SelectField
          label={st('schedule.hour')}
          hint={st('schedule.hourHint', { zone: site.timezone })}
          value={hour}
          options={HOURS.map((h) => ({ value: String(h), label: hourLabel(h) }))}
          onChange={setHour}
          testId="seo-schedule-hour"
        />
        <div className="flex flex-wrap gap-3 md:col-span-3">
          <Button type="submit" variant="primary" busy={save.isPending} testId="seo-schedule-save">
            {save.isPending ? st('schedule.saving') : st('schedule.save')}
          </Button>
          <Button
            variant="dangerGhost"
            busy={remove.isPending}
            onClick={() => {
              setNotice(null);
              save.reset();
              remove.mutate(site.id);
            }}
            testId="seo-schedule-remove"
          >
            {st('schedule.remove')}
          </Button>
        </div>
        {notice && (
          <p
            role="status"
            className="text-sm text-emerald-800 md:col-span-3"
            data-testid="seo-schedule-notice"
          >
            {notice}
          </p>
        )}
        {failure && (
          <p role="alert" className="text-sm text-red-700 md:col-span-3">
            <bdi>{errorMessage(failure, t)}</bdi>
          </p>
        )}
      </form>
    );
  };
  return (
    <Section title={st('schedule.title')} description={st('schedule.intro')} testId="seo-schedule">
      {body()}
    </Section>
  );
}
