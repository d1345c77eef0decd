/** A person as the helpdesk sees them (domain/mesa-ayuda.ts VistaPersona): "**Label:** value" lines. */
import type { VistaCcf, VistaPersona } from '../../domain/mesa-ayuda.js';
import { formatNit, computeDv } from '../../domain/nit.js';
import { titleOf } from '../catalog.js';
import { textBlock, type CardElement } from '../cards.js';
import { fieldTexts } from '../form/form-spec.js';
import { formatDateTime } from '../format.js';
import { mesaTexts, mt } from './texts.js';

/** One line: the label bold, the value as data (Markdown characters of the value escaped). */
export const escapeMarkdown = (v: string): string => v.replace(/[\\`*_{}[\]()|<>~#]/g, (c) => `\\${c}`);
const esc = escapeMarkdown;
const line = (label: string, value: string) => `**${label}:** ${esc(value)}`;

function processTitle(id: string): string {
  try {
    return titleOf(id);
  } catch {
    return id;
  }
}

/**
 * A progress error in words: a known domain code ("bloqueado por las preguntas de identidad"), or a
 * form's re-ask ("repregunta en «Número de documento» (document_number.digits)"), else the code.
 */
export function errorName(codigo: string): string {
  const known = mesaTexts().errores[codigo];
  if (known) return known;
  const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+):(.+)$/.exec(codigo);
  if (m) {
    try {
      return mt('repregunta', { campo: fieldTexts({ id: m[1]! }, m[2]!).etiqueta, motivo: m[3] });
    } catch {
      return codigo;
    }
  }
  return codigo;
}

/** "Registro ciudadano — Correo": the step after the process, without saying the process twice. */
export function whereText(proceso: string, paso: string | undefined): string {
  if (!paso) return proceso;
  const own = paso.toLocaleLowerCase('es-CO').startsWith(proceso.toLocaleLowerCase('es-CO')) ? paso.slice(proceso.length).replace(/^\s*[—:-]\s*/, '') : paso;
  return own ? `${proceso} — ${own}` : proceso;
}

/** "hace 5 minutos", "hace 2 horas", "hace 3 días". */
export function ago(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return mt('hace-minutos', { n: minutes });
  const hours = Math.round(minutes / 60);
  return hours < 48 ? mt('hace-horas', { n: hours }) : mt('hace-dias', { n: Math.round(hours / 24) });
}

export function personLines(v: VistaPersona, now: Date): string[] {
  const t = mesaTexts();
  const out = [line(t['f-documento']!, `${v.tipo} ${v.numero}`), ...(v.nombre ? [line(t['f-nombre']!, v.nombre)] : [])];
  const c = v.cuenta;
  out.push(
    line(
      t['f-cuenta']!,
      [t.estadosCuenta[c.estado] ?? c.estado, c.creadaEn ? mt('desde', { fecha: formatDateTime(c.creadaEn) }) : undefined, c.activadaEn ? mt('activada', { fecha: formatDateTime(c.activadaEn) }) : undefined, c.correo ? mt('correo', { correo: c.correo }) : undefined]
        .filter(Boolean)
        .join(' · '),
    ),
  );
  if (v.bloqueoIdentidad) out.push(line(t['f-bloqueo-identidad']!, mt('bloqueo-identidad', { hasta: formatDateTime(v.bloqueoIdentidad.hasta), rondas: v.bloqueoIdentidad.rondasFallidas, intentos: v.bloqueoIdentidad.intentosDatos })));
  if (v.bloqueoIngreso) out.push(line(t['f-bloqueo-ingreso']!, mt('bloqueo-ingreso', { hasta: formatDateTime(v.bloqueoIngreso.hasta), fallidos: v.bloqueoIngreso.fallidos })));
  if (v.progreso) {
    const p = v.progreso;
    const donde = p.proceso ? whereText(processTitle(p.proceso), p.paso) : mt('sin-tramite');
    out.push(line(t['f-donde']!, donde));
    if (p.error) out.push(line(t['f-ultimo-error']!, mt('ultimo-error', { codigo: errorName(p.error.codigo), fecha: formatDateTime(p.error.en) })));
    out.push(line(t['f-actividad']!, mt('actividad', { fecha: formatDateTime(p.ultimaActividad), hace: ago(p.ultimaActividad, now), canal: t[`canal-${p.canal}`] ?? p.canal })));
  }
  for (const e of v.enlaces) out.push(line(t['f-enlace']!, mt('enlace', { tipo: t.enlaces[e.tipo] ?? e.tipo, creado: formatDateTime(e.creadoEn), expira: formatDateTime(e.expira) })));
  for (const i of v.invitaciones) out.push(line(t['f-invitacion']!, mt('invitacion', { tipo: t[`invitacion-${i.tipo}`] ?? i.tipo, empresa: i.empresa, fecha: formatDateTime(i.en) })));
  if (v.correos.length) {
    for (const m of v.correos.slice(0, 5)) out.push(line(t['f-correo']!, mt('correo-enviado', { plantilla: t.plantillas[m.plantilla] ?? m.plantilla, destino: m.destino, enviado: m.enviado, fecha: formatDateTime(m.en) })));
  } else out.push(line(t['f-correo']!, mt('sin-correos')));
  if (v.ccfs.length) out.push(line(t['f-cajas']!, v.ccfs.map((c) => c.razonSocial).join(', ')));
  return out;
}

export function personCard(v: VistaPersona, now: Date): { body: CardElement[]; fallback: string } {
  const lines = personLines(v, now);
  return {
    body: [textBlock(mt('persona-titulo'), { weight: 'Bolder', spacing: 'Medium' }), ...lines.map((l, i) => textBlock(l, { spacing: i ? 'None' : 'Small' }))],
    fallback: [`**${mt('persona-titulo')}**`, ...lines.map((l) => `- ${l}`)].join('\n'),
  };
}

export function ccfLines(v: VistaCcf): string[] {
  const t = mesaTexts();
  const out = [line(t['f-caja']!, `${v.sigla ? `${v.sigla} — ` : ''}${v.razonSocial}`), line(t['f-nit']!, formatNit(v.nit, computeDv(v.nit)))];
  out.push(line(t['f-rol-empleador']!, v.rolEmpleador ? mt('rol-empleador', { estado: t[`rol-${v.rolEmpleador.estado}`] ?? v.rolEmpleador.estado, fecha: formatDateTime(v.rolEmpleador.en) }) : mt('rol-sin-registrar')));
  if (v.rl) out.push(line(t['f-rl']!, `${v.rl.nombre} (${v.rl.documento})`));
  if (v.delegado) out.push(line(t['f-delegado']!, `${v.delegado.nombre} (${v.delegado.documento}) — ${v.delegado.estado}`));
  for (const a of v.autorizados) out.push(line(t['f-autorizado']!, `${a.nombre} (${a.documento}) — ${a.estado}, ${mt('desde', { fecha: formatDateTime(a.desde) })}`));
  out.push(line(t['f-rol-ccf']!, v.rolCcf ? mt(v.rolCcf.activo ? 'rol-ccf-activo' : 'rol-ccf-inactivo', { fecha: formatDateTime(v.rolCcf.en) }) : mt('rol-ccf-sin-activar')));
  out.push(line(t['f-servicios']!, String(v.serviciosAsignados)));
  out.push(line(t['f-casos']!, String(v.casosAbiertos)));
  return out;
}

export function ccfCard(v: VistaCcf): { body: CardElement[]; fallback: string } {
  const lines = ccfLines(v);
  return {
    body: [textBlock(mt('ccf-titulo'), { weight: 'Bolder', size: 'Medium' }), ...lines.map((l, i) => textBlock(l, { spacing: i ? 'None' : 'Small' }))],
    fallback: [`**${mt('ccf-titulo')}**`, ...lines.map((l) => `- ${l}`)].join('\n'),
  };
}
