import { useSyncExternalStore } from 'react';
import type { WorkspaceMembership } from '../api/types.ts';
import { readStored, writeStored } from '../lib/storage.ts';

const STORAGE_KEY = 'wasl.workspace';
const listeners = new Set<() => void>();
let chosen = readStored(STORAGE_KEY);

/** Remembers the chosen workspace across reloads (per browser). */
export function chooseWorkspace(id: string): void {
  chosen = id;
  writeStored(STORAGE_KEY, id);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The remembered workspace when the person still belongs to it, else their first one. */
export function resolveWorkspace(
  workspaces: readonly WorkspaceMembership[],
  id: string | null,
): WorkspaceMembership | null {
  return workspaces.find((w) => w.id === id) ?? workspaces[0] ?? null;
}

export const useChosenWorkspaceId = () => useSyncExternalStore(subscribe, () => chosen);
