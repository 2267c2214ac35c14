import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { buttonClass } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { DIMENSIONS, getPersonas, listSegments, type Persona, personasCsvUrl, type Segment } from './api.ts';
import { DistributionChart } from './DistributionChart.tsx';
import { useSegmentsI18n } from './i18n.ts';
import { personasKey, segmentsKey } from './keys.ts';
import { Select } from './parts.tsx';

/** Who the members are: a chart per distribution, optionally beside another segment's. */
export function PersonasPanel({ ws, segment }: { ws: string; segment: Segment }) {
  const { st, sp } = useSegmentsI18n();
  const [compare, setCompare] = useState<string | null>(null);
  const others = useQuery({ queryKey: segmentsKey(ws), queryFn: () => listSegments(ws) });
  const query = useQuery({
    queryKey: personasKey(ws, segment.id, compare),
    queryFn: () => getPersonas(ws, segment.id, compare),
  });
  const personas: Persona[] = query.data
    ? [query.data.persona, ...(query.data.compare ? [query.data.compare] : [])]
    : [];
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="w-72">
          <Select
            label={st('personas.compare')}
            value={compare ?? ''}
            testId="personas-compare"
            options={[
              { value: '', label: st('personas.noCompare') },
              ...(others.data?.segments ?? [])
                .filter((s) => s.id !== segment.id)
                .map((s) => ({ value: s.id, label: s.name })),
            ]}
            onChange={(v) => setCompare(v === '' ? null : v)}
          />
        </div>
        <a
          href={personasCsvUrl(ws, segment.id, compare)}
          download
          className={buttonClass()}
          data-testid="personas-export"
        >
          {st('personas.export')}
        </a>
      </div>
      {query.isPending && <Loading />}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {personas.length > 0 && (
        <div className="space-y-4">
          <div className={`grid gap-4 ${personas.length > 1 ? 'md:grid-cols-2' : ''}`}>
            {personas.map((p) => (
              <p key={p.segmentId} className="text-sm text-zinc-700" data-testid="persona-members">
                <bdi className="font-semibold">{p.name}</bdi>: {sp('members.count', p.members)}
              </p>
            ))}
          </div>
          {DIMENSIONS.map((d) => (
            <section
              key={d}
              className={`grid gap-6 rounded-xl border border-zinc-200 bg-white p-5 ${personas.length > 1 ? 'md:grid-cols-2' : ''}`}
            >
              {personas.map((p) => (
                <DistributionChart
                  key={p.segmentId}
                  title={personas.length > 1 ? `${st(`dim.${d}`)} — ${p.name}` : st(`dim.${d}`)}
                  buckets={p.dimensions[d]}
                  testId={`persona-${d}`}
                />
              ))}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
