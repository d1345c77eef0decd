/**
 * The three e-mails of "Administrar autorizados" (autorizado-invitacion, -asignado, -revocado): subject,
 * HTML (the correo-html frame) and text (the correo-pie footer), rendered as mail/mailer.ts renders them.
 */
import Handlebars from 'handlebars';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { PERFIL_SERVICIOS, ROL_CAJA } from '../domain/autorizaciones.js';
import { authorize, revokeAuthorization, type NuevoAutorizado } from '../domain/autorizados.js';
import { registerEmployer } from '../domain/empleador-registro.js';
import type { Logger, MailRequest } from '../domain/ports.js';
import { fakeClock } from '../domain/random.js';
import type { ActingRole } from '../domain/session.js';
import { renderFile, renderHtml } from '../templates/render.js';
import { actor, COMFAMA_NIT, JOSE, registration, seedCitizen, setup } from '../test/helpers/employers.js';
import { createMailer } from './mailer.js';

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const TEMPLATES = ['autorizado-invitacion', 'autorizado-asignado', 'autorizado-revocado'] as const;
type Template = (typeof TEMPLATES)[number];

const BASE = { nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, nit: '890.900.841-9', por: 'María Peña', enlace: 'https://asistente.example/' };
const DATA: Record<Template, Record<string, unknown>> = {
  'autorizado-invitacion': BASE,
  'autorizado-asignado': BASE,
  'autorizado-revocado': { ...BASE, motivo: 'Ya no trabaja en la Caja', revocadoPor: 'José Restrepo', invitacion: false },
};
/** The values each mail must show (the revocation names who revoked, not who authorized, and has no link). */
const SHOWN: Record<Template, string[]> = {
  'autorizado-invitacion': ['nombre', 'razonSocial', 'nit', 'por', 'enlace'],
  'autorizado-asignado': ['nombre', 'razonSocial', 'nit', 'por', 'enlace'],
  'autorizado-revocado': ['nombre', 'razonSocial', 'nit', 'motivo', 'revocadoPor'],
};

const subjectOf = (t: string, data: Record<string, unknown>) => renderFile(`correo/${t}`, '.asunto.hbs', data);
const htmlOf = (t: string, data: Record<string, unknown>) => renderHtml(`correo/${t}`, data);
const textOf = (t: string, data: Record<string, unknown>) => renderFile(`correo/${t}`, '.txt.hbs', data);
const FOOTER = renderFile('correo/partes/pie', '.txt.hbs');
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const escapeHtml = (s: string) => Handlebars.escapeExpression(s);

