import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';
import { messages } from '../templates/render.js';
import { clearWinner, pickAfterSearch, searchFunctionalities } from './search.js';
import { editDistance, fold, maskDocument, maskEmail } from './text.js';

const catalog = [
  { id: 'registro', title: 'Registro ciudadano', keywords: ['registrarme', 'crear cuenta'] },
  { id: 'autorizados', title: 'Administrar autorizados', keywords: ['autorizar persona', 'revocar'] },
  { id: 'compartir', title: 'Compartir Servicios Entidad', keywords: ['oauth', 'credenciales'] },
  { id: 'clave', title: 'Asignar contraseña', keywords: ['cambiar contraseña'] },
];

describe('functionality search tolerates accents, case and small typos', () => {
  it.each([
    ['registro', 'registro'], ['REGISTRARME', 'registro'], ['quiero crear una cuenta', 'registro'],
    ['autorisados', 'autorizados'], ['Administrar Autorizados', 'autorizados'], ['compartir servisios', 'compartir'],
    ['credenciales OAuth', 'compartir'], ['contrasena', 'clave'], ['CONTRASEÑA', 'clave'], ['contraseña nueva', 'clave'],
  ])('%j → %s', (query, id) => {
    expect(searchFunctionalities(query, catalog)[0]?.item.id).toBe(id);
  });
  it.each(['', 'zzzz qqqq', 'de la el', '😀'])('%j finds nothing', (query) => {
    expect(searchFunctionalities(query, catalog)).toEqual([]);
  });
  it('limits and orders the hits', () => {
    const hits = searchFunctionalities('registro autorizados', catalog, 2, 0.3);
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]?.score ?? 0);
  });
});

describe('between equal scores, the functionality whose title holds the words comes first', () => {
  it('"servicios", in a description-like keyword of one and the title of another', () => {
    const items = [
      { id: 'estado', title: 'En qué voy', keywords: ['servicios web del ministerio'] },
      { id: 'modulo', title: 'Administración de Servicios Web', keywords: [] },
    ];
    const hits = searchFunctionalities('quiero ver los servicios', items);
    expect(hits.map((h) => h.score)).toEqual([1, 1]);
    expect(hits.map((h) => h.item.id)).toEqual(['modulo', 'estado']);
  });
});

describe('a functionality named clearly starts at once; otherwise the hits are offered', () => {
  it.each([
    ['registrarme', 'registro'],
    ['Administrar autorizados', 'autorizados'],
    ['autorisados', undefined], // a typo: offered, not started
    ['contraseña', undefined], // two functionalities mention it
    ['zzzz', undefined],
  ])('%j → %s', (query, id) => {
    const withTie = [...catalog, { id: 'otra-clave', title: 'Recuperar contraseña', keywords: [] }];
    expect(clearWinner(searchFunctionalities(query, withTie))?.id).toBe(id);
  });
});

/** The real functionalities, read as dialogs/catalog.ts reads them. */
const functionalities = messages<{ id: string; titulo: string; boton: string; palabras: string[] }[]>('funcionalidades').map((f) => ({
  id: f.id,
  title: f.titulo,
  keywords: [f.boton, ...f.palabras],
}));
const top = (query: string) => searchFunctionalities(query, functionalities)[0]?.item.id;

