/** E-mails sent by the use cases, each recorded in the audit log (the helpdesk sees which mails went). */
import { audit, type Actor } from './audit.js';
import type { CoreDeps } from './deps.js';
import type { MailRequest } from './ports.js';
import { maskEmail } from './text.js';

type NotifyDeps = Pick<CoreDeps, 'store' | 'clock' | 'random' | 'mailer'>;

/** One e-mail of a use case: what is sent, the audit subject, and the document key of the person it went to when it is one. */
export interface Notice {
  readonly mail: MailRequest;
  readonly subject: string;
  readonly persona?: string | undefined;
}

/**
 * Sends mails after their state change was committed, all at once, and records them in one audit
 * transaction (one flush to the device for all, not one a mail). A mail that cannot be sent does not
 * undo the change: it is audited as not sent and reported as `false` in its place, so the chat can
 * say which e-mail did not go.
 */
export async function sendAllAndRecord(deps: NotifyDeps, actor: Actor, notices: readonly Notice[]): Promise<boolean[]> {
  if (notices.length === 0) return [];
  const sent = await Promise.all(
    notices.map((n) =>
      deps.mailer.send(n.mail).then(
        () => true,
        () => false,
      ),
    ),
  );
  await deps.store.transaction(async (tx) => {
    for (const [i, n] of notices.entries()) {
      await audit(tx, deps.clock, deps.random, actor, sent[i] ? 'correo.enviado' : 'correo.no_enviado', n.subject, {
        plantilla: n.mail.template,
        destino: maskEmail(n.mail.to),
      }, n.persona);
    }
  });
  return sent;
}

/** sendAllAndRecord of one mail: whether it went. */
export async function sendAndRecord(deps: NotifyDeps, actor: Actor, mail: MailRequest, subject: string, persona?: string): Promise<boolean> {
  const [sent] = await sendAllAndRecord(deps, actor, [{ mail, subject, persona }]);
  return sent === true;
}
