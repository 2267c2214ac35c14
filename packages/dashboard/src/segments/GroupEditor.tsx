import { Button } from '../components/Button.tsx';
import { type Choices, ConditionForm, type FieldErrors } from './ConditionForm.tsx';
import { useSegmentsI18n } from './i18n.ts';
import {
  addChild,
  CONDITION_KINDS,
  conditionNode,
  type Draft,
  emptyDraft,
  formFields,
  type GroupNode,
  groupNode,
  type Kind,
  MAX_DEPTH,
  placeField,
  removeNode,
  updateDraft,
  updateGroup,
} from './logic.ts';
import { Select } from './parts.tsx';

/**
 * What to say at a node: warnings and errors the server named it by, or what it lacks. `field` is
 * the rest of the path inside a condition (`window.from`): the note goes next to that input.
 */
export interface Note {
  tone: 'warning' | 'error';
  text: string;
  field?: string | null | undefined;
}
export type Notes = ReadonlyMap<string, readonly Note[]>;

/** A condition's errors next to the inputs they name; the others under the whole condition. */
function splitNotes(notes: readonly Note[], fields: readonly string[]) {
  const errors: Record<string, string> = {};
  const rest: Note[] = [];
  for (const n of notes) {
    const at = n.tone === 'error' && n.field ? placeField(n.field, fields) : null;
    if (at && errors[at] === undefined) errors[at] = n.text;
    else rest.push(n);
  }
  return { errors: errors as FieldErrors, rest };
}

interface Props {
  group: GroupNode;
  depth: number;
  /** Applies an edit to the whole tree (edits are pure functions of the root). */
  edit: (f: (root: GroupNode) => GroupNode) => void;
  notes: Notes;
  choices: Choices;
  onRemove?: () => void;
}

/** An all/any group: its switches, its conditions and nested groups, and the buttons that add them. */
export function GroupEditor({ group, depth, edit, notes, choices, onRemove }: Props) {
  const { st } = useSegmentsI18n();
  return (
    <fieldset
      data-testid="segment-group"
      data-depth={depth}
      className={`space-y-3 rounded-lg border p-4 ${depth === 1 ? 'border-zinc-200 bg-white' : 'border-teal-200 bg-teal-50/40'}`}
    >
      <legend className="sr-only">{st('group.label')}</legend>
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label={st('group.match')}
          value={group.match}
          testId="group-match"
          options={[
            { value: 'all', label: st('match.all') },
            { value: 'any', label: st('match.any') },
          ]}
          onChange={(m) => edit((r) => updateGroup(r, group.id, { match: m === 'any' ? 'any' : 'all' }))}
        />
        <label className="flex h-10 items-center gap-2 text-sm text-zinc-800">
          <input
            type="checkbox"
            checked={group.negate}
            onChange={(e) => edit((r) => updateGroup(r, group.id, { negate: e.target.checked }))}
          />
          {st('group.negate')}
        </label>
        {onRemove && (
          <Button variant="dangerGhost" onClick={onRemove} className="ms-auto">
            {st('remove')}
          </Button>
        )}
      </div>
      <NoteList items={notes.get(group.id)} />
      <ul className="space-y-3">
        {group.children.map((child) =>
          child.type === 'group' ? (
            <li key={child.id}>
              <GroupEditor
                group={child}
                depth={depth + 1}
                edit={edit}
                notes={notes}
                choices={choices}
                onRemove={() => edit((r) => removeNode(r, child.id))}
              />
            </li>
          ) : (
            <ConditionItem
              key={child.id}
              id={child.id}
              draft={child.draft}
              notes={notes.get(child.id) ?? []}
              choices={choices}
              edit={edit}
            />
          ),
        )}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          testId="add-condition"
          onClick={() => edit((r) => addChild(r, group.id, conditionNode(emptyDraft('attribute'))))}
        >
          {st('addCondition')}
        </Button>
        {depth < MAX_DEPTH && (
          <Button
            testId="add-group"
            onClick={() =>
              edit((r) => addChild(r, group.id, groupNode('any', [conditionNode(emptyDraft('attribute'))])))
            }
          >
            {st('addGroup')}
          </Button>
        )}
      </div>
    </fieldset>
  );
}

/** One condition: its kind, its form (with errors at their inputs), and what else is said about it. */
function ConditionItem({
  id,
  draft,
  notes,
  choices,
  edit,
}: {
  id: string;
  draft: Draft;
  notes: readonly Note[];
  choices: Choices;
  edit: Props['edit'];
}) {
  const { st, label } = useSegmentsI18n();
  const { errors, rest } = splitNotes(notes, formFields(draft));
  return (
    <li
      data-testid="segment-condition"
      data-kind={draft.kind}
      className="space-y-2 rounded-md border border-zinc-200 bg-white p-3"
    >
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label={st('condition.kind')}
          value={draft.kind}
          testId="condition-kind"
          options={CONDITION_KINDS.map((k) => ({ value: k, label: label(`kind.${k}`, k) }))}
          onChange={(k) => edit((r) => updateDraft(r, id, emptyDraft(k as Kind)))}
        />
        <ConditionForm
          draft={draft}
          choices={choices}
          errors={errors}
          onChange={(d) => edit((r) => updateDraft(r, id, d))}
        />
        <Button
          variant="dangerGhost"
          onClick={() => edit((r) => removeNode(r, id))}
          testId="condition-remove"
          className="ms-auto"
        >
          {st('remove')}
        </Button>
      </div>
      <NoteList items={rest} />
    </li>
  );
}

function NoteList({ items }: { items: readonly Note[] | undefined }) {
  if (!items || items.length === 0) return null;
  return (
    <ul className="space-y-1">
      {items.map((n) => (
        <li
          key={n.text}
          role={n.tone === 'error' ? 'alert' : undefined}
          data-testid={n.tone === 'warning' ? 'condition-warning' : 'condition-error'}
          className={`rounded px-2 py-1 text-sm ${n.tone === 'warning' ? 'bg-amber-50 text-amber-900' : 'bg-red-50 text-red-800'}`}
        >
          <bdi>{n.text}</bdi>
        </li>
      ))}
    </ul>
  );
}
