/** Answers identity questions the way the person would: from what they know of their own history. */
import type { ReferencePerson, ReferenceRegistry } from '../../domain/reference.js';
import { fold } from '../../domain/text.js';
import type { Reply } from './transcript.js';

function knownValues(person: ReferencePerson, registry: ReferenceRegistry): Set<string> {
  const h = person.historia;
  const values = [...h.eps.map((e) => e.nombre), ...h.pensiones.map((p) => p.nombre), ...h.empleadores.map((e) => e.razonSocial)];
  for (const l of h.lugares) {
    const m = registry.findMunicipality(l.municipio);
    if (!m) continue;
    const d = registry.departments().find((x) => x.code === m.departmentCode);
    values.push(m.name, `${m.name} (${d?.name ?? ''})`);
  }
  return new Set(values.map(fold));
}

/** The options of the question in a reply: the titles of its buttons. */
export function optionsOf(reply: Reply): string[] {
  const card = reply.cards.at(-1) as { buttons?: { title: string }[] } | undefined;
  return (card?.buttons ?? []).map((b) => b.title);
}

/** 1-based number of the right option (a value from the person's history, else "Ninguna de las anteriores"). */
export function rightAnswer(person: ReferencePerson, registry: ReferenceRegistry, options: readonly string[]): number {
  const known = knownValues(person, registry);
  const i = options.findIndex((o) => known.has(fold(o)));
  if (i >= 0) return i + 1;
  const ninguna = options.findIndex((o) => fold(o) === 'ninguna de las anteriores');
  if (ninguna < 0) throw new Error(`no option to choose among ${options.join(' | ')}`);
  return ninguna + 1;
}

/** A wrong option number (never the right one). */
export function wrongAnswer(person: ReferencePerson, registry: ReferenceRegistry, options: readonly string[]): number {
  const right = rightAnswer(person, registry, options);
  return right === 1 ? 2 : 1;
}
