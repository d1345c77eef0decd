/**
 * The Mailer adapter (nodemailer): SMTP when a URL is configured, otherwise each message is
 * written as an .eml file to the outbox folder so local runs need no mail server.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { NicedThread, REPLACE_FILE, THREAD_TEMP_TAG } from '../storage/file-thread.js';
import type { SendMailOptions } from 'nodemailer';
import type { Clock, Logger, Mailer, MailRequest, SentMail } from '../domain/ports.js';
import { renderFile, renderHtml } from '../templates/render.js';

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mail goes to the outbox folder. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
  log: Logger;
  /** Names outbox files; defaults to the system clock. */
  clock?: Clock;
}

function compose(from: string, mail: MailRequest): SendMailOptions {
  const key = `correo/${mail.template}`;
  const data = { ...mail.data };
  return {
    from,
    to: mail.to,
    subject: renderFile(key, '.asunto.hbs', data),
    html: renderHtml(key, data),
    text: renderFile(key, '.txt.hbs', data),
    // What nodemailer would pick for Spanish text (more Latin letters than other characters), named
    // so that it does not count the letters of every part to decide: a few ms of CPU per message.
    textEncoding: 'quoted-printable',
  };
}

/** 2026-01-15T14:00:00.000Z → 20260115T140000000Z (sortable, valid on every file system). */
function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** Describes a failed SMTP send without the recipient address (errors end up in logs). */
function smtpError(template: string, e: unknown): Error {
  const x = e as { code?: string; responseCode?: number; command?: string };
  const parts = [x.code, x.responseCode, x.command].filter((p) => p !== undefined && p !== '');
  return new Error(`mail "${template}" could not be sent by SMTP${parts.length ? ` (${parts.join(' ')})` : ''}`);
}

/**
 * The outbox's messages built and written on a thread of their own (storage/file-thread.ts):
 * nodemailer's MIME builder (MailComposer, what its stream transport runs) cost the event loop
 * ~0.35 ms a message. Unix newlines, as the stream transport's `newline: 'unix'`;
 * the file written whole, 0600. Answers the message's Message-ID.
 */
const outboxThread = new NicedThread(
  `${REPLACE_FILE}
const MailComposer = require(workerData.composer);
const fail = (id, err) => parentPort.postMessage({ id, error: String((err && err.message) || err), code: err && err.code });
parentPort.on('message', ({ id, path, options }) => {
  let node;
  try {
    node = new MailComposer(options).compile();
  } catch (err) {
    return fail(id, err);
  }
  node.build((e, message) => {
    try {
      if (e) throw e;
      replace(path, Buffer.from(message.toString('latin1').replace(/\\r\\n/g, '\\n'), 'latin1'), 0o600);
      parentPort.postMessage({ id, value: node.messageId() });
    } catch (err) {
      fail(id, err);
    }
  });
});`,
  'outbox',
  // At the event loop's priority: the turn that sends it waits for it (reniced, the bench's p99 at human pace tripled).
  { tag: THREAD_TEMP_TAG, composer: createRequire(import.meta.url).resolve('nodemailer/lib/mail-composer'), nice: 0 },
);

/** Picks the SMTP transport when `smtpUrl` is set, the .eml outbox otherwise. */
export function createMailer(opts: MailerOptions): Mailer {
  const { log, from } = opts;
  const clock = opts.clock ?? { now: () => new Date() };

  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      async send(mail: MailRequest): Promise<SentMail> {
        const message = compose(from, mail);
        let info: { messageId: string };
        try {
          info = await transport.sendMail(message);
        } catch (e) {
          throw smtpError(mail.template, e);
        }
        log.info('mail sent by smtp', { template: mail.template, messageId: info.messageId });
        return { messageId: info.messageId, location: 'smtp' };
      },
      async close() {
        transport.close();
      },
    };
  }

  const outbox = resolve(opts.outboxDir);
  // The folder is made once (messages carry personal data and one-time links: 0700), again if it goes.
  let folder: Promise<unknown> | undefined;
  const made = (again = false): Promise<unknown> => {
    if (again || !folder) {
      const attempt = mkdir(outbox, { recursive: true, mode: 0o700 });
      folder = attempt;
      attempt.catch(() => {
        if (folder === attempt) folder = undefined; // tried again by the next message
      });
    }
    return folder;
  };
  return {
    async send(mail: MailRequest): Promise<SentMail> {
      const options = compose(from, mail);
      const name = `${fileStamp(clock.now())}-${randomBytes(4).toString('hex')}.eml`;
      const path = join(outbox, name);
      const write = () => outboxThread.run<string>({ path, options });
      await made();
      const messageId = await write().catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
        await made(true); // the folder was removed meanwhile
        return write();
      });
      log.info('mail written to outbox', { path, template: mail.template });
      return { messageId, location: path };
    },
    async close() {},
  };
}
