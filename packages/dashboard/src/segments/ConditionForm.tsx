import type { ReactNode } from 'react';
import { Button } from '../components/Button.tsx';
import type { StaticList } from './api.ts';
import { type SegmentsI18n, useSegmentsI18n } from './i18n.ts';
import {
  ACCOUNT_FIELDS,
  type AccountDraft,
  type AttributeDraft,
  accountOperators,
  type Behaviour,
  COMPUTED_METRICS,
  CONSENT_CHANNELS,
  COUNT_OPS,
  type ComputedDraft,
  type CountOp,
  type CustomAttribute,
  type Draft,
  EVENT_TYPES,
  type EventDraft,
  type EventType,
  emptyProperty,
  emptyWindow,
  fieldChoices,
  fieldType,
  instantToLocal,
  localToInstant,
  MAX_PROPERTIES,
  MESSAGE_ACTIONS,
  MESSAGE_CHANNELS,
  type Metric,
  OPERATORS_BY_TYPE,
  operatorsForMetric,
  operatorsForValueType,
  PAGE_OPS,
  type PropertyDraft,
  STANDARD_FIELDS,
  type ValueType,
  valueShape,
  type WindowDraft,
  withField,
} from './logic.ts';
import { Input, inputClass, Labelled, Select } from './parts.tsx';

export interface Choices {
  custom: readonly CustomAttribute[];
  customLabels: Record<string, string>;
  lists: readonly StaticList[];
  segments: readonly { id: string; name: string }[];
  /**
   * The workspace's IANA zone: absolute windows are typed and shown in it (named next to the inputs).
   * Null until it is known: those inputs wait rather than show another zone's clock.
   */
  timeZone: string | null;
}

/** Error texts by the condition's field (`value`, `window.from`), from the draft's check or the server. */
export type FieldErrors = Readonly<Record<string, string>>;

type Opt = (values: readonly string[], prefix: string) => { value: string; label: string }[];

