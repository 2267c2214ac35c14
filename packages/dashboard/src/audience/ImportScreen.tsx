import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { buttonClass } from '../components/Button.tsx';
import { FormAlert } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { navigate } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { AudienceLayout } from './AudienceLayout.tsx';
import { type ImportPolicy, listAttributes, previewImport, startImport } from './api.ts';
import { ImportReview } from './ImportReview.tsx';
import { useAudienceI18n } from './i18n.ts';
import { formatBytes } from './importState.ts';
import { attributesKey, canWriteAudience, importsKey } from './keys.ts';
import { RecentImports } from './RecentImports.tsx';

/** `/contacts/import`: choose a file, review how it reads and maps, then upload it whole. */
export function ImportScreen() {
  const { workspace } = useSession();
  const { at } = useAudienceI18n();
  if (!workspace) return <HomeScreen />;
  const write = canWriteAudience(workspace.role);
  return (
    <AudienceLayout tab="import" title={at('import.title')}>
      {write ? (
        <ChooseAndReview ws={workspace.id} />
      ) : (
        <p className="text-sm text-zinc-600">{at('readOnly')}</p>
      )}
      <RecentImports ws={workspace.id} />
    </AudienceLayout>
  );
}

function ChooseAndReview({ ws }: { ws: string }) {
  const { at, tag } = useAudienceI18n();
  const { t } = useI18n();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const attributes = useQuery({ queryKey: attributesKey(ws), queryFn: () => listAttributes(ws) });
  const preview = useMutation({ mutationFn: (f: File) => previewImport(ws, f) });
  const upload = useMutation({
    mutationFn: (opts: { file: File; policy: ImportPolicy; mapping: Record<string, string> }) =>
      startImport(ws, opts.file, opts),
    onSuccess: ({ import: started }) => {
      queryClient.invalidateQueries({ queryKey: importsKey(ws) });
      navigate(`/contacts/imports/${started.id}`);
    },
  });
  const choose = (chosen: File | null) => {
    setFile(chosen);
    upload.reset();
    if (chosen) preview.mutate(chosen);
    else preview.reset();
  };
  return (
    <Section title={at('import.title')} description={at('import.intro')} testId="import-choose">
      <div className="space-y-5">
        <div className="space-y-1.5">
          <label htmlFor={inputId} className="block text-sm font-medium text-zinc-800">
            {at('import.file')}
          </label>
          {/* The browser's own file button speaks the browser's language; this one speaks ours. */}
          <div className="flex flex-wrap items-center gap-3">
            <input
              ref={inputRef}
              id={inputId}
              type="file"
              accept=".csv,.txt,text/csv"
              aria-describedby={`${inputId}-hint`}
              data-testid="import-file"
              onChange={(e) => choose(e.target.files?.[0] ?? null)}
              className="peer sr-only"
            />
            <label
              htmlFor={inputId}
              aria-hidden="true"
              className={buttonClass(
                'secondary',
                'cursor-pointer peer-focus-visible:outline-2 peer-focus-visible:outline-teal-700',
              )}
            >
              {at('import.choose')}
            </label>
            <span className="text-sm text-zinc-700" data-testid="import-file-summary">
              {file ? (
                <bdi>{at('import.fileSummary', { file: file.name, size: formatBytes(tag, file.size) })}</bdi>
              ) : (
                at('import.noFile')
              )}
            </span>
          </div>
          <p id={`${inputId}-hint`} className="text-xs text-zinc-600">
            {at('import.fileHint')}
          </p>
        </div>
        {preview.isPending && (
          <p role="status" className="text-sm text-zinc-600">
            {at('import.reading')}
          </p>
        )}
        <FormAlert message={preview.isError ? errorMessage(preview.error, t) : null} />
        {attributes.isError && <LoadError error={attributes.error} onRetry={() => attributes.refetch()} />}
        {preview.data && file && !attributes.data && attributes.isPending && <Loading />}
        {preview.data && file && attributes.data && (
          <ImportReview
            // A new preview starts its mapping afresh.
            key={`${file.name}-${file.lastModified}-${file.size}`}
            preview={preview.data}
            defs={attributes.data.attributes}
            uploading={upload.isPending}
            uploadError={upload.isError ? errorMessage(upload.error, t) : null}
            onStart={(policy, mapping) => upload.mutate({ file, policy, mapping })}
            onAnother={() => {
              if (inputRef.current) inputRef.current.value = '';
              choose(null);
              inputRef.current?.focus();
            }}
          />
        )}
      </div>
    </Section>
  );
}
