import { newId, type WaslEvent } from '@wasl/core';
import { expect, it, vi } from 'vitest';
import { EventBuffer, type EventStore } from '../../src/index.ts';
import { makeEvents } from '../fixtures/events.ts';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const ALL_TIME: [Date, Date] = [new Date('2000-01-01T00:00:00Z'), new Date('2100-01-01T00:00:00Z')];

/** A store whose first append fails, as a database restart would make it. */
function failingOnce(store: EventStore): Pick<EventStore, 'append'> & { calls: number } {
  const wrapper = {
    calls: 0,
    async append(events: readonly WaslEvent[]) {
      wrapper.calls += 1;
      if (wrapper.calls === 1) throw new Error('events store unavailable (test)');
      return store.append(events);
    },
  };
  return wrapper;
}

/** EventBuffer in front of the adapter under test. */
export function eventBufferCases(getStore: () => EventStore): void {
  const stored = async (workspaceId: string) => total(await getStore().countByType(workspaceId, ...ALL_TIME));
  const batch = (count: number) => {
    const workspaceId = `ws-${newId()}`;
    return { workspaceId, events: makeEvents({ workspaceId, count, seed: count }) };
  };
  const noErrors = (error: unknown) => {
    throw error;
  };

  it('buffer: writes as soon as batchSize events wait, in batches of at most batchSize', async () => {
    const store = getStore();
    const sizes: number[] = [];
    const spy = {
      append(events: readonly WaslEvent[]) {
        sizes.push(events.length);
        return store.append(events);
      },
    };
    const buffer = new EventBuffer(spy, { batchSize: 100, intervalMs: 60_000, onError: noErrors });
    const { workspaceId, events } = batch(250);
    expect(buffer.add(events.slice(0, 99))).toEqual({ ok: true, value: { waiting: 99 } });
    expect(sizes).toEqual([]);
    expect(buffer.add(events.slice(99)).ok).toBe(true);
    await vi.waitFor(() => expect(buffer.size).toBe(0), { timeout: 10_000 });
    expect(await stored(workspaceId)).toBe(250);
    expect(sizes).toEqual([100, 100, 50]);
    await buffer.close();
  });

  it('buffer: writes a few waiting events once intervalMs has passed', async () => {
    // Long enough that the count below surely runs before the timer, even on a busy machine.
    const buffer = new EventBuffer(getStore(), { batchSize: 1000, intervalMs: 250, onError: noErrors });
    const { workspaceId, events } = batch(10);
    buffer.add(events);
    expect(buffer.size).toBe(10);
    expect(await stored(workspaceId)).toBe(0);
    await vi.waitFor(() => expect(buffer.size).toBe(0), { timeout: 10_000, interval: 10 });
    expect(await stored(workspaceId)).toBe(10);
    await buffer.close();
  });

  it('buffer: a failed write keeps the events and the retry stores each exactly once', async () => {
    const flaky = failingOnce(getStore());
    const errors: unknown[] = [];
    const buffer = new EventBuffer(flaky, {
      batchSize: 1000,
      intervalMs: 30,
      onError: (e) => errors.push(e),
    });
    const { workspaceId, events } = batch(20);
    buffer.add(events);
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect(String(errors[0])).toMatch(/unavailable \(test\)/);
    await vi.waitFor(() => expect(buffer.size).toBe(0), { timeout: 10_000, interval: 10 });
    expect(flaky.calls).toBe(2);
    expect(await stored(workspaceId)).toBe(20);
    await buffer.close();
  });

  it('buffer: flush() rejects when the store fails, keeps the events, and succeeds when called again', async () => {
    const flaky = failingOnce(getStore());
    const buffer = new EventBuffer(flaky, { batchSize: 1000, intervalMs: 60_000, onError: noErrors });
    const { workspaceId, events } = batch(30);
    buffer.add(events);
    await expect(buffer.flush()).rejects.toThrow(/unavailable \(test\)/);
    expect(buffer.size).toBe(30);
    await buffer.flush();
    expect(buffer.size).toBe(0);
    expect(await stored(workspaceId)).toBe(30);
    await buffer.close();
  });

  it('buffer: refuses a batch that would exceed maxEvents, all or nothing, and says so', async () => {
    const buffer = new EventBuffer(getStore(), {
      batchSize: 1000,
      intervalMs: 60_000,
      maxEvents: 100,
      onError: noErrors,
    });
    const { workspaceId, events } = batch(130);
    expect(buffer.add(events.slice(0, 80)).ok).toBe(true);
    const refused = buffer.add(events.slice(80, 110));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('unavailable');
      expect(refused.error.message).toMatch(/full \(80 of 100/);
    }
    expect(buffer.size).toBe(80);
    expect(buffer.add(events.slice(80, 100)).ok).toBe(true);
    expect(buffer.size).toBe(100);
    await buffer.close();
    expect(await stored(workspaceId)).toBe(100);
  });

  it('buffer: refuses an event no engine can store, before accepting anything', async () => {
    const buffer = new EventBuffer(getStore(), { intervalMs: 60_000, onError: noErrors });
    const { events } = batch(3);
    const bad = { ...events[1]!, occurredAt: new Date('+010000-01-01T00:00:00Z') } as WaslEvent;
    const refused = buffer.add([events[0]!, bad, events[2]!]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'invalid', message: /occurredAt/ });
    expect(buffer.size).toBe(0);
    await buffer.close();
  });

  it('buffer: close() writes everything waiting, then refuses new events', async () => {
    const buffer = new EventBuffer(getStore(), { batchSize: 500, intervalMs: 60_000, onError: noErrors });
    const { workspaceId, events } = batch(1200);
    buffer.add(events.slice(0, 400));
    buffer.add(events.slice(400));
    await buffer.close();
    expect(buffer.size).toBe(0);
    expect(await stored(workspaceId)).toBe(1200);
    const late = buffer.add(batch(1).events);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.code).toBe('unavailable');
  });
}
