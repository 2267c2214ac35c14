import type { Role } from '../api/types.ts';

/** Query keys of the audience screens: one place, so a write can refresh what shows it. */
export const contactsKey = (ws: string) => ['contacts', ws] as const;
export const contactKey = (ws: string, id: string) => ['contact', ws, id] as const;
export const consentsKey = (ws: string, id: string) => ['consents', ws, id] as const;
export const attributesKey = (ws: string) => ['attributes', ws] as const;
export const topicsKey = (ws: string) => ['topics', ws] as const;
export const importsKey = (ws: string) => ['contactImports', ws] as const;
export const importKey = (ws: string, id: string) => ['contactImport', ws, id] as const;

/** Adding and editing contacts, attributes, consent and imports (data.write): all but analysts. */
export const canWriteAudience = (role: Role) => role !== 'analyst';