describe('natural sentences of people of a CCF find the right functionality first', () => {
  it.each([
    // the chain as a whole: "¿En qué voy?" says what is done and who must act next (the Ministry activates the CCF role)
    ['quiero que mi caja pueda usar los servicios web del ministerio', 'estado'],
    ['mi caja no aparece activa', 'estado'],
    ['que me falta para activar la caja', 'estado'],
    ['en que va el tramite', 'estado'],
    ['quien es el delegado', 'estado'],
    ['quién sigue?', 'estado'],
    // registro, ingresar, clave
    ['quiero crear mi usuario', 'registro'],
    ['no tengo cuenta en mi seguridad social', 'registro'],
    ['como me registro', 'registro'],
    ['quiero entrar con mi cedula', 'ingresar'],
    ['iniciar sesion', 'ingresar'],
    ['olvide la clave', 'recuperar-clave'],
    ['Olvidé mi contraseña', 'recuperar-clave'],
    ['no recuerdo mi contrasena', 'recuperar-clave'],
    ['se me olvido la clave de ingreso', 'recuperar-clave'],
    ['no me llego el correo de activacion', 'recuperar-clave'],
    // employer role and its data
    ['soy el representante legal y quiero registrar la caja', 'rol-empleador'],
    ['registrar la caja como empleador', 'rol-empleador'],
    ['como designo al delegado', 'rol-empleador'],
    ['me piden adjuntar el rut', 'rol-empleador'],
    ['cambiar la direccion de la sede', 'actualizar-datos'],
    ['cambiar el delegado', 'actualizar-datos'],
    ['actualizar el telefono de la sede principal', 'actualizar-datos'],
    ['quiero actuar como empleador', 'elegir-rol'],
    // autorizados
    ['cómo autorizo a una persona', 'autorizados'],
    ['como autoriso a una persona', 'autorizados'],
    ['dar permiso a un funcionario para administrar los servicios web', 'autorizados'],
    ['quitar la autorizacion a un empleado', 'autorizados'],
    ['agregar un autorizado nuevo', 'autorizados'],
    // step 5: web services
    ['aceptar los terminos de uso', 'terminos'],
    ['politica de tratamiento de datos', 'terminos'],
    ['que servicios web me asignaron', 'servicios-web'],
    ['servicios web', 'servicios-web'],
    ['quiero ver la documentacion swagger', 'swagger'],
    ['documentasion de la api', 'swagger'],
    ['ver los parametros del servicio', 'swagger'],
    ['necesito el client id', 'info-servicio'],
    ['en que estado esta el servicio', 'info-servicio'],
    ['donde pongo el client secret', 'compartir'],
    ['registrar la url de nuestro servicio', 'compartir'],
    ['subir el certificado de la llave publica', 'compartir'],
    ['cambiar la clave de los servicios', 'asignar-clave'],
    ['asignar contraseña a los servicios web', 'asignar-clave'],
    // back office, helpdesk
    ['revisar los rut pendientes', 'revision-rut'],
    ['desbloquear un documento', 'mesa-consulta'],
    ['cual es el telefono de la mesa de ayuda', 'ayuda'],
    ['necesito hablar con un asesor', 'ayuda'],
    // one's own personal data (habeas data), not the company's
    ['quiero cambiar mi correo', 'mis-datos'],
    ['mi correo esta mal', 'mis-datos'],
    ['corregir mi nombre', 'mis-datos'],
    ['cambiar el correo de la sede', 'actualizar-datos'],
  ])('%j → %s', (query, id) => {
    expect(top(query)).toBe(id);
  });

  it.each(['quiero pedir una cita medica', 'cuanto cuesta el subsidio de vivienda', 'hola buenos dias', 'el clima en medellin', 'asdf qwer'])(
    '%j finds nothing',
    (query) => {
      expect(searchFunctionalities(query, functionalities)).toEqual([]);
    },
  );

  it.each([
    ['quiero que mi caja pueda usar los servicios web del ministerio', 'estado'],
    ['olvide la clave', 'recuperar-clave'],
    ['necesito el client id', 'info-servicio'],
    ['cómo autorizo a una persona', undefined], // "autorizo" is a form of "autorizar": offered, not started
    ['clave', undefined], // several functionalities are about a password
    // "Cambiar contraseña" is the person's own as often as the Caja's: both offered, neither started.
    ['cambiar contraseña', undefined],
    ['cambiar mi clave', undefined],
    ['cambiar la contraseña de la caja', 'asignar-clave'],
    // the delegate or the person authorized, invited by e-mail, registers
    ['me llego una invitacion para registrarme', 'registro'],
    ['me invitaron a registrarme', 'registro'],
    ['me llegó un correo para registrarme', 'registro'],
    ['hola, me llego un correo para registrarme como delegada', 'registro'],
    ['registrarme como persona autorizada', 'registro'],
  ])('%j starts %s at once', (query, id) => {
    expect(clearWinner(searchFunctionalities(query, functionalities))?.id).toBe(id);
  });
});

