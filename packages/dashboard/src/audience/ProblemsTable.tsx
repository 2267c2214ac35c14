import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import type { RowProblem } from './api.ts';
import { useAudienceI18n } from './i18n.ts';

/** Row problems by line: the column and value at fault, the reason in the server's words. */
export function ProblemsTable({ problems, testId }: { problems: readonly RowProblem[]; testId: string }) {
  const { at, number } = useAudienceI18n();
  return (
    <div className="relative overflow-x-auto rounded-md border border-zinc-200">
      <table className={tableClass} data-testid={testId}>
        <thead className="border-b border-zinc-200 bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>
              {at('import.colLine')}
            </th>
            <th scope="col" className={thClass}>
              {at('import.colColumn')}
            </th>
            <th scope="col" className={thClass}>
              {at('import.colValue')}
            </th>
            <th scope="col" className={thClass}>
              {at('import.colReason')}
            </th>
            <th scope="col" className={thClass}>
              {at('import.colKind')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {problems.map((p) => (
            <tr key={`${p.line}-${p.column ?? ''}-${p.reason}`} data-testid="problem-row" data-line={p.line}>
              <td className={tdClass} data-testid="problem-line">
                {number(p.line)}
              </td>
              <td className={tdClass}>{p.column ? <bdi>{p.column}</bdi> : at('none')}</td>
              <td className={`${tdClass} max-w-48 truncate`}>
                {p.value ? <bdi>{p.value}</bdi> : at('none')}
              </td>
              <td className={`${tdClass} whitespace-normal`}>
                <bdi dir="auto" className="block min-w-64">
                  {p.reason}
                </bdi>
              </td>
              <td className={tdClass}>
                <span className={p.warning ? 'text-amber-800' : 'text-red-700'}>
                  {at(p.warning ? 'kind.warning' : 'kind.error')}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
