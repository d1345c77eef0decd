/** A minimal Direct Line 3.0 client: the same requests botframework-directlinejs makes when polling. */
import { expect } from 'vitest';
import { fold } from '../../domain/text.js';

export interface DlActivity {
  id?: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  attachments?: { content?: unknown }[];
  suggestedActions?: { actions: { title?: string }[] };
}

export class DirectLineClient {
  token = '';
  conversationId = '';
  watermark = '';
  constructor(public base: string) {}

  async start(): Promise<void> {
    const gen = await fetch(`${this.base}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(gen.status).toBe(200);
    this.token = ((await gen.json()) as { token: string }).token;
    const conv = await fetch(`${this.base}/v3/directline/conversations`, { method: 'POST', headers: this.headers() });
    expect([200, 201]).toContain(conv.status);
    const body = (await conv.json()) as { conversationId: string; token: string };
    this.conversationId = body.conversationId;
    this.token = body.token ?? this.token;
  }

  /** Joins a conversation started elsewhere (e.g. by the chat page, with its token), after its latest activity. */
  async join(conversationId: string, token: string): Promise<void> {
    this.conversationId = conversationId;
    this.token = token;
    const res = await fetch(`${this.base}/v3/directline/conversations/${conversationId}/activities?watermark=`, { headers: this.headers() });
    expect(res.status).toBe(200);
    this.watermark = ((await res.json()) as { watermark: string }).watermark;
  }

  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
  }

  /** Bot messages that arrived during the last waitFor. */
  lastBotActivities: DlActivity[] = [];

  async send(text: string): Promise<void> {
    await this.post({ type: 'message', text });
  }

  /** A card submit (Action.Submit data), as Web Chat posts it. */
  async submit(value: Record<string, unknown>): Promise<void> {
    await this.post({ type: 'message', value });
  }

  private async post(activity: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ ...activity, from: { id: 'ignored', role: 'user' }, locale: 'es-ES', channelData: { clientActivityID: `c-${Math.random()}` } }),
    });
    expect(res.status).toBe(200);
  }

  /** Uploads a file the way Web Chat does (multipart to /upload), which reaches the bot as an attachment. */
  async upload(bytes: Uint8Array, name: string, contentType: string): Promise<void> {
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', from: { id: 'ignored', role: 'user' }, channelData: { clientActivityID: `u-${Math.random()}` } })], { type: 'application/vnd.microsoft.activity' }));
    form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), name);
    const res = await fetch(`${this.base}/v3/directline/conversations/${this.conversationId}/upload?userId=x`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
      body: form,
    });
    expect(res.status).toBe(200);
  }

  /** Titles of the buttons of the last hero card received. */
  lastButtons(): string[] {
    for (const a of [...this.lastBotActivities].reverse()) {
      for (const att of a.attachments ?? []) {
        const buttons = (att.content as { buttons?: { title: string }[] } | undefined)?.buttons;
        if (buttons?.length) return buttons.map((b) => b.title);
      }
    }
    return [];
  }

  /** Says each text in turn and waits for the expected answer to it. */
  async converse(turns: readonly (readonly [string, string])[]): Promise<void> {
    for (const [text, expected] of turns) {
      await this.send(text);
      await this.waitFor(expected);
    }
  }

  /** Polls until a bot message matching `expected` arrives; returns the folded text of the new bot messages. */
  async waitFor(expected: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let seen = '';
    this.lastBotActivities = [];
    while (Date.now() < deadline) {
      const url = `${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`;
      const res = await fetch(url, { headers: this.headers() });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { activities: DlActivity[]; watermark: string };
      this.watermark = page.watermark ?? this.watermark;
      for (const a of page.activities) {
        if (a.type === 'message' && a.from.role !== 'user' && a.from.id !== 'ignored') {
          this.lastBotActivities.push(a);
          seen += `\n${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`;
        }
      }
      if (fold(seen).includes(fold(expected))) return fold(seen);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`"${expected}" did not arrive; got:\n${seen}`);
  }
}

