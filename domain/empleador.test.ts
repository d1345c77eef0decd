import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import {
  actor,
  ADMIN,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  DELEGADO_ANDRES,
  JOSE,
  pendingComfama,
  registration,
  roleOf,
  RUT_OK,
  SEDE,
  setup,
  withPeople,
  type Setup,
} from '../test/helpers/employers.js';
import { reviewRut } from './backoffice.js';
import { updateEmployer } from './empleador-actualizar.js';
import { registerEmployer } from './empleador-registro.js';

// ------------------------------------------------------------------------------ audit and e-mails

describe('audit and e-mails of the whole process', () => {
  async function everything(): Promise<Setup> {
    const s = setup();
    await pendingComfama(s);
    await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'El RUT no corresponde.', actor);
    await registerEmployer(s.deps, JOSE, registration({ naturaleza: '1', rut: RUT_OK, delegado: DELEGADA_MARIA }), actor);
    await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'aprobado', undefined, actor);
    await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { sede: { ...SEDE, email: 'nueva.sede@comfama.com.co' } }, actor);
    await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { delegado: DELEGADO_ANDRES }, actor);
    return s;
  }

  it('no full document number, e-mail address or file hash in the audit log', async () => {
    const s = await everything();
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.length).toBeGreaterThan(10);
    const json = JSON.stringify(events);
    const hash = (await roleOf(s))?.rut?.sha256 as string;
    for (const secret of ['70123456', '1036612345', '1017234567', '654321', SEDE.email, 'nueva.sede@comfama.com.co', DELEGADA_MARIA.email, 'jose.restrepo@correo.com', hash]) {
      expect(json).not.toContain(secret);
    }
  });

  it('every template renders with the data the use cases send', async () => {
    const s = await everything();
    const templates = new Set(s.mailer.sent.map((m) => m.template));
    expect([...templates].sort()).toEqual(
      ['delegado-designado', 'delegado-invitacion', 'empleador-actualizado', 'empleador-pendiente-revision', 'empleador-registrado', 'rut-aprobado', 'rut-rechazado'].filter(
        (t) => t !== 'empleador-registrado',
      ),
    );
    // The active registration's notice too.
    const t = setup();
    await withPeople(t);
    await registerEmployer(t.deps, JOSE, registration(), actor);

    // Compiled as mail/mailer.ts renders them (templates/render.ts): subject and text unescaped, HTML escaped; strict to catch missing fields.
    const file = (template: string, ext: string) => readFileSync(new URL(`../templates/es/correo/${template}${ext}`, import.meta.url), 'utf8');
    const hbs = Handlebars.create();
    const leaves = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []);
    for (const mail of [...s.mailer.sent, ...t.mailer.sent]) {
      const asunto = hbs.compile(file(mail.template, '.asunto.hbs'), { noEscape: true, strict: true })(mail.data).trim();
      const html = hbs.compile(file(mail.template, '.html.hbs'), { strict: true })(mail.data);
      const texto = hbs.compile(file(mail.template, '.txt.hbs'), { noEscape: true, strict: true })(mail.data);
      expect(asunto).toContain(String(mail.data['razonSocial']));
      expect(html).toContain('<html lang="es">');
      expect(html).not.toMatch(/<(img|link|script)\b|\bsrc=|url\(|\{\{/i);
      expect(texto).not.toMatch(/\{\{|\n{3,}/);
      const htmlText = html.replace(/&#x3D;/g, '=');
      for (const value of leaves(mail.data)) {
        expect(texto).toContain(value);
        expect(htmlText).toContain(value);
      }
      if (mail.data['enlace']) expect(htmlText).toContain(`href="${String(mail.data['enlace'])}"`);
    }
  });
});
