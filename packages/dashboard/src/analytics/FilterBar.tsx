import { CloseIcon } from '../components/Icons.tsx';
import type { Filter } from './api.ts';
import { useReportI18n } from './i18n.ts';
import { filterLabel } from './labels.ts';
import { filterText } from './state.ts';

/** The filters applied to every report, as chips to remove; a hint when there are none. */
export function FilterBar({
  filters,
  onChange,
}: {
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
}) {
  const i18n = useReportI18n();
  const { rt, rp } = i18n;
  return (
    <section
      aria-label={rt('filters')}
      data-testid="filter-bar"
      className="flex flex-wrap items-center gap-2 text-sm"
    >
      <span className="font-medium text-zinc-700">{rp('filters.count', filters.length)}</span>
      {filters.length === 0 && <span className="text-zinc-500">{rt('filters.hint')}</span>}
      {filters.map((f) => {
        const label = filterLabel(i18n, f);
        return (
          <span
            key={filterText(f)}
            data-testid="filter-chip"
            data-filter={filterText(f)}
            className="inline-flex items-center gap-1 rounded-full border border-teal-200 bg-teal-50 py-0.5 ps-3 pe-1 text-teal-900"
          >
            <bdi>{label}</bdi>
            <button
              type="button"
              aria-label={rt('filters.remove', { filter: label })}
              data-testid="filter-remove"
              onClick={() => onChange(filters.filter((other) => other !== f))}
              className="grid size-6 place-items-center rounded-full hover:bg-teal-100"
            >
              <CloseIcon className="size-3.5" />
            </button>
          </span>
        );
      })}
      {filters.length > 1 && (
        <button
          type="button"
          onClick={() => onChange([])}
          data-testid="filters-clear"
          className="rounded-md px-2 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100"
        >
          {rt('filters.clear')}
        </button>
      )}
    </section>
  );
}
