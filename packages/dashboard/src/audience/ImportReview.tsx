import { useId, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { fieldClass } from '../components/FieldShell.tsx';
import { FormAlert } from '../components/Form.tsx';
import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import { type AttributeDefinition, IMPORT_POLICIES, type ImportPolicy, type ImportPreview } from './api.ts';
import { type AudienceI18n, useAudienceI18n } from './i18n.ts';
import {
  completeMapping,
  customTarget,
  delimiterName,
  IGNORE,
  type Mapping,
  mapsEmailOrPhone,
  STANDARD_TARGETS,
  type StandardTarget,
  sampleValue,
  withTarget,
} from './importState.ts';
import { ProblemsTable } from './ProblemsTable.tsx';

interface ImportReviewProps {
  preview: ImportPreview;
  defs: AttributeDefinition[];
  uploading: boolean;
  uploadError: string | null;
  onStart: (policy: ImportPolicy, mapping: Mapping) => void;
  onAnother: () => void;
}

/** How the file reads, its column mapping (editable), its first rows and problems, and the policy. */
export function ImportReview({
  preview,
  defs,
  uploading,
  uploadError,
  onStart,
  onAnother,
}: ImportReviewProps) {
  const i18n = useAudienceI18n();
  const { at, ap } = i18n;
  const [mapping, setMapping] = useState(() => completeMapping(preview.headers, preview.mapping, defs));
  const [policy, setPolicy] = useState<ImportPolicy>('upsert');
  const policyName = useId();
  const mapped = mapsEmailOrPhone(mapping);
  const delimiter = delimiterName(preview.delimiter);
  return (
    <div className="space-y-6" data-testid="import-review">
      <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
        <div>
          <dt className="text-xs font-medium text-zinc-600">{at('import.encoding')}</dt>
          <dd className="font-medium text-zinc-900" data-testid="import-encoding">
            <bdi dir="ltr">{preview.encoding}</bdi>
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-zinc-600">{at('import.delimiter')}</dt>
          <dd className="font-medium text-zinc-900" data-testid="import-delimiter">
            {delimiter ? at(`delimiter.${delimiter}`) : <bdi dir="ltr">{preview.delimiter}</bdi>}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-zinc-600">{at('import.mapping')}</dt>
          <dd className="font-medium text-zinc-900">{ap('import.columns', preview.headers.length)}</dd>
        </div>
      </dl>

      <section className="space-y-3" aria-labelledby="import-mapping-title">
        <h3 id="import-mapping-title" className="text-sm font-semibold text-zinc-900">
          {at('import.mapping')}
        </h3>
        <p
          className="text-sm text-zinc-600"
          data-testid="import-remembered"
          data-remembered={preview.remembered}
        >
          {preview.remembered ? at('import.remembered') : at('import.suggested')}
        </p>
        <div className="relative overflow-x-auto rounded-md border border-zinc-200">
          <table className={tableClass} data-testid="import-mapping">
            <thead className="border-b border-zinc-200 bg-zinc-50">
              <tr>
                <th scope="col" className={thClass}>
                  {at('import.colHeader')}
                </th>
                <th scope="col" className={thClass}>
                  {at('import.colField')}
                </th>
                <th scope="col" className={thClass}>
                  {at('import.colExample')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {preview.headers.map((header) => (
                <tr key={header} data-testid="mapping-row" data-header={header}>
                  <th scope="row" className={`${tdClass} text-start font-medium`}>
                    <bdi>{header}</bdi>
                  </th>
                  <td className={tdClass}>
                    <TargetSelect
                      header={header}
                      value={mapping[header] ?? IGNORE}
                      defs={defs}
                      onChange={(target) => setMapping(withTarget(mapping, header, target))}
                      i18n={i18n}
                    />
                  </td>
                  <td className={`${tdClass} max-w-64 truncate text-zinc-600`}>
                    <bdi>{example(preview, header)}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!mapped && (
          <p role="alert" className="text-sm text-red-700" data-testid="import-needs-email-or-phone">
            {at('import.needsEmailOrPhone')}
          </p>
        )}
      </section>

      <SampleTable preview={preview} defs={defs} i18n={i18n} />

      <section className="space-y-3" aria-labelledby="import-problems-title">
        <h3 id="import-problems-title" className="text-sm font-semibold text-zinc-900">
          {at('import.problems')}
        </h3>
        {preview.problems.length > 0 ? (
          <ProblemsTable problems={preview.problems} testId="import-preview-problems" />
        ) : (
          <p className="text-sm text-zinc-600">{at('import.noProblems')}</p>
        )}
      </section>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-zinc-900">{at('import.policy')}</legend>
        {IMPORT_POLICIES.map((p) => (
          <label key={p} className="flex items-center gap-2 text-sm text-zinc-800">
            <input
              type="radio"
              name={policyName}
              value={p}
              checked={policy === p}
              onChange={() => setPolicy(p)}
              data-testid={`import-policy-${p}`}
              className="size-4 accent-teal-700"
            />
            {at(`policy.${p}`)}
          </label>
        ))}
      </fieldset>

      <FormAlert message={uploadError} />
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="primary"
          busy={uploading}
          disabled={!mapped}
          onClick={() => onStart(policy, mapping)}
          testId="import-start"
        >
          {uploading ? at('import.uploading') : at('import.start')}
        </Button>
        <Button onClick={onAnother} testId="import-another">
          {at('import.another')}
        </Button>
      </div>
    </div>
  );
}

/** The first non-empty value the server read for this column (with the mapping it suggested). */
function example(preview: ImportPreview, header: string): string {
  const target = preview.mapping[header];
  if (!target || target === IGNORE) return '';
  for (const row of preview.sample) {
    const value = sampleValue(row.contact, target);
    if (value !== '') return value;
  }
  return '';
}

export function targetLabel(
  target: string,
  defs: readonly AttributeDefinition[],
  { at }: AudienceI18n,
): string {
  if (target === IGNORE) return at('import.ignore');
  if (target in STANDARD_TARGETS) return at(`field.${STANDARD_TARGETS[target as StandardTarget]}`);
  return defs.find((d) => customTarget(d.key) === target)?.label ?? target;
}

function TargetSelect({
  header,
  value,
  defs,
  onChange,
  i18n,
}: {
  header: string;
  value: string;
  defs: readonly AttributeDefinition[];
  onChange: (target: string) => void;
  i18n: AudienceI18n;
}) {
  const { at } = i18n;
  return (
    <select
      aria-label={at('import.fieldFor', { header })}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid="mapping-target"
      className={`${fieldClass} min-w-56 border-zinc-300 ${value === IGNORE ? 'text-zinc-500' : ''}`}
    >
      <option value={IGNORE}>{at('import.ignore')}</option>
      <optgroup label={at('import.standardFields')}>
        {(Object.keys(STANDARD_TARGETS) as StandardTarget[]).map((t) => (
          <option key={t} value={t}>
            {targetLabel(t, defs, i18n)}
          </option>
        ))}
      </optgroup>
      {defs.length > 0 && (
        <optgroup label={at('import.customFields')}>
          {defs.map((d) => (
            <option key={d.key} value={customTarget(d.key)}>
              {d.label}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}

function SampleTable({
  preview,
  defs,
  i18n,
}: {
  preview: ImportPreview;
  defs: AttributeDefinition[];
  i18n: AudienceI18n;
}) {
  const { at, number } = i18n;
  const targets = preview.headers
    .map((h) => preview.mapping[h])
    .filter((t): t is string => !!t && t !== IGNORE);
  if (preview.sample.length === 0 || targets.length === 0) return null;
  return (
    <section className="space-y-3" aria-labelledby="import-sample-title">
      <h3 id="import-sample-title" className="text-sm font-semibold text-zinc-900">
        {at('import.sample')}
      </h3>
      <p className="text-xs text-zinc-600">{at('import.sampleNote')}</p>
      <div className="relative overflow-x-auto rounded-md border border-zinc-200">
        <table className={tableClass} data-testid="import-sample">
          <thead className="border-b border-zinc-200 bg-zinc-50">
            <tr>
              <th scope="col" className={thClass}>
                {at('import.colLine')}
              </th>
              {targets.map((t) => (
                <th key={t} scope="col" className={thClass}>
                  {targetLabel(t, defs, i18n)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {preview.sample.map((row) => (
              <tr key={row.line} data-testid="sample-row">
                <td className={`${tdClass} text-zinc-600`}>{number(row.line)}</td>
                {targets.map((t) => (
                  <td key={t} className={tdClass}>
                    <bdi dir={t === 'email' || t === 'phone' ? 'ltr' : undefined}>
                      {sampleValue(row.contact, t)}
                    </bdi>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
