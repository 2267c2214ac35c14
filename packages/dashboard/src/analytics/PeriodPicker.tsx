import { useEffect, useId, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { fieldClass } from '../components/FieldShell.tsx';
import { formatDay } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { addDays, daysBetween, PRESETS, type Preset, type ReportState } from './state.ts';

interface PeriodPickerProps {
  state: ReportState;
  /** The days the current choice covers (a preset resolved in the site's time zone). */
  period: { from: string; to: string };
  onChange: (next: Partial<ReportState>) => void;
}

/** A preset period or two dates, and whether to compare with the days just before. */
export function PeriodPicker({ state, period, onChange }: PeriodPickerProps) {
  const { rt, tag } = useReportI18n();
  const id = useId();
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
  }, [period.from, period.to]);
  const invalid = from > to;
  const days = daysBetween(period.from, period.to);
  const previous = { from: addDays(period.from, -days), to: addDays(period.from, -1) };
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="space-y-1">
        <label htmlFor={`${id}-preset`} className="block text-xs font-medium text-zinc-700">
          {rt('period')}
        </label>
        <select
          id={`${id}-preset`}
          value={state.preset}
          data-testid="reports-period"
          onChange={(e) => {
            const preset = e.target.value as Preset;
            onChange(preset === 'custom' ? { preset, from: period.from, to: period.to } : { preset });
          }}
          className={`${fieldClass} w-44 border-zinc-300`}
        >
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {rt(`period.${p}`)}
            </option>
          ))}
        </select>
      </div>
      {state.preset === 'custom' && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange({ from, to });
          }}
        >
          <div className="space-y-1">
            <label htmlFor={`${id}-from`} className="block text-xs font-medium text-zinc-700">
              {rt('from')}
            </label>
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              max={to}
              onChange={(e) => setFrom(e.target.value)}
              aria-invalid={invalid || undefined}
              data-testid="reports-from"
              className={`${fieldClass} w-40 border-zinc-300`}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-to`} className="block text-xs font-medium text-zinc-700">
              {rt('to')}
            </label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              min={from}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={invalid || undefined}
              data-testid="reports-to"
              className={`${fieldClass} w-40 border-zinc-300`}
            />
          </div>
          <Button type="submit" disabled={invalid} testId="reports-apply">
            {rt('apply')}
          </Button>
          {invalid && (
            <p role="alert" className="basis-full text-sm text-red-700">
              {rt('invalidRange')}
            </p>
          )}
        </form>
      )}
      <label className="flex h-10 items-center gap-2 text-sm text-zinc-800">
        <input
          type="checkbox"
          checked={state.compare}
          onChange={(e) => onChange({ compare: e.target.checked })}
          data-testid="reports-compare"
          className="size-4 accent-teal-700"
        />
        {rt('compare')}
      </label>
      <p className="basis-full text-xs text-zinc-600" data-testid="reports-range">
        {rt('range', { from: formatDay(tag, period.from), to: formatDay(tag, period.to) })}
        {state.compare && (
          <span className="ms-1">
            (
            {rt('comparedWith', {
              range: rt('range', { from: formatDay(tag, previous.from), to: formatDay(tag, previous.to) }),
            })}
            )
          </span>
        )}
      </p>
    </div>
  );
}
