import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/memory-store.js';
import { fakeClock } from './random.js';
import { ACTIVIDAD_MINUTOS, progressOf, recordProgress } from './progreso.js';

const ID = 'CC:70123456';

function world() {
  const store = createMemoryStore();
  const clock = fakeClock('2026-12-01T15:00:00.000Z');
  return { store, clock, deps: { store, clock } };
}

describe('recordProgress: where a person is, never what they typed', () => {
  it('keeps the process and step of the last turn in one, the last error with its time, the last activity', async () => {
    const w = world();
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Número de documento', error: 'registro-datos-basicos.numeroDocumento:document_number.digits' }, 'webchat');
    const t1 = w.clock.now().toISOString();
    expect(await progressOf(w.deps, ID)).toEqual({
      id: ID,
      proceso: 'registro',
      paso: 'Número de documento',
      error: { codigo: 'registro-datos-basicos.numeroDocumento:document_number.digits', en: t1 },
      ultimaActividad: t1,
      canal: 'webchat',
    });
    // Back at the menu after a block: still seen at that step, with the new error.
    w.clock.advance(60_000);
    await recordProgress(w.deps, ID, { error: 'REGISTRO.BLOQUEADO' }, 'webchat');
    const t2 = w.clock.now().toISOString();
    expect(await progressOf(w.deps, ID)).toMatchObject({ proceso: 'registro', paso: 'Número de documento', error: { codigo: 'REGISTRO.BLOQUEADO', en: t2 }, ultimaActividad: t2 });
    // A turn without an error keeps the last one.
    w.clock.advance(5 * 60_000);
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Preguntas de identidad' }, 'msteams');
    expect(await progressOf(w.deps, ID)).toMatchObject({ paso: 'Preguntas de identidad', error: { codigo: 'REGISTRO.BLOQUEADO', en: t2 }, canal: 'msteams' });
  });

  it.each([
    ['a sentence', 'mi cedula es 70123456'],
    ['an e-mail', 'jose@example.com'],
    ['markup', '<script>x</script>'],
    ['too long', 'X'.repeat(121)],
    ['a document number', '1036612345'],
    ['a name', 'jose'],
    ['a password', 'Clave-Mesa-2026'],
    ['a dotted password', 'Tulipan.Rojo-2026'],
    ['a date', '14/03/1968'],
    ['a phone', '3001234567'],
    ['a NIT', '890.900.841-9'],
  ])('an error that is not a plain code (%s) is not kept', async (_name, error) => {
    const w = world();
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Correo', error }, 'webchat');
    const p = await progressOf(w.deps, ID);
    expect(p?.error).toBeUndefined();
    expect(JSON.stringify(p)).not.toContain(error);
  });

  it.each(['REGISTRO.BLOQUEADO', 'REGISTRO.DATOS_NO_COINCIDEN', 'registro-datos-basicos.numeroDocumento:document_number.digits', 'ingreso:empty', 'compartir-servicio.url:out-of-range'])(
    'a reason code (%s) is kept',
    async (code) => {
      const w = world();
      await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Correo', error: code }, 'webchat');
      expect((await progressOf(w.deps, ID))?.error?.codigo).toBe(code);
    },
  );

  it('activity alone is written at most once a minute (a turn that changes nothing else)', async () => {
    const w = world();
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Correo' }, 'webchat');
    const first = (await progressOf(w.deps, ID))!.ultimaActividad;
    w.clock.advance(20_000);
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Correo' }, 'webchat');
    expect((await progressOf(w.deps, ID))!.ultimaActividad).toBe(first);
    w.clock.advance(ACTIVIDAD_MINUTOS * 60_000);
    await recordProgress(w.deps, ID, { proceso: 'registro', paso: 'Correo' }, 'webchat');
    expect((await progressOf(w.deps, ID))!.ultimaActividad).toBe(w.clock.now().toISOString());
  });
});
