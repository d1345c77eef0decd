/** E-mails sent by the use cases, each recorded in the audit log (the helpdesk sees which mails went). */
import { audit, type Actor } from './audit.js';
import type { CoreDeps } from './deps.js';
import type { MailRequest } from './ports.js';
import { maskEmail } from './text.js';

/**
 * Sends a mail after its state change was committed. A mail that cannot be sent does not undo the
 * change: it is audited and reported as `false`, so the chat can say the e-mail did not go.
 * `persona`: the document key of the person the mail went to, when it is one (their history lists it).
 */
export async function sendAndRecord(
  deps: Pick<CoreDeps, 'store' | 'clock' | 'random' | 'mailer'>,
  actor: Actor,
  mail: MailRequest,
  subject: string,
  persona?: string,
): Promise<boolean> {
  let sent = true;
  try {
    await deps.mailer.send(mail);
  } catch {
    sent = false;
  }
  await deps.store.transaction((tx) =>
    audit(tx, deps.clock, deps.random, actor, sent ? 'correo.enviado' : 'correo.no_enviado', subject, {
      plantilla: mail.template,
      destino: maskEmail(mail.to),
    }, persona),
  );
  return sent;
}
