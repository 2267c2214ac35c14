import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { AudienceLayout } from '../audience/AudienceLayout.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { navigate, useLocation } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { Tabs } from '../seo/Tabs.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { getSegment } from './api.ts';
import { useSegmentsI18n } from './i18n.ts';
import { membersKey, personasKey, segmentKey } from './keys.ts';
import { MembersPanel } from './MembersPanel.tsx';
import { PersonasPanel } from './PersonasPanel.tsx';
import { RuleEditor } from './RuleEditor.tsx';

const PANELS = ['rules', 'members', 'personas'] as const;
type Panel = (typeof PANELS)[number];

/** `/contacts/segments/:id`: its rules, its members and who they are (personas); `?tab=` picks one. */
export function SegmentScreen({ id }: { id: string }) {
  const { workspace } = useSession();
  if (!workspace) return <HomeScreen />;
  return <SegmentPage ws={workspace.id} id={id} />;
}

function SegmentPage({ ws, id }: { ws: string; id: string }) {
  const { st, dir } = useSegmentsI18n();
  const { search } = useLocation();
  const asked = search.get('tab');
  const tab: Panel = PANELS.find((p) => p === asked) ?? 'rules';
  const [saved, setSaved] = useState(false);
  const query = useQuery({ queryKey: segmentKey(ws, id), queryFn: () => getSegment(ws, id) });
  const segment = query.data?.segment;
  return (
    <AudienceLayout tab="segments" title={segment?.name ?? st('title')}>
      {query.isPending && <Loading />}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {segment && (
        <Tabs
          label={st('page.tabs')}
          rtl={dir === 'rtl'}
          current={tab}
          tabs={PANELS.map((p) => ({ id: p, label: st(`page.${p}`) }))}
          onChange={(p) => {
            setSaved(false);
            navigate(`/contacts/segments/${encodeURIComponent(id)}?tab=${p}`, { replace: true });
          }}
        >
          {tab === 'rules' && (
            <>
              <p role="status" className="mb-3 text-sm text-emerald-800" data-testid="segment-saved">
                {saved ? st('saved') : ''}
              </p>
              <RuleEditor
                key={segment.updatedAt}
                ws={ws}
                segment={segment}
                onSaved={() => {
                  setSaved(true);
                  void queryClient.invalidateQueries({ queryKey: membersKey(ws, id) });
                  void queryClient.invalidateQueries({ queryKey: personasKey(ws, id, null).slice(0, 3) });
                }}
              />
            </>
          )}
          {tab === 'members' && <MembersPanel ws={ws} segment={segment} />}
          {tab === 'personas' && <PersonasPanel ws={ws} segment={segment} />}
        </Tabs>
      )}
    </AudienceLayout>
  );
}
