import type { Params } from './api.ts';
import { useReportI18n } from './i18n.ts';
import { useCsvUrl } from './scope.tsx';

/** Downloads the report behind a panel as CSV (UTF-8 with BOM, opens in Excel with Arabic intact). */
export function CsvLink({ report, params, name }: { report: string; params?: Params; name: string }) {
  const { rt } = useReportI18n();
  const href = useCsvUrl(report, params);
  return (
    <a
      href={href}
      download
      aria-label={rt('csvLabel', { report: name })}
      data-testid={`csv-${report}`}
      className="inline-flex items-center rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50"
    >
      {rt('csv')}
    </a>
  );
}