describe('after the results: "comenzar", a number or a word of a title', () => {
  const ids = ['autorizados', 'compartir', 'asignar-clave'];
  const titles = ['Administrar autorizados', 'Compartir Servicios Entidad', 'Asignar contraseña'];
  it.each([
    ['comenzar', ['autorizados'], { kind: 'start', id: 'autorizados' }],
    ['Comenzar', ids, { kind: 'ask', ids }],
    ['comensar', ['compartir'], { kind: 'start', id: 'compartir' }],
    ['sí', ['compartir'], { kind: 'start', id: 'compartir' }],
    ['2', ids, { kind: 'start', id: 'compartir' }],
    ['la 3', ids, { kind: 'start', id: 'asignar-clave' }],
    ['comenzar 1', ids, { kind: 'start', id: 'autorizados' }],
    ['autorizados', ids, { kind: 'start', id: 'autorizados' }],
    ['comenzar compartir', ids, { kind: 'start', id: 'compartir' }],
    ['la de la contraseña', ids, { kind: 'start', id: 'asignar-clave' }],
    ['Compartir Servicios Entidad', ids, { kind: 'start', id: 'compartir' }],
    ['9', ids, { kind: 'ask', ids }],
    ['registrar empresa', ids, undefined], // a new request: searched anew
    ['comenzar', [], undefined],
    ['', ids, undefined],
  ] as const)('%j after %j → %j', (text, found, expected) => {
    const shown = found.map((id) => titles[ids.indexOf(id)]!);
    expect(pickAfterSearch(text, found, shown)).toEqual(expected);
  });

  it('a word that fits several titles asks which of those', () => {
    const both = ['Compartir Servicios Entidad', 'Catálogo de servicios web'];
    expect(pickAfterSearch('servicios', ['compartir', 'servicios-web'], both)).toEqual({ kind: 'ask', ids: ['compartir', 'servicios-web'] });
  });
});

describe('global commands', () => {
  it.each([
    ['ayuda', 'ayuda'], ['AYUDA', 'ayuda'], ['Más información', 'ayuda'], ['cancelar', 'cancelar'], ['menú', 'menu'],
    ['Menu', 'menu'], ['atrás', 'atras'], ['volver', 'atras'], ['estado', 'estado'], ['¿En qué voy?', 'estado'],
    ['salir', 'salir'], ['¿Qué está buscando?', 'buscar'], ['corregir', 'corregir'],
  ])('%j → %s', (text, kind) => {
    expect(parseCommand(text)?.kind).toBe(kind);
  });
  it('corregir carries the field name', () => {
    expect(parseCommand('Corregir fecha de nacimiento')).toEqual({ kind: 'corregir', field: 'fecha de nacimiento' });
  });
  it.each(['necesito ayuda con mi empresa por favor', 'ayudame a cancelar la cuenta', 'menu del dia', '', 'x'.repeat(100)])(
    '%j is not a command (a sentence that mentions one is not one)',
    (t) => {
      expect(parseCommand(t)).toBeUndefined();
    },
  );
});

describe('text helpers', () => {
  it.each([['Árbol  Ñandú', 'arbol nandu'], ['  ¿Qué   tal?  ', 'que tal'], ['860.007.336-1', '860.007.336-1']])('fold %j', (a, b) => {
    expect(fold(a)).toBe(b);
  });
  it.each([['servicios', 'servisios', 1], ['ab', 'ba', 1], ['kitten', 'sitting', 3], ['', 'abc', 3]])('distance %s %s', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
  it('masks', () => {
    expect(maskEmail('juana.perez@correo.com')).toBe('j***@correo.com');
    expect(maskDocument('52123456')).toBe('*****456');
    expect(maskDocument('12')).toBe('***');
  });
});
