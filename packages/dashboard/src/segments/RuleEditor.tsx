import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { getWorkspace } from '../api/workspaces.ts';
import { listAttributes } from '../audience/api.ts';
import { attributesKey } from '../audience/keys.ts';
import { useDebounced } from '../audience/useDebounced.ts';
import { Button } from '../components/Button.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { workspaceKey } from '../screens/settings/WorkspaceTab.tsx';
import { queryClient } from '../session/queryClient.ts';
import {
  createSegment,
  estimateSegment,
  listLists,
  listSegments,
  type Segment,
  type SegmentWarning,
  updateSegment,
} from './api.ts';
import type { Choices } from './ConditionForm.tsx';
import { GroupEditor, type Note } from './GroupEditor.tsx';
import { type SegmentsI18n, useSegmentsI18n } from './i18n.ts';
import { listsKey, segmentKey, segmentsKey } from './keys.ts';
import {
  conditionNode,
  emptyDraft,
  fromDefinition,
  type GroupNode,
  groupNode,
  locate,
  toDefinition,
} from './logic.ts';
import { inputClass } from './parts.tsx';

/** The estimate waits for typing to pause, so the server counts once per pause, not per key. */
const ESTIMATE_DEBOUNCE_MS = 400;

/** Name and rules of a new or existing segment, with its size counted live while editing. */
export function RuleEditor({
  ws,
  segment,
  onSaved,
}: {
  ws: string;
  segment?: Segment;
  onSaved: (segment: Segment) => void;
}) {
  const i18n = useSegmentsI18n();
  const { st, sp, number, t } = i18n;
  const nameId = useId();
  const [name, setName] = useState(segment?.name ?? '');
  const [root, setRoot] = useState<GroupNode>(() =>
    segment ? fromDefinition(segment.definition) : groupNode('all', [conditionNode(emptyDraft('attribute'))]),
  );
  const attributes = useQuery({ queryKey: attributesKey(ws), queryFn: () => listAttributes(ws) });
  const lists = useQuery({ queryKey: listsKey(ws), queryFn: () => listLists(ws) });
  const segments = useQuery({ queryKey: segmentsKey(ws), queryFn: () => listSegments(ws) });
  const workspace = useQuery({ queryKey: workspaceKey(ws), queryFn: () => getWorkspace(ws) });
  const choices: Choices = useMemo(() => {
    const defs = attributes.data?.attributes ?? [];
    return {
      custom: defs,
      customLabels: Object.fromEntries(defs.map((a) => [a.key, a.label])),
      lists: lists.data?.lists ?? [],
      segments: (segments.data?.segments ?? []).filter((s) => s.id !== segment?.id),
      // Unknown while the workspace loads; UTC (named at the inputs) if it cannot be read.
      timeZone: workspace.data?.workspace.timezone ?? (workspace.isError ? 'UTC' : null),
    };
  }, [attributes.data, lists.data, segments.data, segment?.id, workspace.data, workspace.isError]);

  const built = toDefinition(root, choices.custom);
  const json = built.ok ? JSON.stringify(built.definition) : null;
  const settled = useDebounced(json, ESTIMATE_DEBOUNCE_MS);
  const estimate = useQuery({
    queryKey: ['segmentEstimate', ws, settled],
    queryFn: () => estimateSegment(ws, JSON.parse(settled ?? '{}') as Record<string, unknown>),
    enabled: settled !== null,
    retry: false,
  });

  const save = useMutation({
    mutationFn: () => {
      if (!built.ok) throw new Error('incomplete');
      const body = { name: name.trim(), definition: built.definition };
      return segment ? updateSegment(ws, segment.id, body) : createSegment(ws, body);
    },
    onSuccess: async (result) => {
      queryClient.setQueryData(segmentKey(ws, result.segment.id), { segment: result.segment });
      await queryClient.invalidateQueries({ queryKey: segmentsKey(ws) });
      onSaved(result.segment);
    },
  });

  // Notes by node: the first missing piece, the server's warnings, a 400 at the field it names.
  const notes = useMemo(() => {
    const map = new Map<string, Note[]>();
    const add = (path: string, tone: Note['tone'], text: string) => {
      const at = locate(root, path);
      if (at) map.set(at.id, [...(map.get(at.id) ?? []), { tone, text, field: at.field }]);
    };
    if (!built.ok) {
      const { path, field, reason } = built.incomplete;
      add(field ? `${path}.${field}` : path, 'error', st(`incomplete.${reason}`));
    }
    const fresh = settled === json;
    if (fresh) for (const w of estimate.data?.warnings ?? []) add(w.path, 'warning', warningText(w, i18n));
    for (const e of [fresh ? estimate.error : null, save.error]) {
      if (e instanceof ApiError && e.field?.startsWith('definition')) add(e.field, 'error', e.message);
    }
    return map;
  }, [root, built, settled, json, estimate.data, estimate.error, save.error, st, i18n]);

  const nameError = save.error instanceof ApiError && save.error.field === 'name' ? save.error.message : null;
  const otherError =
    save.error && !(save.error instanceof ApiError && save.error.field) ? errorMessage(save.error, t) : null;

  return (
    <form
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="max-w-md space-y-1.5">
        <label htmlFor={nameId} className="block text-sm font-medium text-zinc-800">
          {st('editor.name')}
        </label>
        <input
          id={nameId}
          className={inputClass}
          value={name}
          required
          dir="auto"
          data-testid="segment-name"
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${nameId}-error` : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {nameError && (
          <p id={`${nameId}-error`} className="text-sm text-red-700">
            {nameError}
          </p>
        )}
      </div>
      <div className="grid gap-5 lg:grid-cols-[1fr_16rem]">
        <section aria-label={st('editor.rules')}>
          <GroupEditor group={root} depth={1} edit={(f) => setRoot(f)} notes={notes} choices={choices} />
        </section>
        <aside
          aria-live="polite"
          data-testid="segment-estimate"
          className="h-fit rounded-lg border border-zinc-200 bg-white p-4 text-sm lg:sticky lg:top-4"
        >
          <h2 className="mb-2 font-semibold text-zinc-900">{st('estimate.title')}</h2>
          {!built.ok ? (
            <p className="text-zinc-600">{st('estimate.incomplete')}</p>
          ) : settled !== json || estimate.isFetching ? (
            <p className="text-zinc-600" data-testid="estimate-loading">
              {st('estimate.loading')}
            </p>
          ) : estimate.isError ? (
            <p className="text-red-700">{st('estimate.failed', { message: estimate.error.message })}</p>
          ) : estimate.data ? (
            <div className="space-y-1">
              <p
                className="text-lg font-semibold text-teal-900"
                data-testid="estimate-count"
                data-count={estimate.data.count}
              >
                {sp('estimate.count', estimate.data.count)}
              </p>
              <p className="text-zinc-600" data-testid="estimate-took">
                {st('estimate.took', { ms: number(estimate.data.tookMs) })}
              </p>
              {estimate.data.alwaysEmpty && <p className="text-amber-800">{st('estimate.alwaysEmpty')}</p>}
            </div>
          ) : null}
        </aside>
      </div>
      {otherError && (
        <p role="alert" className="text-sm text-red-700">
          {otherError}
        </p>
      )}
      <Button
        type="submit"
        variant="primary"
        busy={save.isPending}
        disabled={!built.ok}
        testId="segment-save"
      >
        {save.isPending ? st('saving') : st('save')}
      </Button>
    </form>
  );
}

function warningText(w: SegmentWarning, i18n: SegmentsI18n): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(w.params)) params[k] = typeof v === 'boolean' ? String(v) : v;
  if (typeof params.field === 'string') params.field = i18n.label(`f.${params.field}`, params.field);
  return i18n.st('warning', { message: i18n.label(`w.${w.code}`, w.message, params) });
}
