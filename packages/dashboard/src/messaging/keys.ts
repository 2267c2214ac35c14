import type { Role } from '../api/types.ts';

/** Query keys of the messaging screens: one place, so a write can refresh what shows it. */
export const templatesKey = (ws: string) => ['templates', ws] as const;
export const templateKey = (ws: string, id: string) => ['template', ws, id] as const;
export const sendersKey = (ws: string) => ['senders', ws] as const;
export const contactMessagesKey = (ws: string, contactId: string) =>
  ['contactMessages', ws, contactId] as const;

/** Templates are data.write: all but analysts. */
export const canWriteTemplates = (role: Role) => role !== 'analyst';
/** Sender identities need workspace.update: owners and admins. */
export const canManageSenders = (role: Role) => role === 'owner' || role === 'admin';

/** The live preview waits this long after the last keystroke. */
export const PREVIEW_DEBOUNCE_MS = 400;
