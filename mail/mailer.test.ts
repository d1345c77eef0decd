import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, LogFields, Mailer } from '../domain/ports.js';
import { fakeClock } from '../domain/random.js';
import { createMailer } from './mailer.js';
import { niceOfThreadsNamed } from '../test/helpers/threads.js';

const FROM = 'Asistente CCF <asistente@ccf.example>';
const TO = 'persona@ccf.example';

function recordingLogger(lines: { msg: string; fields?: LogFields }[] = []): Logger & { lines: typeof lines } {
  const push = (msg: string, fields?: LogFields) => void lines.push({ msg, ...(fields ? { fields } : {}) });
  return { lines, debug: push, info: push, warn: push, error: push, child: () => recordingLogger(lines) };
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));

function expectTestMail(parsed: ParsedMail, nombre: string) {
  expect(parsed.from?.value[0]?.address).toBe('asistente@ccf.example');
  expect(addresses(parsed.to)).toEqual([TO]);
  expect(parsed.subject).toBe('Correo de prueba del Asistente CCF');
  expect(parsed.text).toContain(nombre);
  expect(parsed.html).toContain('Asistente CCF');
}

describe('mailer: outbox', () => {
  let dir: string;
  let mailer: Mailer;
  const log = recordingLogger();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-outbox-'));
    log.lines.length = 0;
    mailer = createMailer({ outboxDir: join(dir, 'outbox'), from: FROM, log, clock: fakeClock('2026-01-15T14:00:00.000Z') });
  });
  afterEach(async () => {
    await mailer.close?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a parseable .eml with from, to, subject, HTML and text', async () => {
    const sent = await mailer.send({ to: TO, template: 'prueba', data: { nombre: 'Ana Pérez' } });
    expect(sent.location).toMatch(/outbox[/\\]20260115T140000000Z-[0-9a-f]{8}\.eml$/);
    expect(await readdir(join(dir, 'outbox'))).toEqual([sent.location.split(/[/\\]/).pop()]);

    const parsed = await simpleParser(await readFile(sent.location));
    expectTestMail(parsed, 'Ana Pérez');
    expect(parsed.html).toContain('Ana Pérez');
    expect(parsed.messageId).toBe(sent.messageId);
    expect((await readFile(sent.location, 'latin1')).includes('\r')).toBe(false); // Unix newlines, as before
  });

  it.runIf(process.platform === 'linux')("builds and writes on a thread named ccf-outbox, at the event loop's priority (the turn waits for it)", async () => {
    await mailer.send({ to: TO, template: 'prueba', data: { nombre: 'Ana Pérez' } });
    expect(niceOfThreadsNamed('ccf-outbox')).toEqual([0]);
  });

  it('escapes data in the HTML part', async () => {
    const sent = await mailer.send({ to: TO, template: 'prueba', data: { nombre: '<script>alert(1)</script>' } });
    const parsed = await simpleParser(await readFile(sent.location));
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.html).toContain('&lt;script&gt;');
  });

  it('logs the outbox path and template, never the recipient or the data', async () => {
    const sent = await mailer.send({ to: TO, template: 'prueba', data: { nombre: 'Ana Pérez' } });
    expect(log.lines).toEqual([{ msg: 'mail written to outbox', fields: { path: sent.location, template: 'prueba' } }]);
    expect(JSON.stringify(log.lines)).not.toMatch(/persona@|Ana/);
  });

  it('creates the outbox 0700 and each message 0600', async () => {
    const sent = await mailer.send({ to: TO, template: 'prueba', data: {} });
    expect((await stat(join(dir, 'outbox'))).mode & 0o777).toBe(0o700);
    expect((await stat(sent.location)).mode & 0o777).toBe(0o600);
  });

  it('gives each message its own file', async () => {
    const a = await mailer.send({ to: TO, template: 'prueba', data: {} });
    const b = await mailer.send({ to: TO, template: 'prueba', data: {} });
    expect(a.location).not.toBe(b.location);
    expect(await readdir(join(dir, 'outbox'))).toHaveLength(2);
  });

  it('makes the outbox again (0700) when it was removed after the first message', async () => {
    await mailer.send({ to: TO, template: 'prueba', data: {} });
    await rm(join(dir, 'outbox'), { recursive: true });
    const sent = await mailer.send({ to: TO, template: 'prueba', data: { nombre: 'Ana Pérez' } });
    expect((await stat(join(dir, 'outbox'))).mode & 0o777).toBe(0o700);
    expectTestMail(await simpleParser(await readFile(sent.location)), 'Ana Pérez');
  });

  it('the activation e-mail says what to do when its link expires as the chat does: "Olvidé mi contraseña" sends another', async () => {
    const data = { nombre: 'Diana Martínez', usuario: 'CC 33773336', enlace: 'http://localhost:3978/cuenta/activar?token=abc', horas: 24 };
    const parsed = await simpleParser(await readFile((await mailer.send({ to: TO, template: 'registro-activacion', data })).location));
    for (const part of [parsed.text ?? '', String(parsed.html)]) {
      expect(part).toMatch(/Si vence, pida otro en el Asistente CCF con (<strong>|")Olvidé mi contraseña/);
      expect(part).not.toContain('vuelva a hacer el registro');
    }
  });

  it('writes the text and HTML parts quoted-printable: Spanish text stays readable in the file', async () => {
    const sent = await mailer.send({ to: TO, template: 'prueba', data: { nombre: 'Ana Pérez' } });
    const raw = await readFile(sent.location, 'utf8');
    const encodings = [...raw.matchAll(/^Content-Transfer-Encoding: (.+)$/gim)].map((m) => m[1]!.trim().toLowerCase());
    expect(encodings).toEqual(['quoted-printable', 'quoted-printable']);
    expect(raw).toContain('Ana P=C3=A9rez');
  });
});

describe('mailer: SMTP', () => {
  let server: SMTPServer;
  let port: number;
  let received: { from: string | undefined; rcpt: string[]; raw: Buffer }[];
  let rejectRecipients: boolean;
  let mailer: Mailer | undefined;
  const log = recordingLogger();

  beforeEach(async () => {
    received = [];
    rejectRecipients = false;
    log.lines.length = 0;
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (!rejectRecipients) return callback();
        const e = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(e);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
          received.push({ from, rcpt: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await mailer?.close?.();
    mailer = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const smtpMailer = () => (mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, outboxDir: '/nonexistent', from: FROM, log }));

  it('delivers subject, recipients, HTML and text to the SMTP peer', async () => {
    const sent = await smtpMailer().send({ to: TO, template: 'prueba', data: { nombre: 'Ana <b>Pérez</b>' } });
    expect(sent.location).toBe('smtp');
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe('asistente@ccf.example');
    expect(received[0]!.rcpt).toEqual([TO]);

    const parsed = await simpleParser(received[0]!.raw);
    expectTestMail(parsed, 'Ana <b>Pérez</b>');
    expect(parsed.html).toContain('Ana &lt;b&gt;Pérez&lt;/b&gt;');
    expect(parsed.messageId).toBe(sent.messageId);
    expect(JSON.stringify(log.lines)).not.toMatch(/persona@|Ana/);
  });

  it('rejects when the server refuses the recipient, without the address in the error', async () => {
    rejectRecipients = true;
    const attempt = smtpMailer().send({ to: TO, template: 'prueba', data: {} });
    await expect(attempt).rejects.toThrow(/could not be sent by SMTP/);
    await expect(attempt).rejects.not.toThrow(/persona@/);
    expect(received).toEqual([]);
  });
});
