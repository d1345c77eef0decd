/**
 * One-time links to the assistant's account pages (activation, password reset, login unlock): the token goes in
 * the e-mail only; the store keeps its hash.
 */
import { createHash } from 'node:crypto';
import type { AccountToken } from './citizens.js';
import type { CoreDeps } from './deps.js';
import type { Tx } from './ports.js';

/** The stored id of a one-time link: the SHA-256 of the token, in hex. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new one-time link for a citizen: the token goes in the e-mail only; the store keeps its hash. */
export async function issueToken(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  citizenId: string,
  tipo: AccountToken['tipo'],
  validMs: number,
): Promise<string> {
  const token = deps.random.token(32);
  const now = deps.clock.now();
  await tx.collection('accountTokens').put({
    id: tokenId(token),
    tipo,
    citizenId,
    creadoEn: now.toISOString(),
    expira: new Date(now.getTime() + validMs).toISOString(),
  });
  return token;
}

/** Deletes the citizen's links of `tipo` that were not used (an old e-mail's link then is invalid). */
export async function dropUnusedTokens(tx: Tx, citizenId: string, tipo?: AccountToken['tipo']): Promise<number> {
  const tokens = await tx.collection('accountTokens').findBy('citizenId', citizenId);
  let dropped = 0;
  for (const t of tokens) {
    if (t.usadoEn === undefined && (tipo === undefined || t.tipo === tipo) && (await tx.collection('accountTokens').delete(t.id))) dropped++;
  }
  return dropped;
}

/** A link to one of the assistant's account pages, carrying a one-time token. */
export function accountLink(deps: Pick<CoreDeps, 'publicBaseUrl'>, page: 'activar' | 'restablecer' | 'desbloquear', token: string): string {
  return `${deps.publicBaseUrl.replace(/\/+$/, '')}/cuenta/${page}?token=${encodeURIComponent(token)}`;
}
