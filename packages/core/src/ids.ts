import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time: one system call per 409 ids instead of one per id. */
const POOL_IDS = 409;
const pool = Buffer.alloc(POOL_IDS * 10);
let next = POOL_IDS;

/**
 * A UUID version 7: time-ordered, so rows inserted together sit together in
 * B-tree indexes, and still unguessable (74 random bits).
 *
 * @example newId() // '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f'
 */
export function newId(now: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(now, 0, 6);
  pool.copy(bytes, 6, next * 10, next * 10 + 10);
  next++;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
