/** Workspace roles, most powerful first. An analyst only reads. */
export const ROLES = ['owner', 'admin', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
