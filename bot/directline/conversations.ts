/**
 * In-memory conversation logs of the built-in Direct Line endpoint, with bounded memory:
 * at most `maxConversations` (least recently used evicted), the last `maxActivitiesPerConversation`
 * activities of each and at most `maxTranscriptBytesPerConversation` bytes of them (as JSON), at most
 * `maxTranscriptBytesTotal` bytes for all (the least recently used conversations lose their oldest
 * activities first), idle conversations expire, uploaded files are capped per file and in total.
 *
 * Watermarks are activity sequence numbers. A conversation this process does not know (the server
 * restarted, or it was evicted) is recreated when a valid token asks for it, and numbering then
 * continues after the client's watermark so that a polling client sees every new activity.
 * A client asking without a watermark (a page reload) gets only the recent part of a long history.
 * Activities the bot deletes leave the history for good.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/ports.js';
import type { DirectLineLimits } from './limits.js';

/** An activity as stored and returned to clients (never with a serviceUrl). */
export type StoredActivity = Record<string, unknown> & { id: string };

interface Entry {
  readonly seq: number;
  readonly activity: StoredActivity;
  /** Its size as JSON (what the byte budgets count). */
  readonly bytes: number;
}

export interface Attachment {
  readonly id: string;
  readonly conversationId: string;
  readonly contentType: string;
  readonly name: string;
  readonly bytes: Buffer;
}

