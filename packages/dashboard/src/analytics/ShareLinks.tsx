import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { StatusMessage } from '../components/Form.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { createShareLink, listShareLinks, revokeShareLink, type ShareLink } from './api.ts';
import { useReportI18n } from './i18n.ts';

const linksKey = (ws: string, siteId: string) => ['share-links', ws, siteId] as const;

/** A site's public read-only links: made here (the address is shown once), listed, revoked. */
export function ShareLinks({ ws, siteId, manage }: { ws: string; siteId: string; manage: boolean }) {
  const { rt, rp, t, date } = useReportI18n();
  const query = useQuery({ queryKey: linksKey(ws, siteId), queryFn: () => listShareLinks(ws, siteId) });
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: linksKey(ws, siteId) });
  const create = useMutation({
    mutationFn: () => createShareLink(ws, siteId),
    onSuccess: ({ url }) => {
      setCreated(url);
      setNotice(null);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (link: ShareLink) => revokeShareLink(ws, siteId, link.id),
    onSuccess: () => {
      setRevoking(null);
      setNotice(rt('shareLinks.revoked'));
      refresh();
    },
  });
  const links = query.data?.shareLinks ?? [];
  return (
    <div className="space-y-3" data-testid="share-links" data-site-id={siteId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-sm font-medium text-zinc-800">{rt('shareLinks.title')}</h4>
        {query.data && (
          <span className="text-xs text-zinc-600" data-testid="share-links-count">
            {rp('shareLinks.count', links.length)}
          </span>
        )}
      </div>
      <p className="text-xs text-zinc-600">{rt('shareLinks.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {links.length > 0 && (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm">
          {links.map((link) => (
            <li
              key={link.id}
              data-testid="share-link-row"
              data-link-id={link.id}
              className="flex flex-wrap items-center justify-between gap-2 px-3 py-2"
            >
              <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <code dir="ltr" className="text-xs text-zinc-800">
                  /share/{link.prefix}…
                </code>
                <span className="text-xs text-zinc-600">
                  {rt('shareLinks.createdAt', { date: date(link.createdAt, 'date') })}
                </span>
                <span
                  className={`rounded-full px-2 py-0.5 text-xs ${link.revokedAt ? 'bg-zinc-100 text-zinc-600' : 'bg-emerald-50 text-emerald-800'}`}
                  data-testid="share-link-status"
                >
                  {link.revokedAt
                    ? rt('shareLinks.revokedAt', { date: date(link.revokedAt, 'date') })
                    : rt('shareLinks.active')}
                </span>
              </span>
              {manage && !link.revokedAt && (
                <Button
                  variant="dangerGhost"
                  aria-label={rt('shareLinks.revokeLabel', { prefix: link.prefix })}
                  testId="share-link-revoke"
                  onClick={() => setRevoking(link)}
                >
                  {rt('shareLinks.revoke')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {created && (
        <div
          className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3"
          data-testid="share-link-created"
        >
          <p className="text-sm text-amber-900">{rt('shareLinks.createdTitle')}</p>
          <CopyField
            label={rt('shareLinks.url')}
            value={created}
            testId="share-link-url"
            copyTestId="share-link-copy"
          />
          <Button onClick={() => setCreated(null)} testId="share-link-done">
            {rt('shareLinks.done')}
          </Button>
        </div>
      )}
      <StatusMessage message={notice} testId="share-links-notice" />
      {manage && !created && (
        <Button onClick={() => create.mutate()} busy={create.isPending} testId="share-link-create">
          {rt('shareLinks.create')}
        </Button>
      )}
      {create.isError && (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(create.error, t)}
        </p>
      )}
      {/* Mounted only while asking: a site list holds one of these per site, and the page one dialog. */}
      {revoking && (
        <ConfirmDialog
          open
          title={rt('shareLinks.confirmTitle')}
          confirmLabel={rt('shareLinks.revoke')}
          busy={revoke.isPending}
          error={revoke.isError ? errorMessage(revoke.error, t) : null}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => {
            setRevoking(null);
            revoke.reset();
          }}
        >
          {rt('shareLinks.confirmBody', { prefix: revoking.prefix })}
        </ConfirmDialog>
      )}
    </div>
  );
}
