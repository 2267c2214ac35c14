import type { AudienceMirror, Contact, Database, MirrorContact } from '@wasl/store';
import type { Kysely } from 'kysely';
import { viewContact } from './contact-rows.ts';

const WATERMARK_KEY = 'audience.mirror.watermark';
const PAGE = 2000;

export interface AudienceSyncOptions {
  clock: () => number;
  onError: (error: unknown) => void;
  /** How often the catch-up runs. Default 5 s. */
  intervalMs?: number;
  /**
   * How far behind the watermark a catch-up looks again: a transaction that
   * committed late with an earlier updated_at is still copied. Default 10 s.
   */
  overlapMs?: number;
  /** Told after contacts reached the copy (live segments re-evaluate them). */
  synced?: (workspaceId: string, contactIds: readonly string[]) => void;
}

/**
 * Keeps the events store's copy of contacts (what segments read) in step
 * with the OLTP store (decision 0009). Writers only say which contacts
 * changed; those are copied within milliseconds, and a catch-up by
 * `updated_at` copies whatever was written behind its back (the CLI, another
 * process, a crash between the two writes).
 */
export class AudienceSync {
  private readonly pending = new Map<string, Set<string>>();
  /** Merges and erasures to apply to the copy before the next copies: [workspace, from, into | null]. */
  private readonly moves: [string, string, string | null][] = [];
  /** Lists and accounts to copy whole before the next contact copies: [workspace, id, contacts touched]. */
  private readonly lists: [string, string, readonly string[]][] = [];
  private readonly accounts: [string, string][] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly mirror: AudienceMirror,
    private readonly options: AudienceSyncOptions,
  ) {}

  /** Copies everything changed since the last run, then keeps doing so on a timer. */
  async start(): Promise<void> {
    await this.catchUp();
    const every = this.options.intervalMs ?? 5000;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.catchUp()
          .catch(this.options.onError)
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, every);
      this.timer.unref();
    };
    tick();
  }

  contactsChanged(workspaceId: string, ids: readonly string[]): void {
    if (this.stopped || ids.length === 0) return;
    let set = this.pending.get(workspaceId);
    if (!set) {
      set = new Set();
      this.pending.set(workspaceId, set);
    }
    for (const id of ids) set.add(id);
    this.schedule();
  }

  /** One flush at a time; changes reported while it runs get the next one. */
  private schedule(): void {
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flushPending())
      .catch(this.options.onError)
      .finally(() => {
        this.flushing = undefined;
        if (!this.stopped && (this.pending.size > 0 || this.moves.length > 0 || this.queued()))
          this.schedule();
      });
  }

  /** `fromIds` were merged into `intoId`: their events and memberships move over in the copy too. */
  contactsMerged(workspaceId: string, fromIds: readonly string[], intoId: string): void {
    for (const from of fromIds) this.moves.push([workspaceId, from, intoId]);
    this.contactsChanged(workspaceId, [intoId, ...fromIds]);
  }

  /** The person was erased: the copy forgets them and their events stop leading to them. */
  contactErased(workspaceId: string, id: string): void {
    this.moves.push([workspaceId, id, null]);
    this.contactsChanged(workspaceId, [id]);
  }

  /** Resolves when every change reported so far has reached the copy. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
  }

  private async flushPending(): Promise<void> {
    for (let move = this.moves.shift(); move; move = this.moves.shift()) {
      const [workspaceId, from, into] = move;
      if (into === null) await this.mirror.eraseContact(workspaceId, from);
      else await this.mirror.mergeContacts(workspaceId, from, into);
    }
    await this.flushListsAndAccounts();
    const work = [...this.pending];
    this.pending.clear();
    for (const [workspaceId, ids] of work) {
      const list = [...ids];
      for (let i = 0; i < list.length; i += PAGE) await this.copy(workspaceId, list.slice(i, i + PAGE));
    }
  }

  /** Copies the contacts; ids the OLTP store no longer has (merged, erased) leave the copy. */
  private async copy(workspaceId: string, ids: string[]): Promise<void> {
    const rows = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
    const found = new Set(rows.map((r) => r.id));
    const gone = ids.filter((id) => !found.has(id));
    if (rows.length > 0) await this.upsert(workspaceId, rows);
    if (gone.length > 0) await this.mirror.deleteContacts(workspaceId, gone);
    this.options.synced?.(workspaceId, ids);
  }

  private async upsert(workspaceId: string, rows: Contact[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    const consents = await this.db
      .selectFrom('consents')
      .select(['contact_id', 'channel', 'topic_id', 'status'])
      .where('contact_id', 'in', ids)
      .execute();
    const consentOf = new Map<string, { topics: Record<string, string> } & Record<string, unknown>>();
    for (const c of consents) {
      let entry = consentOf.get(c.contact_id);
      if (!entry) {
        entry = { topics: {} };
        consentOf.set(c.contact_id, entry);
      }
      if (c.topic_id === '') entry[c.channel] = c.status;
      else entry.topics[c.topic_id] = c.status;
    }
    const mirrored: MirrorContact[] = rows.map((row) => {
      const c = viewContact(row);
      return {
        id: c.id,
        email: c.email,
        phone: c.phone,
        firstName: c.firstName,
        lastName: c.lastName,
        locale: c.locale,
        timezone: c.timezone,
        country: c.country,
        city: c.city,
        birthDate: c.birthDate,
        gender: c.gender,
        incomeBand: c.incomeBand,
        interests: c.interests,
        source: c.source,
        lifecycleStage: c.lifecycleStage,
        accountId: c.accountId,
        leadScore: c.leadScore,
        attributes: c.attributes,
        consent: consentOf.get(c.id) ?? { topics: {} },
        createdAt: new Date(c.createdAt),
        updatedAt: new Date(c.updatedAt),
      };
    });
    await this.mirror.upsertContacts(workspaceId, mirrored);
    // A contact's account reaches the copy with it, so the catch-up also repairs accounts.
    await this.copyAccounts(
      workspaceId,
      rows.map((r) => r.account_id).filter((id): id is string => id !== null),
    );
    const identities = await this.db
      .selectFrom('contact_identities')
      .select(['anonymous_id', 'contact_id'])
      .where('contact_id', 'in', ids)
      .execute();
    if (identities.length > 0) {
      await this.mirror.linkIdentities(
        workspaceId,
        identities.map((i) => ({ anonymousId: i.anonymous_id, contactId: i.contact_id })),
      );
    }
  }

  private loadPage(from: number, afterId: string) {
    return this.db
      .selectFrom('contacts')
      .selectAll()
      .where((eb) =>
        eb.or([eb('updated_at', '>', from), eb.and([eb('updated_at', '=', from), eb('id', '>', afterId)])]),
      )
      .orderBy('updated_at')
      .orderBy('id')
      .limit(PAGE)
      .execute();
  }

  /** Copies every contact changed since the stored watermark (less the overlap), in pages. */
  async catchUp(): Promise<number> {
    const stored = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', WATERMARK_KEY)
      .executeTakeFirst();
    const overlap = this.options.overlapMs ?? 10_000;
    let from = stored ? Number(stored.value) - overlap : -1;
    let afterId = '';
    let copied = 0;
    let highest = stored ? Number(stored.value) : 0;
    for (;;) {
      const page = await this.loadPage(from, afterId);
      if (page.length === 0) break;
      const byWorkspace = new Map<string, typeof page>();
      for (const row of page) {
        const list = byWorkspace.get(row.workspace_id) ?? [];
        list.push(row);
        byWorkspace.set(row.workspace_id, list);
      }
      for (const [workspaceId, rows] of byWorkspace) {
        await this.upsert(workspaceId, rows);
        this.options.synced?.(
          workspaceId,
          rows.map((r) => r.id),
        );
      }
      copied += page.length;
      const last = page[page.length - 1]!;
      from = Number(last.updated_at);
      afterId = last.id;
      highest = Math.max(highest, from);
    }
    const now = this.options.clock();
    await this.db
      .insertInto('settings')
      .values({ key: WATERMARK_KEY, value: String(highest), updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(highest), updated_at: now }))
      .execute();
    return copied;
  }

  // Static lists and accounts (lists.ts, accounts.ts report them; contacts follow through contactsChanged).

  /** The list's members changed (or it was deleted): the copy gets its whole membership; `touched` are re-evaluated. */
  listChanged(workspaceId: string, listId: string, touched: readonly string[]): void {
    if (this.stopped) return;
    this.lists.push([workspaceId, listId, touched]);
    this.schedule();
  }

  /** Accounts were created or changed: the copy gets them, and their contacts are re-evaluated. */
  accountsChanged(workspaceId: string, accountIds: readonly string[]): void {
    if (this.stopped) return;
    for (const id of accountIds) this.accounts.push([workspaceId, id]);
    this.schedule();
  }

  private queued(): boolean {
    return this.lists.length > 0 || this.accounts.length > 0;
  }

  private async flushListsAndAccounts(): Promise<void> {
    for (let item = this.lists.shift(); item; item = this.lists.shift()) {
      const [workspaceId, listId, touched] = item;
      const members = await this.db
        .selectFrom('list_members')
        .innerJoin('lists', 'lists.id', 'list_members.list_id')
        .select('list_members.contact_id')
        .where('lists.workspace_id', '=', workspaceId)
        .where('list_members.list_id', '=', listId)
        .execute();
      await this.mirror.setListMembers(
        workspaceId,
        listId,
        members.map((m) => m.contact_id),
      );
      if (touched.length > 0) this.options.synced?.(workspaceId, touched);
    }
    const byWorkspace = new Map<string, Set<string>>();
    for (let item = this.accounts.shift(); item; item = this.accounts.shift()) {
      const set = byWorkspace.get(item[0]) ?? new Set<string>();
      set.add(item[1]);
      byWorkspace.set(item[0], set);
    }
    for (const [workspaceId, ids] of byWorkspace) {
      await this.copyAccounts(workspaceId, [...ids]);
      const contacts = await this.db
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', [...ids])
        .execute();
      if (contacts.length > 0)
        this.options.synced?.(
          workspaceId,
          contacts.map((c) => c.id),
        );
    }
  }

  private async copyAccounts(workspaceId: string, ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', unique)
      .execute();
    await this.mirror.upsertAccounts(
      workspaceId,
      rows.map((a) => ({
        id: a.id,
        name: a.name,
        domain: a.domain,
        industry: a.industry,
        size: a.size,
        region: a.region,
        attributes: JSON.parse(a.attributes) as Record<string, unknown>,
      })),
    );
  }
}
