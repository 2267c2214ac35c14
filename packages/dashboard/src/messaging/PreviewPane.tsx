import { useState } from 'react';
import { errorMessage } from '../lib/apiErrors.ts';
import type { TemplatePreview, TextDirection } from './api.ts';
import type { MessagingI18n } from './i18n.ts';
import { Choice } from './parts.tsx';

type Width = 'desktop' | 'mobile';
const WIDTH_PX: Record<Width, number> = { desktop: 600, mobile: 375 };

/**
 * The rendered email in a sandboxed frame (no scripts, its own origin), at a phone's or a
 * desktop client's width, with the rendered subject above it. The frame's document carries
 * the template's own direction; the toggle here changes the template's `dir`.
 */
export function PreviewPane({
  preview,
  error,
  updating,
  dir,
  onDir,
  i18n,
}: {
  preview: TemplatePreview | undefined;
  error: unknown;
  updating: boolean;
  dir: TextDirection;
  onDir: (dir: TextDirection) => void;
  i18n: MessagingI18n;
}) {
  const { mt, t } = i18n;
  const [width, setWidth] = useState<Width>('desktop');
  return (
    <div className="space-y-4" data-testid="email-preview">
      <div className="flex flex-wrap items-end gap-4">
        <Choice
          label={mt('preview.width')}
          value={width}
          onChange={setWidth}
          options={[
            { value: 'desktop', label: mt('preview.desktop') },
            { value: 'mobile', label: mt('preview.mobile') },
          ]}
          testId="preview-width"
        />
        <Choice
          label={mt('field.dir')}
          value={dir}
          onChange={onDir}
          options={[
            { value: 'rtl', label: mt('dir.rtl') },
            { value: 'ltr', label: mt('dir.ltr') },
          ]}
          testId="template-dir"
        />
        <p role="status" className="pb-2 text-sm text-zinc-600" data-testid="preview-updating">
          {updating ? mt('preview.updating') : ''}
        </p>
      </div>
      <p className="text-xs text-zinc-600">{mt('preview.sample')}</p>
      {error !== null && error !== undefined && (
        <p role="alert" className="text-sm text-red-700" data-testid="preview-error">
          {mt('preview.failed')} <bdi>{errorMessage(error, t)}</bdi>
        </p>
      )}
      {preview && (
        <div className={`space-y-3 ${error ? 'opacity-50' : ''}`}>
          <p className="text-sm">
            <span className="text-zinc-600">{mt('preview.subject')}: </span>
            <bdi dir={dir} className="font-medium text-zinc-900" data-testid="preview-subject">
              {preview.subject ?? ''}
            </bdi>
          </p>
          <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-zinc-100 p-3">
            <iframe
              title={mt('preview.frame')}
              sandbox=""
              srcDoc={preview.html ?? ''}
              data-testid="preview-frame"
              data-width={width}
              className="mx-auto block h-[36rem] max-w-none rounded border-0 bg-white shadow-sm"
              style={{ width: WIDTH_PX[width] }}
            />
          </div>
        </div>
      )}
    </div>
  );
}
