import type { Attachment } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { checklist, type ChecklistFacts, type CompanyFacts, type PersonFacts, type RoleFacts } from '../domain/checklist.js';
import { checklistActivity, checklistText } from './checklist.js';

const NOW = new Date('2026-12-02T15:00:00.000Z');
const NOV = (day: number) => `2026-11-${String(day).padStart(2, '0')}T14:00:00.000Z`;

const active = (at: string) => ({ estado: 'activo' as const, creadoEn: at, activadoEn: at });
const JOSE: PersonFacts = { citizenId: 'CC:70123456', nombre: { primerNombre: 'JOSÉ', segundoNombre: 'ALEJANDRO', primerApellido: 'RESTREPO' }, sexo: 'M', cuenta: active(NOV(20)) };
const MARIA: PersonFacts = { citizenId: 'CC:1036612345', nombre: { primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA' }, sexo: 'F' };
const ANDRES: PersonFacts = { citizenId: 'CC:1017234567', nombre: { primerNombre: 'Andrés', segundoNombre: 'Felipe', primerApellido: 'Zapata' }, sexo: 'M', cuenta: active(NOV(25)) };

const rol = (over: Partial<RoleFacts> = {}): RoleFacts => ({
  estado: 'activo',
  registradoEn: NOV(30),
  rl: JOSE,
  delegado: { ...MARIA, estado: 'invitado', designadoEn: NOV(30) },
  ...over,
});
const linked = { ...MARIA, cuenta: active(NOV(30)), estado: 'vinculado' as const, designadoEn: NOV(30) };
const comfama = (over: Partial<CompanyFacts> = {}): CompanyFacts => ({
  nit: '890900841', dv: '9', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', sigla: 'COMFAMA', esCcf: true, ...over,
});
const ACTING = { tipo: 'empleador', nit: '890900841', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', como: 'rl' } as const;

/** Lower case, no accents: "María Peña" → "maria pena" (dates and punctuation kept). */
const plain = (s: string | undefined): string => (s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function render(facts: ChecklistFacts, view = {}) {
  const result = checklist(facts, NOW);
  const activity = checklistActivity(result, view);
  const attachment = activity.attachments?.[0] as Attachment;
  const content = attachment.content as { body: unknown[]; fallbackText: string };
  return { text: plain(activity.text), fallback: plain(content.fallbackText), card: plain(JSON.stringify(content.body)), attachment, full: plain(checklistText(result, view)) };
}

describe('checklist message', () => {
  it('right after the RL registers COMFAMA: the chain, the invited delegate by name, and the next action', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol() })], actuaComo: ACTING });
    // The message leads into the card; the card and its fallback (for a channel without cards) carry the checklist.
    for (const s of [r.fallback, r.card]) {
      expect(s).toContain('registro ciudadano');
      expect(s).toContain('hecho');
      expect(s).toContain('pendiente');
      expect(s).toContain('maria fernanda pena (delegada): invitada el 30/11, aun no se ha registrado');
      expect(s).toMatch(/maria fernanda pena \(delegada\) debe registrarse/);
      // Step 3 does not wait on the delegate: the RL is told they may authorize meanwhile.
      expect(s).toContain('mientras tanto, usted mismo(a) puede autorizar a la persona en **administrar autorizados**');
    }
    expect(r.fallback).toContain('jose alejandro restrepo');
    expect(r.fallback).toContain('actua como empleador persona juridica');
    expect(r.fallback).not.toMatch(/ningun tramite|actua como ciudadano/);
    expect(r.attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(r.text).toContain('este es su avance'); // the lead into the card
  });

  it('the card and its fallback name every step, who did it and when, and who must act for the steps not built yet', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol() })] });
    for (const s of [r.fallback, r.card]) {
      expect(s).toContain('registrar rol empleador persona juridica');
      expect(s).toContain('registrado por usted (representante legal) el 30/11');
      expect(s).toContain('administrar autorizados');
      expect(s).toContain('usted (representante legal) debe autorizar a una persona');
      expect(s).toContain('el ministerio de salud debe activar el rol caja de compensacion familiar');
      expect(s).toContain('la persona autorizada debe aceptar las condiciones de uso en **administracion de servicios web**');
      expect(s).toContain('nit 890.900.841-9');
    }
    expect(r.card).toMatch(/✔.*○|○.*✔/);
    expect(r.fallback).toBe(r.full);
  });

  it('delegate linked: the delegate or the RL must authorize someone, named', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol({ delegado: linked }) })] });
    expect(r.fallback).toContain('maria fernanda pena (delegada) o usted (representante legal) debe autorizar a una persona');
    expect(r.fallback).toContain('administrar autorizados');
    expect(r.fallback).not.toContain('aun no se ha registrado');
  });

  it('the delegate looking at the RL’s CCF is "usted (delegada)"', () => {
    const r = render({ persona: linked, empresas: [comfama({ rol: rol({ delegado: linked }) })] });
    expect(r.fallback).toContain('participa como delegada');
    expect(r.fallback).toContain('usted (delegada) o jose alejandro restrepo (representante legal) debe autorizar');
  });

  it('a rejected RUT shows the Ministry’s reason, with Markdown neutralized', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol({ estado: 'rechazado', revision: { decision: 'rechazado', en: NOV(30), motivo: 'RUT *ilegible*' } }) })] });
    expect(r.fallback).toContain('bloqueado');
    expect(r.fallback).toContain('debe registrar de nuevo el rol empleador');
    expect(r.fallback).toContain('rut \\*ilegible\\*');
  });

  it('a person with no employer role sees their registration and who must act before them', () => {
    const r = render({ persona: ANDRES, empresas: [], cajaActual: { nit: '890900841', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA' } });
    expect(r.fallback).toContain('usted: se registro el 25/11');
    expect(r.fallback).toMatch(/representante legal de caja de compensacion familiar de antioquia comfama debe registrar el rol empleador/);
    expect(r.fallback).toContain('lo autoriza a usted');
  });

  it('no account yet, or an identity block with its end', () => {
    expect(render({ persona: { citizenId: 'CE:654321' }, empresas: [] }).fallback).toContain('usted debe registrarse en **registro ciudadano**');
    const blocked = render({ persona: { citizenId: 'CE:654321', bloqueadoHasta: '2026-12-03T10:00:00.000Z' }, empresas: [] });
    expect(blocked.fallback).toContain('su documento esta bloqueado hasta el 03/12 a las 5:00');
  });

  it('RUT in review and the Ministry’s steps say the Ministry must act', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol({ estado: 'pendiente_revision', rutSubidoEn: NOV(30) }) })] });
    expect(r.fallback).toContain('en revision');
    expect(r.fallback).toContain('el ministerio de salud debe revisar el rut adjunto (en revision desde el 30/11)');
  });

  /** COMFAMA with every step done: Andrés authorized, the terms accepted, a service shared completely, the password assigned. */
  const chainDone = (compartidos: CompanyFacts['compartidos'] = { total: 1, completos: 1 }) =>
    comfama({
      rol: rol({ delegado: linked }),
      autorizados: [{ ...ANDRES, estado: 'activo', desde: NOV(30) }],
      rolCcf: { activo: true, en: NOV(30) },
      serviciosAsignados: 2,
      terminos: { estado: 'aceptados', en: NOV(30) },
      compartidos,
      claveAsignadaEn: NOV(30),
    });

  it('everything done: the chain is complete and the authorized person works', () => {
    const r = render({ persona: JOSE, empresas: [chainDone()] });
    expect(r.fallback).not.toContain('pendiente');
    expect(r.fallback).toContain('la caja comparte 1 servicio completo y asigno la contrasena de los servicios web el 30/11');
    expect(r.fallback).toContain('asigno 2 servicios');
    expect(r.fallback).toContain('la cadena esta completa: andres felipe zapata (persona autorizada) administra los servicios web');
  });

  it('everything done but the last connection test failed: the next step says so and where to look', () => {
    const tested = (exito: boolean) => chainDone({ total: 1, completos: 1, nombres: ['ConsultaAportes'], ultimaPrueba: { servicio: 'ConsultaAportes', en: NOV(30), exito } });
    const r = render({ persona: JOSE, empresas: [tested(false)] });
    const next = 'la cadena esta completa: andres felipe zapata (persona autorizada) administra los servicios web en **administracion de servicios web**. pero la ultima prueba de conexion, la de consultaaportes, no funciono: conviene revisar sus datos en **compartir servicios entidad** y probarla de nuevo con **probar conexion**.';
    expect(r.fallback).toContain(next);
    expect(r.text + r.card).toContain('pero la ultima prueba de conexion, la de consultaaportes, no funciono');
    const ok = render({ persona: JOSE, empresas: [tested(true)] });
    expect(ok.fallback).not.toContain('pero la ultima prueba');
  });

  it('terms accepted but nothing shared yet: step 5 pending, naming what is missing and who must do it', () => {
    const part = comfama({
      rol: rol({ delegado: linked }),
      autorizados: [{ ...ANDRES, estado: 'activo', desde: NOV(30) }],
      rolCcf: { activo: true, en: NOV(30) },
      serviciosAsignados: 2,
      terminos: { estado: 'aceptados', en: NOV(30) },
      compartidos: { total: 1, completos: 0 },
    });
    const r = render({ persona: JOSE, empresas: [part] });
    expect(r.fallback).toContain('paso 5: administracion de servicios web — pendiente');
    expect(r.fallback).toContain('falta compartir al menos un servicio completo (compartir servicios entidad) y asignar la contrasena de los servicios web (asignar contrasena)');
    expect(r.fallback).toMatch(/andres felipe zapata \(persona autorizada\) debe compartir al menos un servicio/);
    const onlyKey = render({ persona: JOSE, empresas: [{ ...part, compartidos: { total: 1, completos: 1 } }] });
    expect(onlyKey.fallback).toMatch(/andres felipe zapata \(persona autorizada\) debe asignar la contrasena de los servicios web/);
  });

  it('the helpdesk view is in third person', () => {
    const r = render({ persona: JOSE, empresas: [comfama({ rol: rol() })] }, { tercero: true });
    expect(r.fallback).toContain('seguimiento de jose alejandro restrepo');
    // Its title is no question of the agent's own ("¿En qué voy?" is the person's).
    expect(r.fallback).toContain('**cadena de activacion** — seguimiento de jose');
    expect(r.fallback).not.toContain('en que voy');
    expect(r.fallback).toContain('jose alejandro restrepo (representante legal): se registro el 20/11');
    expect(r.fallback).not.toContain('usted');
    expect(r.fallback).not.toContain('mientras tanto');
  });

  it('dates are dd/mm in Bogotá time, with the year when it is not this year', () => {
    const r = render({ persona: { ...JOSE, cuenta: active('2025-11-20T03:00:00.000Z') }, empresas: [] });
    expect(r.fallback).toContain('se registro el 19/11/2025');
  });

  it('never shows a missing value', () => {
    const all = [
      { persona: JOSE, empresas: [comfama({ rlReferencia: JOSE })] },
      { persona: JOSE, empresas: [comfama({ esCcf: false, rol: rol() })] },
      { persona: JOSE, empresas: [comfama({ rol: rol({ delegado: linked }), autorizados: [{ ...ANDRES, estado: 'revocado', desde: NOV(29) }], rolCcf: { activo: false, en: NOV(30) } })] },
      { persona: { ...JOSE, cuenta: { estado: 'pendiente', creadoEn: NOV(30) } }, empresas: [] },
    ] satisfies ChecklistFacts[];
    for (const f of all) {
      const r = render(f);
      for (const s of [r.fallback, r.fallback, r.card]) expect(s).not.toMatch(/undefined|null|\{\{|: \.|el \./);
    }
  });
});
