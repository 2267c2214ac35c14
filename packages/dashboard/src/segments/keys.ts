/** Query keys of the segment screens, so a save or delete can refresh what shows it. */
export const segmentsKey = (ws: string) => ['segments', ws] as const;
export const segmentKey = (ws: string, id: string) => ['segment', ws, id] as const;
export const membersKey = (ws: string, id: string) => ['segmentMembers', ws, id] as const;
export const personasKey = (ws: string, id: string, compare: string | null) =>
  ['personas', ws, id, compare] as const;
export const listsKey = (ws: string) => ['lists', ws] as const;