export class Conversation {
  /** Next sequence number (watermarks are sequence numbers). */
  nextSeq: number;
  lastUsed: number;
  readonly entries: Entry[] = [];
  /** Bytes of `entries` (as JSON). */
  bytes = 0;
  /** clientActivityID → activity id, so that a re-sent activity is not processed twice. */
  readonly clientIds = new Map<string, string>();
  readonly attachmentIds = new Set<string>();
  /** Ids of activities the bot deleted (the most recent ones): replies to them lose their replyToId. */
  readonly deletedIds = new Set<string>();
  /** Deliveries to the bot run one after another, in order. */
  tail: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly userId: string,
    firstSeq: number,
    now: number,
  ) {
    this.nextSeq = firstSeq;
    this.lastUsed = now;
  }

  activityId(seq: number): string {
    return `${this.id}|${String(seq).padStart(7, '0')}`;
  }

  /** The highest sequence number handed out so far. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly attachments = new Map<string, Attachment>();
  private attachmentBytes = 0;
  private transcriptBytes = 0;

  constructor(
    private readonly limits: DirectLineLimits,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.conversations.size;
  }

  get attachmentCount(): number {
    return this.attachments.size;
  }

  /** Bytes of the activities kept for all conversations (as JSON). */
  get totalBytes(): number {
    return this.transcriptBytes;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** The conversation, marked as just used; undefined when this process does not know it. */
  get(id: string): Conversation | undefined {
    const conv = this.conversations.get(id);
    if (!conv) return undefined;
    conv.lastUsed = this.now();
    this.conversations.delete(id); // re-insert: Map order is the LRU order
    this.conversations.set(id, conv);
    return conv;
  }

  /** Creates a conversation; numbering starts at `firstSeq`. Evicts the least recently used beyond the cap. */
  create(id: string, userId: string, firstSeq = 1): Conversation {
    this.delete(id);
    const conv = new Conversation(id, userId, Math.max(1, Math.floor(firstSeq)), this.now());
    this.conversations.set(id, conv);
    while (this.conversations.size > this.limits.maxConversations) {
      const oldest = this.conversations.keys().next().value as string;
      this.delete(oldest);
    }
    return conv;
  }

  /**
   * First sequence number for a conversation recreated without knowing the client's watermark:
   * the clock in milliseconds, which is above any watermark handed out before a restart (ids are
   * one per activity, far fewer than one per millisecond of uptime).
   */
  resumeSeq(): number {
    return this.now();
  }

  delete(id: string): boolean {
    const conv = this.conversations.get(id);
    if (!conv) return false;
    for (const attId of conv.attachmentIds) this.dropAttachment(attId);
    this.transcriptBytes -= conv.bytes;
    conv.bytes = 0;
    this.conversations.delete(id);
    return true;
  }

  /** Appends an activity with a new id (or the given one, for updates); returns the stored copy. */
  append(conv: Conversation, activity: Record<string, unknown>, keepId?: string): StoredActivity {
    const seq = conv.nextSeq++;
    const stored = { ...activity, id: keepId ?? conv.activityId(seq) } as StoredActivity;
    delete stored.serviceUrl;
    // Web Chat holds back a reply until the activity it replies to is shown, which a deleted one never is.
    if (typeof stored.replyToId === 'string' && conv.deletedIds.has(stored.replyToId)) delete stored.replyToId;
    if (keepId) {
      const old = conv.entries.findIndex((e) => e.activity.id === keepId);
      if (old >= 0) this.forget(conv, conv.entries.splice(old, 1));
    }
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    conv.entries.push({ seq, activity: stored, bytes });
    conv.bytes += bytes;
    this.transcriptBytes += bytes;
    const excess = conv.entries.length - this.limits.maxActivitiesPerConversation;
    if (excess > 0) this.forget(conv, conv.entries.splice(0, excess));
    // The newest activity is always kept, whatever its size (the routes bound it).
    let drop = 0;
    for (let left = conv.bytes; left > this.limits.maxTranscriptBytesPerConversation && drop < conv.entries.length - 1; drop++) {
      left -= conv.entries[drop]?.bytes ?? 0;
    }
    if (drop > 0) this.forget(conv, conv.entries.splice(0, drop));
    if (this.transcriptBytes > this.limits.maxTranscriptBytesTotal) this.shrink(conv);
    return stored;
  }

  /** Takes removed entries off the byte counts. */
  private forget(conv: Conversation, removed: readonly Entry[]): void {
    for (const e of removed) {
      conv.bytes -= e.bytes;
      this.transcriptBytes -= e.bytes;
    }
  }

  /**
   * Drops the oldest activities of the least recently used conversations until all of them fit in
   * `maxTranscriptBytesTotal` (`current` keeps its newest activity).
   */
  private shrink(current: Conversation): void {
    for (const conv of this.conversations.values()) {
      if (this.transcriptBytes <= this.limits.maxTranscriptBytesTotal) return;
      const keep = conv === current ? 1 : 0;
      let drop = 0;
      let freed = 0;
      while (drop < conv.entries.length - keep && this.transcriptBytes - freed > this.limits.maxTranscriptBytesTotal) {
        freed += conv.entries[drop]?.bytes ?? 0;
        drop++;
      }
      if (drop > 0) this.forget(conv, conv.entries.splice(0, drop));
    }
  }

  find(conv: Conversation, activityId: string): StoredActivity | undefined {
    return conv.entries.find((e) => e.activity.id === activityId)?.activity;
  }

  /**
   * Removes an activity from the history, so that no client is given it again, and the files it
   * carried that were uploaded here; replies to it lose their replyToId. Returns the removed
   * activity (undefined when not kept).
   */
  remove(conv: Conversation, activityId: string): StoredActivity | undefined {
    conv.deletedIds.add(activityId);
    if (conv.deletedIds.size > this.limits.maxActivitiesPerConversation) conv.deletedIds.delete(conv.deletedIds.values().next().value as string);
    for (const e of conv.entries) if (e.activity.replyToId === activityId) delete e.activity.replyToId;
    const index = conv.entries.findIndex((e) => e.activity.id === activityId);
    if (index < 0) return undefined;
    const taken = conv.entries.splice(index, 1);
    this.forget(conv, taken);
    const removed = taken[0]?.activity;
    const attachments = Array.isArray(removed?.attachments) ? (removed.attachments as unknown[]) : [];
    for (const a of attachments) {
      const url = (a as { contentUrl?: unknown } | null)?.contentUrl;
      const attId = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
      if (conv.attachmentIds.has(attId)) this.dropAttachment(attId);
    }
    return removed;
  }

  /** The client activity id under which an activity was posted, when remembered. */
  clientIdOf(conv: Conversation, activityId: string): string | undefined {
    for (const [clientId, id] of conv.clientIds) if (id === activityId) return clientId;
    return undefined;
  }

  rememberClientId(conv: Conversation, clientActivityId: string, activityId: string): void {
    conv.clientIds.set(clientActivityId, activityId);
    if (conv.clientIds.size > this.limits.maxActivitiesPerConversation) {
      conv.clientIds.delete(conv.clientIds.keys().next().value as string);
    }
  }

  /**
   * Activities after `watermark` (all when undefined), at most one page. A watermark beyond what
   * this process handed out (a client from before a restart) moves numbering past it.
   */
  page(conv: Conversation, watermark: number | undefined): { activities: StoredActivity[]; watermark: string } {
    const after = watermark ?? 0;
    if (after > conv.lastSeq) conv.nextSeq = after + 1;
    const activities: StoredActivity[] = [];
    let last = after;
    for (const e of conv.entries) {
      if (e.seq <= after) continue;
      if (activities.length >= this.limits.pageSize) break;
      activities.push(structuredClone(e.activity));
      last = e.seq;
    }
    return { activities, watermark: String(last) };
  }

  /**
   * What a client that asks without a watermark (a page reload) is given: the activities from the
   * `historyOnReconnect`-th last message on (one page at most), and how many older ones were left out.
   */
  recent(conv: Conversation): { activities: StoredActivity[]; watermark: string; omitted: number } {
    let messages = 0;
    let start = 0;
    for (let i = conv.entries.length - 1; i >= 0; i--) {
      if (conv.entries[i]?.activity.type === 'message' && ++messages > this.limits.historyOnReconnect) {
        start = i + 1;
        break;
      }
    }
    const before = conv.entries[start - 1];
    if (!before) return { ...this.page(conv, undefined), omitted: 0 };
    return { ...this.page(conv, before.seq), omitted: start };
  }

  /** Forgets conversations idle for longer than `idleMs`; returns how many. */
  sweep(): number {
    const limit = this.now() - this.limits.idleMs;
    let removed = 0;
    for (const [id, conv] of this.conversations) {
      if (conv.lastUsed <= limit) {
        this.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Keeps an uploaded file in memory under an unguessable id. */
  putAttachment(conv: Conversation, contentType: string, name: string, bytes: Buffer): Attachment {
    const att: Attachment = { id: randomBytes(24).toString('base64url'), conversationId: conv.id, contentType, name, bytes };
    this.attachments.set(att.id, att);
    conv.attachmentIds.add(att.id);
    this.attachmentBytes += bytes.length;
    while (this.attachmentBytes > this.limits.maxAttachmentBytesTotal && this.attachments.size > 1) {
      const oldest = this.attachments.keys().next().value as string;
      this.dropAttachment(oldest);
    }
    return att;
  }

  getAttachment(id: string): Attachment | undefined {
    return this.attachments.get(id);
  }

  private dropAttachment(id: string): void {
    const att = this.attachments.get(id);
    if (!att) return;
    this.attachments.delete(id);
    this.attachmentBytes -= att.bytes.length;
    this.conversations.get(att.conversationId)?.attachmentIds.delete(id);
  }
}
