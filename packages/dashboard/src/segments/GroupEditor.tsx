import { Button } from '../components/Button.tsx';
import { type Choices, ConditionForm } from './ConditionForm.tsx';
import { useSegmentsI18n } from './i18n.ts';
import {
  addChild,
  CONDITION_KINDS,
  conditionNode,
  emptyDraft,
  type GroupNode,
  groupNode,
  type Kind,
  MAX_DEPTH,
  removeNode,
  updateDraft,
  updateGroup,
} from './logic.ts';
import { Select } from './parts.tsx';

/** What to say under a node: warnings and errors the server named it by, or what it lacks. */
export type Notes = ReadonlyMap<string, readonly { tone: 'warning' | 'error'; text: string }[]>;

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
  const { st, label } = useSegmentsI18n();
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
            <li
              key={child.id}
              data-testid="segment-condition"
              data-kind={child.draft.kind}
              className="space-y-2 rounded-md border border-zinc-200 bg-white p-3"
            >
              <div className="flex flex-wrap items-end gap-3">
                <Select
                  label={st('condition.kind')}
                  value={child.draft.kind}
                  testId="condition-kind"
                  options={CONDITION_KINDS.map((k) => ({ value: k, label: label(`kind.${k}`, k) }))}
                  onChange={(k) => edit((r) => updateDraft(r, child.id, emptyDraft(k as Kind)))}
                />
                <ConditionForm
                  draft={child.draft}
                  choices={choices}
                  onChange={(d) => edit((r) => updateDraft(r, child.id, d))}
                />
                <Button
                  variant="dangerGhost"
                  onClick={() => edit((r) => removeNode(r, child.id))}
                  testId="condition-remove"
                  className="ms-auto"
                >
                  {st('remove')}
                </Button>
              </div>
              <NoteList items={notes.get(child.id)} />
            </li>
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

function NoteList({ items }: { items: readonly { tone: 'warning' | 'error'; text: string }[] | undefined }) {
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