/** The inputs of one condition, by kind. */
export function ConditionForm({
  draft,
  onChange,
  choices,
  errors,
}: {
  draft: Draft;
  onChange: (draft: Draft) => void;
  choices: Choices;
  errors: FieldErrors;
}) {
  const i18n = useSegmentsI18n();
  const { st } = i18n;
  const opt: Opt = (values, prefix) =>
    values.map((v) => ({ value: v, label: i18n.label(`${prefix}${v}`, v) }));
  const behaviour = (d: Draft & Behaviour) => (
    <BehaviourFields
      value={d}
      onChange={(b) => onChange({ ...d, ...b })}
      i18n={i18n}
      errors={errors}
      timeZone={choices.timeZone}
    />
  );
  switch (draft.kind) {
    case 'attribute':
      return (
        <AttributeForm draft={draft} onChange={onChange} choices={choices} i18n={i18n} errors={errors} />
      );
    case 'account':
      return <AccountForm draft={draft} onChange={onChange} i18n={i18n} errors={errors} opt={opt} />;
    case 'computed':
      return (
        <ComputedForm
          draft={draft}
          onChange={onChange}
          i18n={i18n}
          errors={errors}
          timeZone={choices.timeZone}
        />
      );
    case 'consent':
      return (
        <>
          <Select
            label={st('consentBy')}
            value={draft.by}
            testId="consent-by"
            options={opt(['channel', 'topic'], 'consentBy.')}
            onChange={(by) => onChange({ ...draft, by: by === 'topic' ? 'topic' : 'channel' })}
          />
          {draft.by === 'channel' ? (
            <Select
              label={st('channel')}
              value={draft.channel}
              field="channel"
              error={errors.channel}
              options={CONSENT_CHANNELS.map((c) => ({ value: c, label: c }))}
              onChange={(channel) => onChange({ ...draft, channel })}
            />
          ) : (
            <Input
              label={st('topic')}
              value={draft.topic}
              testId="consent-topic"
              field="topic"
              error={errors.topic}
              onChange={(topic) => onChange({ ...draft, topic })}
            />
          )}
          <Select
            label={st('status')}
            value={draft.status}
            options={opt(['granted', 'not_granted'], 'status.')}
            onChange={(status) => onChange({ ...draft, status: status as 'granted' | 'not_granted' })}
          />
        </>
      );
    case 'event':
      return (
        <EventForm
          draft={draft}
          onChange={onChange}
          i18n={i18n}
          errors={errors}
          opt={opt}
          behaviour={behaviour}
        />
      );
    case 'page':
      return (
        <>
          <Select
            label={st('pathOp')}
            value={draft.path.op}
            field="path.op"
            error={errors['path.op']}
            options={opt(PAGE_OPS, 'pathOp.')}
            onChange={(op) => onChange({ ...draft, path: { ...draft.path, op: op as typeof draft.path.op } })}
          />
          <Input
            label={st('pathValue')}
            value={draft.path.value}
            dir="ltr"
            testId="page-path"
            field="path.value"
            error={errors['path.value']}
            onChange={(value) => onChange({ ...draft, path: { ...draft.path, value } })}
          />
          {behaviour(draft)}
        </>
      );
    case 'message':
      return (
        <>
          <Select
            label={st('action')}
            value={draft.action}
            options={opt(MESSAGE_ACTIONS, 'action.')}
            onChange={(action) => onChange({ ...draft, action: action as typeof draft.action })}
          />
          <Select
            label={st('channel')}
            value={draft.channel ?? ''}
            field="channel"
            error={errors.channel}
            options={[
              { value: '', label: st('anyChannel') },
              ...MESSAGE_CHANNELS.map((c) => ({ value: c, label: c })),
            ]}
            onChange={(channel) => onChange({ ...draft, channel: channel === '' ? undefined : channel })}
          />
          <Input
            label={st('campaignId')}
            hint={st('campaignIdHint')}
            value={draft.campaignId}
            dir="ltr"
            testId="message-campaign"
            field="campaignId"
            error={errors.campaignId}
            onChange={(campaignId) => onChange({ ...draft, campaignId })}
          />
          {behaviour(draft)}
        </>
      );
    case 'list':
      return (
        <>
          <Select
            label={st('member')}
            value={String(draft.member)}
            options={opt(['true', 'false'], 'member.')}
            onChange={(v) => onChange({ ...draft, member: v === 'true' })}
          />
          <Select
            label={st('list')}
            value={draft.listId}
            field="listId"
            error={errors.listId}
            options={[
              { value: '', label: st('choose') },
              ...choices.lists.map((l) => ({ value: l.id, label: l.name })),
            ]}
            onChange={(listId) => onChange({ ...draft, listId })}
          />
        </>
      );
    case 'segment':
      return (
        <>
          <Select
            label={st('member')}
            value={String(draft.member)}
            options={opt(['true', 'false'], 'member.')}
            onChange={(v) => onChange({ ...draft, member: v === 'true' })}
          />
          <Select
            label={st('segment')}
            value={draft.segmentId}
            field="segmentId"
            error={errors.segmentId}
            options={[
              { value: '', label: st('choose') },
              ...choices.segments.map((s) => ({ value: s.id, label: s.name })),
            ]}
            onChange={(segmentId) => onChange({ ...draft, segmentId })}
          />
        </>
      );
  }
}