describe('autorizado-* mails', () => {
  it('the footer is the helpdesk contacts', () => {
    expect(FOOTER).toMatch(/^--\n/);
    expect(FOOTER).toContain('miseguridadsocial@minsalud.gov.co');
    expect(FOOTER).toContain('01 8000 96 00 20');
  });

  it.each(TEMPLATES)('%s: subject, HTML in the common frame, text with the footer', (t) => {
    const data = DATA[t];
    const subject = subjectOf(t, data);
    expect(subject).toContain(COMFAMA_RS);
    expect(subject).toContain('Mi Seguridad Social');
    expect(subject).not.toMatch(/\n|\{\{/);

    const html = htmlOf(t, data);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Asistente CCF · Mi Seguridad Social');
    expect(html).toContain('miseguridadsocial@minsalud.gov.co');
    // The title is the subject, with the razón social.
    expect(titleOf(html)).toBe(escapeHtml(subject));
    expect(titleOf(html)).toContain(COMFAMA_RS);
    expect(html).not.toMatch(/<(img|link|script)\b|\bsrc=|url\(|\{\{/i);

    const text = textOf(t, data);
    expect(text.startsWith('Buen día, Andrés Zapata:')).toBe(true);
    expect(text.endsWith(FOOTER)).toBe(true);
    expect(text).not.toMatch(/\{\{|<[a-z]|\n{3,}/);

    const htmlText = html.replace(/&#x3D;/g, '=');
    for (const key of SHOWN[t]) {
      const value = String(data[key]);
      expect(text).toContain(value);
      expect(htmlText).toContain(value);
    }
    if (SHOWN[t].includes('enlace')) expect(htmlText).toContain(`href="${BASE.enlace}"`);
    else expect(html).not.toContain('href=');
  });

  it.each(TEMPLATES)('%s: the HTML escapes what the data carries (razón social, names, reason)', (t) => {
    const evil = '<script>alert(1)</script> & "Cía"';
    const data = { ...DATA[t], razonSocial: evil, nombre: '<b>Andrés</b>', motivo: '<img src=x onerror=alert(1)>', revocadoPor: '<i>José</i>', por: '<i>María</i>' };
    const html = htmlOf(t, data);
    expect(html).not.toMatch(/<script|<b>|<i>|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Cía&quot;');
    expect(titleOf(html)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;Andrés&lt;/b&gt;');
    // Subject and text are not HTML: the value as given.
    expect(subjectOf(t, data)).toContain(evil);
    expect(textOf(t, data)).toContain(evil);
  });

  it('the revocation of an invitation says so and does not speak of an account that "sigue activa"', () => {
    const invitation = { ...DATA['autorizado-revocado'], invitacion: true };
    for (const out of [htmlOf('autorizado-revocado', invitation), textOf('autorizado-revocado', invitation)]) {
      expect(out).toContain('la invitación que usted había recibido para ser persona autorizada');
      expect(out).not.toContain('sigue activa');
      expect(out).not.toContain('su autorización como');
      expect(out).toContain('Motivo: Ya no trabaja en la Caja');
    }
    const active = DATA['autorizado-revocado'];
    for (const out of [htmlOf('autorizado-revocado', active), textOf('autorizado-revocado', active)]) {
      expect(out).toContain('su autorización como persona autorizada');
      expect(out).toContain('sigue activa');
      expect(out).toContain(`no puede actuar en el rol Caja de compensación familiar de ${COMFAMA_RS}`);
      expect(out).not.toContain('invitación');
    }
    expect(textOf('autorizado-revocado', invitation).endsWith(FOOTER)).toBe(true);
    expect(textOf('autorizado-revocado', invitation)).not.toMatch(/\n{3,}/);
  });

  it('the invitation asks to register; the assignment says which role to choose', () => {
    expect(textOf('autorizado-invitacion', BASE)).toContain('Registrarme');
    // The role is named as the chat's button names it: by the CCF's sigla when it has one.
    expect(textOf('autorizado-asignado', { ...BASE, sigla: 'COMFAMA' })).toContain('Caja de compensación familiar — COMFAMA»'.replace('»', '"'));
    expect(textOf('autorizado-asignado', BASE)).toContain(`Caja de compensación familiar — ${COMFAMA_RS}`);
  });
});

// ------------------------------------------------------------------------------ with the data the use cases send

describe('autorizado-* mails with the data the use cases send', () => {
  async function sentMails(): Promise<MailRequest[]> {
    const s = setup();
    await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    const acting: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'rl' };
    const base: Pick<NuevoAutorizado, 'sede' | 'rol' | 'perfil'> = { sede: { tipo: 'principal' }, rol: ROL_CAJA, perfil: PERFIL_SERVICIOS };
    const carlos: NuevoAutorizado = { tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'Carlos', segundoNombre: '', primerApellido: 'Briceño', segundoApellido: 'Salas', email: 'carlos@comfama.com.co', ...base };
    const andres: NuevoAutorizado = { tipoDocumento: 'CC', numeroDocumento: '1017234567', primerNombre: 'Andrés', segundoNombre: 'Felipe', primerApellido: 'Zapata', segundoApellido: 'Londoño', email: 'andres@comfama.com.co', ...base };
    const a = await authorize(s.deps, JOSE, acting, COMFAMA_NIT, carlos, actor); // registered: asignado
    const b = await authorize(s.deps, JOSE, acting, COMFAMA_NIT, andres, actor); // not registered: invitacion
    if (!a.ok || !b.ok) throw new Error('not authorized');
    await revokeAuthorization(s.deps, JOSE, acting, COMFAMA_NIT, a.value.autorizacion.id, 'Cambió de cargo', actor);
    await revokeAuthorization(s.deps, JOSE, acting, COMFAMA_NIT, b.value.autorizacion.id, 'Invitación por error', actor);
    return s.mailer.sent.filter((m) => m.template.startsWith('autorizado-'));
  }

  it('every field the templates read is sent (strict compile), and every value sent is shown', async () => {
    const mails = await sentMails();
    expect(mails.map((m) => [m.template, m.data['invitacion']])).toEqual([
      ['autorizado-asignado', undefined],
      ['autorizado-invitacion', undefined],
      ['autorizado-revocado', false],
      ['autorizado-revocado', true],
    ]);
    // Strict: a field a template reads that the use case does not send throws. Same partials and helper as templates/render.ts.
    const dir = new URL('../templates/es/correo/', import.meta.url);
    const file = (name: string) => readFileSync(new URL(name, dir), 'utf8');
    const hbs = Handlebars.create();
    hbs.registerPartial('correo-html', file('partes/base.html.hbs'));
    hbs.registerPartial('correo-pie', file('partes/pie.txt.hbs'));
    hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map((p) => String(p ?? '')).join(''));
    for (const m of mails) {
      const t = m.template as Template;
      const strictText = hbs.compile(file(`${t}.txt.hbs`), { noEscape: true, strict: true })(m.data).trim();
      const strictHtml = hbs.compile(file(`${t}.html.hbs`), { strict: true })(m.data);
      hbs.compile(file(`${t}.asunto.hbs`), { noEscape: true, strict: true })(m.data);
      expect(strictText).toBe(textOf(t, m.data));
      expect(strictHtml).toBe(htmlOf(t, m.data));
      for (const key of SHOWN[t]) {
        expect(textOf(t, m.data)).toContain(String(m.data[key]));
        expect(htmlOf(t, m.data).replace(/&#x3D;/g, '=')).toContain(String(m.data[key]));
      }
    }
    expect(textOf('autorizado-revocado', mails[3]!.data)).not.toContain('sigue activa');
    expect(textOf('autorizado-revocado', mails[2]!.data)).toContain('sigue activa');
  });

  it('through the real mailer: a parseable message with the subject, HTML and text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccf-autorizados-'));
    const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };
    const mailer = createMailer({ outboxDir: join(dir, 'outbox'), from: 'Asistente CCF <asistente@ccf.example>', log: silent, clock: fakeClock('2026-11-26T15:00:00.000Z') });
    try {
      for (const t of TEMPLATES) {
        const sent = await mailer.send({ to: 'persona@ccf.example', template: t, data: DATA[t] });
        const parsed = await simpleParser(await readFile(sent.location));
        expect(parsed.subject).toBe(subjectOf(t, DATA[t]));
        expect(parsed.html).toContain(`<title>${escapeHtml(subjectOf(t, DATA[t]))}</title>`);
        expect(String(parsed.text).trim().endsWith(FOOTER)).toBe(true);
      }
    } finally {
      await mailer.close?.();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
