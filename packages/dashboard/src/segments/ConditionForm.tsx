import type { StaticList } from './api.ts';
import { type SegmentsI18n, useSegmentsI18n } from './i18n.ts';
import {
  type AttributeDraft,
  type Behaviour,
  COMPUTED_METRICS,
  CONSENT_CHANNELS,
  COUNT_OPS,
  type ComputedDraft,
  type CountOp,
  type CustomAttribute,
  type Draft,
  fieldChoices,
  fieldType,
  MESSAGE_ACTIONS,
  MESSAGE_CHANNELS,
  type Metric,
  OPERATORS_BY_TYPE,
  operatorsForMetric,
  PAGE_OPS,
  STANDARD_FIELDS,
  valueShape,
  withField,
} from './logic.ts';
import { Input, inputClass, Labelled, Select } from './parts.tsx';

export interface Choices {
  custom: readonly CustomAttribute[];
  customLabels: Record<string, string>;
  lists: readonly StaticList[];
  segments: readonly { id: string; name: string }[];
}

/** The inputs of one condition, by kind. */
export function ConditionForm({
  draft,
  onChange,
  choices,
}: {
  draft: Draft;
  onChange: (draft: Draft) => void;
  choices: Choices;
}) {
  const i18n = useSegmentsI18n();
  const { st } = i18n;
  const opt = (values: readonly string[], prefix: string) =>
    values.map((v) => ({ value: v, label: i18n.label(`${prefix}${v}`, v) }));
  switch (draft.kind) {
    case 'attribute':
      return <AttributeForm draft={draft} onChange={onChange} choices={choices} i18n={i18n} />;
    case 'computed':
      return <ComputedForm draft={draft} onChange={onChange} i18n={i18n} />;
    case 'consent':
      return (
        <>
          <Select
            label={st('channel')}
            value={draft.channel}
            options={CONSENT_CHANNELS.map((c) => ({ value: c, label: c }))}
            onChange={(channel) => onChange({ ...draft, channel })}
          />
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
        <>
          <Input
            label={st('eventName')}
            value={draft.name}
            dir="ltr"
            testId="condition-event-name"
            onChange={(name) => onChange({ ...draft, name })}
          />
          <BehaviourFields value={draft} onChange={(b) => onChange({ ...draft, ...b })} i18n={i18n} />
        </>
      );
    case 'page':
      return (
        <>
          <Select
            label={st('pathOp')}
            value={draft.path.op}
            options={opt(PAGE_OPS, 'pathOp.')}
            onChange={(op) => onChange({ ...draft, path: { ...draft.path, op: op as typeof draft.path.op } })}
          />
          <Input
            label={st('pathValue')}
            value={draft.path.value}
            dir="ltr"
            onChange={(value) => onChange({ ...draft, path: { ...draft.path, value } })}
          />
          <BehaviourFields value={draft} onChange={(b) => onChange({ ...draft, ...b })} i18n={i18n} />
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
            options={[
              { value: '', label: st('anyChannel') },
              ...MESSAGE_CHANNELS.map((c) => ({ value: c, label: c })),
            ]}
            onChange={(channel) => onChange({ ...draft, channel: channel === '' ? undefined : channel })}
          />
          <BehaviourFields value={draft} onChange={(b) => onChange({ ...draft, ...b })} i18n={i18n} />
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
}: {
  draft: AttributeDraft;
  onChange: (d: Draft) => void;
  choices: Choices;
  i18n: SegmentsI18n;
}) {
  const { st } = i18n;
  const type = fieldType(draft.field, choices.custom);
  return (
    <>
      <Labelled label={st('field')}>
        {(id) => (
          <select
            id={id}
            className={inputClass}
            value={draft.field}
            data-testid="condition-field"
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
        options={OPERATORS_BY_TYPE[type].map((o) => ({ value: o, label: i18n.label(`op.${o}`, o) }))}
        onChange={(operator) => onChange({ ...draft, operator, value: '', value2: '' })}
      />
      <Operand
        shape={valueShape(draft.operator)}
        type={type}
        choices={fieldChoices(draft.field, choices.custom)}
        labelled={draft.field === 'lifecycle_stage' || draft.field === 'gender'}
        value={draft.value}
        value2={draft.value2}
        onChange={(value, value2) => onChange({ ...draft, value, value2 })}
        i18n={i18n}
      />
    </>
  );
}

function ComputedForm({
  draft,
  onChange,
  i18n,
}: {
  draft: ComputedDraft;
  onChange: (d: Draft) => void;
  i18n: SegmentsI18n;
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
          onChange({ ...draft, metric, operator, value: '', value2: '' });
        }}
      />
      <Select
        label={st('operator')}
        value={draft.operator}
        options={operatorsForMetric(draft.metric).map((o) => ({ value: o, label: i18n.label(`op.${o}`, o) }))}
        onChange={(operator) => onChange({ ...draft, operator })}
      />
      <Operand
        shape={valueShape(draft.operator)}
        type="number"
        choices={null}
        labelled={false}
        value={draft.value}
        value2={draft.value2}
        onChange={(value, value2) => onChange({ ...draft, value, value2 })}
        i18n={i18n}
      />
    </>
  );
}

/** The value input the operator and the field's type call for. */
function Operand({
  shape,
  type,
  choices,
  labelled,
  value,
  value2,
  onChange,
  i18n,
}: {
  shape: ReturnType<typeof valueShape>;
  type: string;
  choices: readonly string[] | null;
  /** Fixed choices with catalogue labels (`v.<value>`), not custom list options. */
  labelled: boolean;
  value: string;
  value2: string;
  onChange: (value: string, value2: string) => void;
  i18n: SegmentsI18n;
}) {
  const { st } = i18n;
  const inputType = type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
  if (shape === 'none') return null;
  if (shape === 'days')
    return (
      <Input
        label={st('days')}
        type="number"
        value={value}
        testId="condition-value"
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
          testId="condition-value"
          onChange={(v) => onChange(v, value2)}
        />
        <Input
          label={st('valueTo')}
          type={inputType}
          value={value2}
          testId="condition-value2"
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
        testId="condition-value"
        onChange={(v) => onChange(v, value2)}
      />
    );
  if (choices)
    return (
      <Select
        label={st('value')}
        value={value}
        testId="condition-value"
        options={[
          { value: '', label: st('choose') },
          ...choices.map((c) => ({
            value: c,
            label: labelled ? i18n.label(`v.${c}`, c) : c,
          })),
        ]}
        onChange={(v) => onChange(v, value2)}
      />
    );
  return (
    <Input
      label={st('value')}
      type={inputType}
      value={value}
      testId="condition-value"
      onChange={(v) => onChange(v, value2)}
    />
  );
}

/** did / didn't, how many times, in the last N days: shared by events, pages and messages. */
function BehaviourFields({
  value,
  onChange,
  i18n,
}: {
  value: Behaviour;
  onChange: (b: Behaviour) => void;
  i18n: SegmentsI18n;
}) {
  const { st } = i18n;
  const lastDays = value.window && 'lastDays' in value.window ? String(value.window.lastDays) : '';
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
        options={[
          { value: '', label: st('countOp.none') },
          ...COUNT_OPS.map((o) => ({ value: o, label: i18n.label(`countOp.${o}`, o) })),
        ]}
        onChange={(op) =>
          onChange({
            ...value,
            count: op === '' ? undefined : { op: op as CountOp, value: value.count?.value ?? 1 },
          })
        }
      />
      {value.count && (
        <Input
          label={st('times')}
          type="number"
          value={String(value.count.value)}
          onChange={(v) => {
            const n = Math.max(0, Math.trunc(Number(v) || 0));
            onChange({ ...value, count: { op: value.count?.op ?? 'at_least', value: n } });
          }}
        />
      )}
      <Input
        label={st('lastDays')}
        hint={st('lastDaysHint')}
        type="number"
        value={lastDays}
        onChange={(v) => {
          const n = Math.trunc(Number(v));
          onChange({ ...value, window: v.trim() === '' || !(n >= 1) ? undefined : { lastDays: n } });
        }}
      />
    </>
  );
}