function AttributeForm({
  draft,
  onChange,
  choices,
  i18n,
  errors,
}: {
  draft: AttributeDraft;
  onChange: (d: Draft) => void;
  choices: Choices;
  i18n: SegmentsI18n;
  errors: FieldErrors;
}) {
  const { st } = i18n;
  const type = fieldType(draft.field, choices.custom);
  return (
    <>
      <Labelled label={st('field')} error={errors.field} field="field">
        {(id, describedBy, invalid) => (
          <select
            id={id}
            className={inputClass}
            value={draft.field}
            data-testid="condition-field"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => onChange(withField(draft, e.target.value, choices.custom))}
          >
            <optgroup label={st('standard.group')}>
              {Object.keys(STANDARD_FIELDS).map((f) => (
                <option key={f} value={f}>
                  {i18n.label(`f.${f}`, f)}
                </option>
              ))}
            </optgroup>
            {choices.custom.length > 0 && (
              <optgroup label={st('custom.group')}>
                {choices.custom.map((a) => (
                  <option key={a.key} value={`attributes.${a.key}`}>
                    {choices.customLabels[a.key] ?? a.key}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        )}
      </Labelled>
      <Select
        label={st('operator')}
        value={draft.operator}
        testId="condition-operator"
        field="operator"
        error={errors.operator}
        options={OPERATORS_BY_TYPE[type].map((o) => ({ value: o, label: i18n.label(`op.${o}`, o) }))}
        onChange={(operator) => onChange({ ...draft, operator, value: '', value2: '' })}
      />
      <Operand
        shape={valueShape(draft.operator)}
        type={type}
        choices={fieldChoices(draft.field, choices.custom)}
        labels={draft.field === 'lifecycle_stage' || draft.field === 'gender' ? 'v.' : null}
        value={draft.value}
        value2={draft.value2}
        onChange={(value, value2) => onChange({ ...draft, value, value2 })}
        i18n={i18n}
        errors={errors}
      />
    </>
  );
}

const CUSTOM = 'attributes.';

/** An account column or custom attribute: the key is typed, its value sent as text or a number. */
function AccountForm({
  draft,
  onChange,
  i18n,
  errors,
  opt,
}: {
  draft: AccountDraft;
  onChange: (d: Draft) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  opt: Opt;
}) {
  const { st } = i18n;
  const custom = draft.field.startsWith(CUSTOM);
  // A new field or type keeps the operator when it still applies, and starts the value afresh.
  const change = (patch: Partial<AccountDraft>) => {
    const next = { ...draft, ...patch };
    const ops = accountOperators(next);
    const operator = ops.includes(next.operator) ? next.operator : (ops[0] ?? 'eq');
    onChange({ ...next, operator, value: '', value2: '' });
  };
  return (
    <>
      <Select
        label={st('account.field')}
        value={custom ? CUSTOM : draft.field}
        testId="account-field"
        field="field"
        error={custom ? undefined : errors.field}
        options={[...opt(ACCOUNT_FIELDS, 'a.'), { value: CUSTOM, label: st('a.custom') }]}
        onChange={(field) => change({ field: field === CUSTOM && custom ? draft.field : field })}
      />
      {custom && (
        <>
          <Input
            label={st('attributeKey')}
            hint={st('attributeKeyHint')}
            value={draft.field.slice(CUSTOM.length)}
            dir="ltr"
            testId="account-key"
            field="field"
            error={errors.field}
            onChange={(key) => onChange({ ...draft, field: `${CUSTOM}${key.trim()}` })}
          />
          <Select
            label={st('valueType')}
            value={draft.type}
            testId="account-type"
            options={opt(
              draft.type === 'boolean' ? ['text', 'number', 'boolean'] : ['text', 'number'],
              'valueType.',
            )}
            onChange={(type) => change({ type: type as ValueType })}
          />
        </>
      )}
      <Select
        label={st('operator')}
        value={draft.operator}
        testId="condition-operator"
        field="operator"
        error={errors.operator}
        options={accountOperators(draft).map((o) => ({ value: o, label: i18n.label(`op.${o}`, o) }))}
        onChange={(operator) => onChange({ ...draft, operator, value: '', value2: '' })}
      />
      <Operand
        shape={valueShape(draft.operator)}
        type={custom ? draft.type : 'text'}
        choices={custom && draft.type === 'boolean' ? ['true', 'false'] : null}
        labels="bool."
        value={draft.value}
        value2={draft.value2}
        onChange={(value, value2) => onChange({ ...draft, value, value2 })}
        i18n={i18n}
        errors={errors}
      />
    </>
  );
}

function EventForm({
  draft,
  onChange,
  i18n,
  errors,
  opt,
  behaviour,
}: {
  draft: EventDraft;
  onChange: (d: Draft) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  opt: Opt;
  behaviour: (d: EventDraft) => ReactNode;
}) {
  const { st } = i18n;
  const type = draft.type ?? 'track';
  const properties = draft.properties ?? [];
  const setProperties = (next: PropertyDraft[]) =>
    onChange({ ...draft, properties: next.length === 0 ? undefined : next });
  return (
    <>
      <Select
        label={st('eventType')}
        value={type}
        testId="event-type"
        field="type"
        error={errors.type}
        options={opt(EVENT_TYPES, 'eventType.')}
        onChange={(t) => onChange({ ...draft, type: t as EventType })}
      />
      <Input
        label={st('eventName')}
        hint={type === 'track' ? undefined : st('eventNameOptional')}
        value={draft.name}
        dir="ltr"
        testId="condition-event-name"
        field="name"
        error={errors.name}
        onChange={(name) => onChange({ ...draft, name })}
      />
      {behaviour(draft)}
      <fieldset className="basis-full space-y-2" data-testid="event-properties">
        <legend className="mb-1 text-xs font-medium text-zinc-700">{st('properties')}</legend>
        {errors.properties && (
          <p
            role="alert"
            data-testid="condition-error"
            data-field="properties"
            className="text-xs text-red-800"
          >
            <bdi>{errors.properties}</bdi>
          </p>
        )}
        {properties.map((p, i) => (
          <PropertyRow
            // biome-ignore lint/suspicious/noArrayIndexKey: a filter is its position (the server's path too)
            key={i}
            index={i}
            value={p}
            i18n={i18n}
            errors={errors}
            opt={opt}
            onChange={(next) => setProperties(properties.map((q, j) => (j === i ? next : q)))}
            onRemove={() => setProperties(properties.filter((_, j) => j !== i))}
          />
        ))}
        {properties.length < MAX_PROPERTIES && (
          <Button testId="property-add" onClick={() => setProperties([...properties, emptyProperty()])}>
            {st('property.add')}
          </Button>
        )}
      </fieldset>
    </>
  );
}

function PropertyRow({
  index,
  value,
  onChange,
  onRemove,
  i18n,
  errors,
  opt,
}: {
  index: number;
  value: PropertyDraft;
  onChange: (p: PropertyDraft) => void;
  onRemove: () => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  opt: Opt;
}) {
  const { st, number } = i18n;
  const at = `properties[${index}]`;
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(`${at}.`)) own[k.slice(at.length + 1)] = v;
  return (
    <fieldset
      data-testid="property-filter"
      className="flex flex-wrap items-end gap-3 rounded border border-zinc-200 bg-zinc-50 p-2"
    >
      <legend className="sr-only">{st('property.label', { n: number(index + 1) })}</legend>
      <Input
        label={st('property.path')}
        hint={st('property.pathHint')}
        value={value.path}
        dir="ltr"
        testId="property-path"
        field={`${at}.path`}
        error={own.path}
        onChange={(path) => onChange({ ...value, path })}
      />
      <Select
        label={st('valueType')}
        value={value.type}
        testId="property-type"
        options={opt(['text', 'number', 'boolean'], 'valueType.')}
        onChange={(t) => {
          const type = t as ValueType;
          const ops = operatorsForValueType(type);
          const operator = ops.includes(value.operator) ? value.operator : (ops[0] ?? 'eq');
          onChange({ ...value, type, operator, value: '', value2: '' });
        }}
      />
      <Select
        label={st('operator')}
        value={value.operator}
        testId="property-operator"
        field={`${at}.operator`}
        error={own.operator}
        options={operatorsForValueType(value.type).map((o) => ({
          value: o,
          label: i18n.label(`op.${o}`, o),
        }))}
        onChange={(operator) => onChange({ ...value, operator, value: '', value2: '' })}
      />
      <Operand
        shape={valueShape(value.operator)}
        type={value.type}
        choices={value.type === 'boolean' ? ['true', 'false'] : null}
        labels="bool."
        value={value.value}
        value2={value.value2}
        onChange={(v, v2) => onChange({ ...value, value: v, value2: v2 })}
        i18n={i18n}
        errors={own}
        testId="property-value"
        fieldPrefix={`${at}.`}
      />
      <Button variant="dangerGhost" testId="property-remove" onClick={onRemove} className="ms-auto">
        {st('property.remove')}
      </Button>
    </fieldset>
  );
}

function ComputedForm({
  draft,
  onChange,
  i18n,
  errors,
  timeZone,
}: {
  draft: ComputedDraft;
  onChange: (d: Draft) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  timeZone: string | null;
}) {
  const { st } = i18n;
  return (
    <>
      <Select
        label={st('metric')}
        value={draft.metric}
        options={COMPUTED_METRICS.map((m) => ({ value: m, label: i18n.label(`metric.${m}`, m) }))}
        onChange={(m) => {
          const metric = m as Metric;
          const ops = operatorsForMetric(metric);
          const operator = ops.includes(draft.operator) ? draft.operator : (ops[0] ?? 'gte');
          // The lead score is a column of the contact: a window means nothing to it.
          const window = metric === 'lead_score' ? emptyWindow() : draft.window;
          onChange({ ...draft, metric, operator, value: '', value2: '', window });
        }}
      />
      <Select
        label={st('operator')}
        value={draft.operator}
        field="operator"
        error={errors.operator}
        options={operatorsForMetric(draft.metric).map((o) => ({ value: o, label: i18n.label(`op.${o}`, o) }))}
        onChange={(operator) => onChange({ ...draft, operator })}
      />
      <Operand
        shape={valueShape(draft.operator)}
        type="number"
        choices={null}
        labels={null}
        value={draft.value}
        value2={draft.value2}
        onChange={(value, value2) => onChange({ ...draft, value, value2 })}
        i18n={i18n}
        errors={errors}
      />
      {draft.metric !== 'lead_score' && (
        <WindowFields
          value={draft.window}
          onChange={(window) => onChange({ ...draft, window })}
          i18n={i18n}
          errors={errors}
          timeZone={timeZone}
        />
      )}
    </>
  );
}

/** The value input the operator and the field's type call for. */
function Operand({
  shape,
  type,
  choices,
  labels,
  value,
  value2,
  onChange,
  i18n,
  errors,
  testId = 'condition-value',
  fieldPrefix = '',
}: {
  shape: ReturnType<typeof valueShape>;
  type: string;
  choices: readonly string[] | null;
  /** The catalogue prefix of fixed choices' labels (`v.`), or null to show them as they are. */
  labels: string | null;
  value: string;
  value2: string;
  onChange: (value: string, value2: string) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  testId?: string;
  /** Where the value sits in the condition (`properties[0].`), for `data-field`. */
  fieldPrefix?: string;
}) {
  const { st } = i18n;
  const inputType = type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
  const at = { field: `${fieldPrefix}value`, error: errors.value };
  if (shape === 'none') return null;
  if (shape === 'days')
    return (
      <Input
        label={st('days')}
        type="number"
        value={value}
        testId={testId}
        {...at}
        onChange={(v) => onChange(v, value2)}
      />
    );
  if (shape === 'range')
    return (
      <>
        <Input
          label={st('value')}
          type={inputType}
          value={value}
          testId={testId}
          {...at}
          onChange={(v) => onChange(v, value2)}
        />
        <Input
          label={st('valueTo')}
          type={inputType}
          value={value2}
          testId={`${testId}2`}
          field={`${fieldPrefix}value[1]`}
          error={errors['value[1]']}
          onChange={(v) => onChange(value, v)}
        />
      </>
    );
  if (shape === 'list')
    return (
      <Input
        label={st('value')}
        hint={choices ? `${st('value.listHint')} ${choices.join('، ')}` : st('value.listHint')}
        value={value}
        testId={testId}
        {...at}
        onChange={(v) => onChange(v, value2)}
      />
    );
  if (choices)
    return (
      <Select
        label={st('value')}
        value={value}
        testId={testId}
        {...at}
        options={[
          { value: '', label: st('choose') },
          ...choices.map((c) => ({ value: c, label: labels ? i18n.label(`${labels}${c}`, c) : c })),
        ]}
        onChange={(v) => onChange(v, value2)}
      />
    );
  return (
    <Input
      label={st('value')}
      type={inputType}
      value={value}
      testId={testId}
      {...at}
      onChange={(v) => onChange(v, value2)}
    />
  );
}

/** did / didn't, how many times, over which period: shared by events, pages and messages. */
function BehaviourFields({
  value,
  onChange,
  i18n,
  errors,
  timeZone,
}: {
  value: Behaviour;
  onChange: (b: Behaviour) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  timeZone: string | null;
}) {
  const { st } = i18n;
  return (
    <>
      <Select
        label={st('did')}
        value={String(value.did)}
        options={[
          { value: 'true', label: st('did.true') },
          { value: 'false', label: st('did.false') },
        ]}
        onChange={(v) => onChange({ ...value, did: v === 'true' })}
      />
      <Select
        label={st('countOp')}
        value={value.count?.op ?? ''}
        testId="count-op"
        field="count"
        error={errors.count}
        options={[
          { value: '', label: st('countOp.none') },
          ...COUNT_OPS.map((o) => ({ value: o, label: i18n.label(`countOp.${o}`, o) })),
        ]}
        onChange={(op) =>
          onChange({
            ...value,
            count: op === '' ? undefined : { op: op as CountOp, value: value.count?.value ?? '1' },
          })
        }
      />
      {value.count && (
        <Input
          label={st('times')}
          type="number"
          value={value.count.value}
          testId="count-value"
          field="count.value"
          error={errors['count.value']}
          onChange={(v) => onChange({ ...value, count: { op: value.count?.op ?? 'at_least', value: v } })}
        />
      )}
      <WindowFields
        value={value.window}
        onChange={(window) => onChange({ ...value, window })}
        i18n={i18n}
        errors={errors}
        timeZone={timeZone}
      />
    </>
  );
}

/**
 * All time, the last N days, or from one instant until another. The instants are typed as the
 * workspace's wall clock (its zone named under each input) and kept as ISO instants.
 */
function WindowFields({
  value,
  onChange,
  i18n,
  errors,
  timeZone,
}: {
  value: WindowDraft;
  onChange: (w: WindowDraft) => void;
  i18n: SegmentsI18n;
  errors: FieldErrors;
  timeZone: string | null;
}) {
  const { st } = i18n;
  const zone = st('window.zone', { zone: timeZone ?? '…' });
  const shown = (iso: string) => (timeZone === null ? '' : instantToLocal(iso, timeZone));
  const read = (local: string) => (timeZone === null ? '' : localToInstant(local, timeZone));
  return (
    <>
      <Select
        label={st('window')}
        value={value.mode}
        testId="window-mode"
        field="window"
        error={errors.window}
        options={[
          { value: 'all', label: st('window.all') },
          { value: 'last', label: st('window.last') },
          { value: 'range', label: st('window.range') },
        ]}
        onChange={(mode) => onChange({ ...value, mode: mode as WindowDraft['mode'] })}
      />
      {value.mode === 'last' && (
        <Input
          label={st('lastDays')}
          type="number"
          value={value.lastDays}
          testId="window-days"
          field="window.lastDays"
          error={errors['window.lastDays']}
          onChange={(lastDays) => onChange({ ...value, lastDays })}
        />
      )}
      {value.mode === 'range' && (
        <>
          <Input
            label={st('window.from')}
            hint={zone}
            type="datetime-local"
            dir="ltr"
            value={shown(value.from)}
            disabled={timeZone === null}
            testId="window-from"
            field="window.from"
            error={errors['window.from']}
            onChange={(local) => onChange({ ...value, from: read(local) })}
          />
          <Input
            label={st('window.to')}
            hint={zone}
            type="datetime-local"
            dir="ltr"
            value={shown(value.to)}
            disabled={timeZone === null}
            testId="window-to"
            field="window.to"
            error={errors['window.to']}
            onChange={(local) => onChange({ ...value, to: read(local) })}
          />
        </>
      )}
    </>
  );
}
