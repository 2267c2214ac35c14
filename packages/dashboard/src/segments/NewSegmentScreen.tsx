import { AudienceLayout } from '../audience/AudienceLayout.tsx';
import { navigate } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { useSegmentsI18n } from './i18n.ts';
import { RuleEditor } from './RuleEditor.tsx';

/** `/contacts/segments/new`: the rule editor; saving opens the new segment's members. */
export function NewSegmentScreen() {
  const { workspace } = useSession();
  const { st } = useSegmentsI18n();
  if (!workspace) return <HomeScreen />;
  return (
    <AudienceLayout tab="segments" title={st('new')}>
      <RuleEditor
        ws={workspace.id}
        onSaved={(s) => navigate(`/contacts/segments/${encodeURIComponent(s.id)}?tab=members`)}
      />
    </AudienceLayout>
  );
}
