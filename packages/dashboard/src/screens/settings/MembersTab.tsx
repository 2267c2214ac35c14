import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listMembers } from '../../api/members.ts';
import type { Member } from '../../api/types.ts';
import { StatusMessage } from '../../components/Form.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section, tableClass, thClass } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { AddMemberForm } from './AddMemberForm.tsx';
import { MemberRow } from './MemberRow.tsx';
import { RemoveMemberDialog } from './RemoveMemberDialog.tsx';

export const membersKey = (ws: string) => ['members', ws] as const;

export function MembersTab({ ws }: { ws: string }) {
  const { t, tp } = useI18n();
  const query = useQuery({ queryKey: membersKey(ws), queryFn: () => listMembers(ws) });
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const members = query.data?.members ?? [];
  return (
    <div className="space-y-6">
      <StatusMessage message={notice} testId="members-notice" />
      <Section
        title={t('settings.tab.members')}
        aside={query.data && <span data-testid="members-count">{tp('members.count', members.length)}</span>}
        testId="members"
      >
        {query.isPending && <Loading />}
        {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
        {query.data && (
          <div className="relative -mx-5 overflow-x-auto">
            <table className={tableClass}>
              <thead className="border-b border-zinc-200">
                <tr>
                  <th scope="col" className={`${thClass} ps-5`}>
                    {t('members.colName')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('members.colEmail')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('members.colRole')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('members.colAdded')}
                  </th>
                  <th scope="col" className={`${thClass} pe-5`}>
                    <span className="sr-only">{t('members.colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {members.map((member) => (
                  <MemberRow
                    key={member.userId}
                    ws={ws}
                    member={member}
                    onNotice={setNotice}
                    onRemove={setRemoving}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <AddMemberForm ws={ws} />
      <RemoveMemberDialog ws={ws} member={removing} onClose={() => setRemoving(null)} onNotice={setNotice} />
    </div>
  );
}
