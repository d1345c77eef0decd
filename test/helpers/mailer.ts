/** A Mailer that keeps what it was asked to send (no Bot Framework: domain tests import it too). */
import type { Mailer, MailRequest } from '../../domain/ports.js';

/** What `trackedStore()` exposes: the number of transactions running right now. */
export interface OpenTransactions {
  readonly open: number;
}

/** Keeps every mail; given a tracked store, also whether a transaction was open while it was sent. */
export function recordingMailer(): Mailer & { sent: MailRequest[] };
export function recordingMailer(store: OpenTransactions): Mailer & { sent: (MailRequest & { insideTransaction: boolean })[] };
export function recordingMailer(store?: OpenTransactions): Mailer & { sent: (MailRequest & { insideTransaction?: boolean })[] } {
  const sent: (MailRequest & { insideTransaction?: boolean })[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(store ? { ...mail, insideTransaction: store.open > 0 } : mail);
      return { messageId: `<m${sent.length}@test>`, location: 'memory' };
    },
  };
}
