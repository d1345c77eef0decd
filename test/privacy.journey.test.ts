/**
 * Personal data left behind: a registration, the activation and a login through the real assistant
 * (Direct Line over HTTP), then every place it writes is searched for the password, the document
 * number and the e-mail — the logs, the conversation-state files, the JSON store, the outbox and the
 * Direct Line transcript — each of which may hold them only where it must. Files are 0600, folders 0700.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { DEFAULT_LIMITS } from '../bot/directline/limits.js';
import { RETENTION } from '../domain/retention.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { createSecretBox, loadOrCreateDevKey } from '../storage/secret-box.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat, readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import type { DlActivity } from './helpers/directline-client.js';
import { decodeState } from '../storage/state-codec.js';

const person = EXAMPLE_PERSONS.citizenCe; // Carlos Briceño Salas, CE 654321
const NUMBER = person.numeroDocumento;
const EMAIL = 'carlos.briceno.privado@correo.com';
const PASSWORD = 'Guayacan-Florido-2026';

async function walk(dir: string): Promise<{ path: string; dir: boolean }[]> {
  const out: { path: string; dir: boolean }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    out.push({ path, dir: e.isDirectory() });
    if (e.isDirectory()) out.push(...(await walk(path)));
  }
  return out;
}

describe('journey: what a registration and a login leave behind', () => {
  const lines: string[] = [];
  let app: TestApp;
  let transcript: (DlActivity & { value?: unknown })[] = [];

  beforeAll(async () => {
    app = await startApp({}, { log: createLogger('debug', {}, (l) => lines.push(l)) });
    await registerAndActivate(app.url, app.dataDir, person, EMAIL, PASSWORD);
    const dl = await newChat(app.url);
    await loginChat(dl, person, PASSWORD);
    const res = await fetch(`${app.url}/v3/directline/conversations/${dl.conversationId}/activities`, { headers: dl.headers() });
    transcript = ((await res.json()) as { activities: typeof transcript }).activities;
  }, 60_000);
  afterAll(() => app?.stop());

  const stateDir = () => join(app.dataDir, 'conversaciones');
  /** Every stored item's text, as the store reads it: its file, or the journal's latest line not folded into it yet. */
  const openState = async () => {
    const box = createSecretBox((await loadOrCreateDevKey(app.dataDir)).key);
    const open = (raw: string) => decodeState(raw, (t) => box.open(t));
    for (;;) {
      const names = (await readdir(stateDir())).sort();
      try {
        const texts = new Map<string, string | undefined>();
        for (const f of names.filter((n) => n.endsWith('.json'))) texts.set(f.slice(0, 64), await readFile(join(stateDir(), f), 'utf8'));
        for (const f of names.filter((n) => n.startsWith('journal-'))) {
          const raw = await readFile(join(stateDir(), f), 'utf8');
          journalsSeen.push(raw);
          for (const line of raw.split('\n').filter(Boolean)) {
            const { h, t } = JSON.parse(line) as { h: string; t?: string };
            texts.set(h, t);
          }
        }
        return [...texts.values()].filter((raw): raw is string => raw !== undefined).map((raw) => ({ raw, open }));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // folded meanwhile: read the folder again
      }
    }
  };
  /** The journals' raw text as read: sealed lines only, no secret in clear either. */
  const journalsSeen: string[] = [];

  it('logs: no password, document number or e-mail', () => {
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, NUMBER, EMAIL]) expect(all).not.toContain(secret);
  });

  it('conversation-state files: none of them in clear; opened, still no password', async () => {
    const files = await openState();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      for (const secret of [PASSWORD, NUMBER, EMAIL, person.primerApellido.toUpperCase(), person.fechaNacimiento]) expect(f.raw).not.toContain(secret);
      const opened = f.open(f.raw.trim());
      expect(opened).not.toContain(PASSWORD);
      // Finished forms leave nothing in the conversation itself (the session names the citizen; it must).
      if (opened.includes('"key":"webchat/conversations/')) for (const gone of [NUMBER, EMAIL, person.fechaNacimiento]) expect(opened).not.toContain(gone);
    }
    for (const raw of journalsSeen) for (const secret of [PASSWORD, NUMBER, EMAIL, person.primerApellido.toUpperCase(), person.fechaNacimiento]) expect(raw).not.toContain(secret);
  });

  it('JSON store: the password only as an Argon2id hash; the document number and e-mail in the citizen record and as its key only', async () => {
    const raw = await readFile(join(app.dataDir, 'asistente.json'), 'utf8');
    expect(raw).not.toContain(PASSWORD);
    const db = JSON.parse(raw) as Record<string, Record<string, unknown>[]>;
    const citizen = db.citizens?.find((c) => c.numeroDocumento === NUMBER);
    expect(citizen).toMatchObject({ email: EMAIL, estado: 'activo' });
    expect(String(citizen?.passwordHash)).toMatch(/^\$argon2id\$/);
    // Other records name the person by the citizen key ("CE:654321"): those reference fields, nothing else.
    const references: Record<string, string[]> = {
      accountTokens: ['citizenId'],
      identityChecks: ['id'],
      drafts: ['owner', 'id'],
      // The helpdesk's indexes: which audit events are about the person, whose actor reference it is, where they are.
      auditoriaPersonas: ['id', 'persona'],
      actoresConocidos: ['citizenId'],
      progreso: ['id'],
    };
    for (const [name, recs] of Object.entries(db)) {
      if (name === 'citizens') continue;
      for (const r of recs) {
        const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !(references[name] ?? []).includes(k)));
        const text = JSON.stringify(rest);
        expect(text, `${name} ${String(r.id).slice(0, 8)}`).not.toContain(NUMBER);
        expect(text, `${name}`).not.toContain(EMAIL);
      }
    }
    expect(db.audit?.length).toBeGreaterThan(0);
  });

  it('outbox: the e-mail only as the recipient, never the password', async () => {
    const mails = await readOutbox(app.dataDir);
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(recipients(m)).toContain(EMAIL);
      for (const part of [m.subject ?? '', m.text ?? '', typeof m.html === 'string' ? m.html : '']) {
        expect(part).not.toContain(EMAIL);
        expect(part).not.toContain(PASSWORD);
      }
    }
  });

  it('Direct Line transcript of the login: no password (the card value is not kept)', () => {
    expect(transcript.length).toBeGreaterThan(0);
    expect(JSON.stringify(transcript)).not.toContain(PASSWORD);
    for (const a of transcript) expect(a.value).toBeUndefined();
  });

  it('every file under DATA_DIR is 0600 and every folder 0700', async () => {
    const entries = await walk(app.dataDir);
    expect(entries.some((e) => e.path.endsWith('.eml'))).toBe(true);
    expect((await stat(app.dataDir)).mode & 0o777).toBe(0o700);
    for (const e of entries) {
      // A journal the store's background compaction folded in meanwhile is gone: nothing to check.
      const mode = await stat(e.path).then((s) => s.mode & 0o777, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
      if (mode !== undefined) expect([e.path, mode]).toEqual([e.path, e.dir ? 0o700 : 0o600]);
    }
  });

  it('a cancelled registration leaves no answer in the conversation state, even opened', async () => {
    const dl = await newChat(app.url);
    await dl.converse([
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
      ['CC', 'numero'],
      ['1017234567', 'primer nombre'],
    ]);
    const holdsNumber = async () => (await openState()).some((f) => f.open(f.raw.trim()).includes('1017234567'));
    await expect.poll(holdsNumber, { timeout: 5_000 }).toBe(true); // the form keeps it while it runs (sealed)
    await dl.send('cancelar');
    await dl.waitFor('');
    await expect.poll(holdsNumber, { timeout: 5_000 }).toBe(false);
  });

  it('the transcript lifetime in the schedule is the Direct Line idle limit', () => {
    expect(RETENTION.transcriptosDirectLineHoras * 3600_000).toBe(DEFAULT_LIMITS.idleMs);
  });
});
