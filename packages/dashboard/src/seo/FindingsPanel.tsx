import { useState } from 'react';
import { SelectField } from '../components/SelectField.tsx';
import { SEVERITIES, type Severity } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { type CheckGroup, type FindingFilter, filterGroups } from './logic.ts';
import { SeverityBadge, Url } from './parts.tsx';

/** Findings grouped by check, filterable by severity and check, each with its fix and its URLs. */
export function FindingsPanel({ groups, i18n }: { groups: CheckGroup[]; i18n: SeoI18n }) {
  const { st } = i18n;
  const [filter, setFilter] = useState<FindingFilter>({ severity: '', check: '' });
  const shown = filterGroups(groups, filter);
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label={st('findings.filterSeverity')}
          value={filter.severity}
          options={[
            { value: '', label: st('severity.all') },
            ...SEVERITIES.map((s) => ({ value: s, label: st(`severity.${s}`) })),
          ]}
          onChange={(v) => setFilter((f) => ({ ...f, severity: v as Severity | '' }))}
          testId="seo-filter-severity"
        />
        <SelectField
          label={st('findings.filterCheck')}
          value={filter.check}
          options={[
            { value: '', label: st('findings.allChecks') },
            ...groups.map((g) => ({ value: g.check, label: g.check, lang: 'en' })),
          ]}
          onChange={(v) => setFilter((f) => ({ ...f, check: v }))}
          dir="ltr"
          testId="seo-filter-check"
        />
      </div>
      {shown.length === 0 ? (
        <p className="text-sm text-zinc-600">{st('findings.empty')}</p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200" data-testid="findings">
          {shown.map((g) => (
            <FindingRow key={g.check} group={g} i18n={i18n} />
          ))}
        </ul>
      )}
    </div>
  );
}

function FindingRow({ group, i18n }: { group: CheckGroup; i18n: SeoI18n }) {
  const { st, sp, locale } = i18n;
  const [open, setOpen] = useState(false);
  const listId = `urls-${group.check.replace(/\W/g, '-')}`;
  return (
    <li
      className="space-y-2 p-4"
      data-testid="finding"
      data-check={group.check}
      data-severity={group.severity}
    >
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={group.severity} i18n={i18n} />
        <p className="font-medium text-zinc-900" data-testid="finding-message">
          {group.message[locale]}
        </p>
      </div>
      <p className="text-xs text-zinc-500">
        {st('findings.check')}:{' '}
        <bdi dir="ltr" className="font-mono">
          {group.check}
        </bdi>
      </p>
      <p className="text-sm text-zinc-700" data-testid="finding-fix">
        <span className="font-medium">{st('findings.howToFix')}: </span>
        {group.howToFix[locale]}
      </p>
      {group.urls.length > 0 && (
        <div>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => setOpen((o) => !o)}
            className="text-sm font-medium text-teal-800 hover:underline"
            data-testid="finding-toggle"
          >
            {open ? st('findings.hideUrls') : st('findings.showUrls')} ({sp('count.urls', group.urls.length)})
          </button>
          {open && (
            <ul id={listId} className="mt-2 space-y-1 text-sm" data-testid="finding-urls">
              {group.urls.map((u) => (
                <li key={u}>
                  <Url href={u}>{u}</Url>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
