import { describe, expect, it } from 'vitest';
import { asksAboutTheQuestion, asksToChange, changeTarget, courtesyOf, dropsReason, endsHandoff, leavesLogin, parseCaseCommand, parseCommand, namesSelf, saysItDoesNotApply, saysItDoesNotKnow, saysItIsMissing, saysNone } from './commands.js';

describe('parseCommand: hablar con un asesor', () => {
  it.each([
    'hablar con un asesor',
    'Hablar con un asesor',
    'hablar con un asesor.',
    'quiero hablar con una persona',
    'asesor',
    'necesito un asesor',
    'hablar con asesor',
    'quisiera hablar con alguien de la mesa de ayuda',
    'hablar con la mesa de ayuda',
    'un asesor por favor',
    'hablar con un humano',
    'comunicarme con un agente',
    '¿puedo hablar con un asesor?',
    // How people in Colombia ask for one, with and without accents.
    '¿Me comunica con un asesor?',
    'me puede comunicar con un asesor',
    'Páseme con un asesor, por favor',
    'pasame con un asesor',
    'Comuníqueme con un asesor',
    'contactar a un asesor',
    'necesito ayuda de un asesor',
    'quiero que me atienda un asesor',
    '¿me ayuda un asesor?',
    'transferir a un asesor',
    'conectar con un asesor',
    'hablar con soporte técnico',
    'hablar con servicio al cliente',
    'atención humana',
    'chat con un asesor',
    'hablar con un acesor',
    'Quiero hablar con una persona real ya',
    // The request closing a longer message.
    'no entiendo lo de la llave, quiero hablar con un asesor',
    'Llevo una hora intentando registrar la empresa y no me deja. ¿Me comunica con un asesor?',
    'ya probé todo pero necesito un asesor',
    'No sé qué poner aquí, hablar con un asesor.',
  ])('"%s" asks for an agent', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'asesor' });
  });

  it.each(['asesoría contable', 'persona', 'hablar', 'quiero registrar el rol de empleador', 'mesa de ayuda', 'el asesor me dijo que cancelara', 'soporte', 'pasar al siguiente paso', 'comunicarme con mi empresa', 'necesito asesoría contable', 'la persona que me atendió',
    'quiero hablar con un asesor, pero primero termino el registro', 'el asesor, que es muy amable, me ayudó', 'Servicio de consulta para que la persona hable con un asesor de su EPS'])('"%s" does not', (text) => {
    expect(parseCommand(text)?.kind).not.toBe('asesor');
  });
});

describe('endsHandoff: the person ends the conversation with the agent', () => {
  it.each(['terminar conversación', 'Terminar la conversación.', '¡Finalizar!', 'volver al asistente', 'menú', 'salir', 'terminar chat'])('"%s" ends it', (text) => {
    expect(endsHandoff(text)).toBe(true);
  });

  it.each([undefined, '', 'no sé cómo terminar el registro', 'gracias', 'terminar registro', 'cerrar sesión'])('%j does not (it is relayed)', (text) => {
    expect(endsHandoff(text)).toBe(false);
  });
});

describe('parseCaseCommand: the agent attending a case', () => {
  it.each([
    ['cerrar caso', 'cerrar'],
    ['Cerrar el caso.', 'cerrar'],
    ['finalizar caso', 'cerrar'],
    ['menú', 'menu'],
    ['Menú principal', 'menu'],
    ['cancelar', 'menu'],
    ['salir', 'menu'],
    ['inicio', 'menu'],
    ['ayuda', 'ayuda'],
    ['¿Qué hago?', 'ayuda'],
    ['ver caso', 'ver'],
    ['estado', 'ver'],
    ['ver persona', 'ver'],
  ] as const)('"%s" → %s', (text, command) => {
    expect(parseCaseCommand(text)).toBe(command);
  });

  it.each(['Buen día, ¿en qué le ayudo?', 'cerrar la sesión del portal', 'ya le ayudo con el caso'])('"%s" is a message for the person', (text) => {
    expect(parseCaseCommand(text)).toBeUndefined();
  });
});

describe('dropsReason: words that drop an action waiting for its reason', () => {
  it.each(['atrás', 'Cancelar', 'volver.'])('"%s" drops it', (text) => expect(dropsReason(text)).toBe(true));
  it.each(['No recuerda su contraseña', 'atrasado en el pago'])('"%s" is a reason', (text) => expect(dropsReason(text)).toBe(false));
});

describe('parseCommand: a person who does not know what to do asks for help', () => {
  it.each(['¿Qué hago?', 'que hago ahora', 'Qué puedo hacer', '¿cómo funciona esto?', 'estoy perdida', 'no entiendo nada'])('"%s" → ayuda', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'ayuda' });
  });
  it.each(['q puedo hacer aqui', 'Q hago?', 'k puedo hacer aca', 'que puedo hacer aquí por favor'])('"%s", as chats write it → ayuda', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'ayuda' });
  });
  it.each([['en q voy', 'estado'], ['estado porfa', 'estado'], ['menu por favor', 'menu']] as const)('"%s" → %s', (text, kind) => {
    expect(parseCommand(text)).toEqual({ kind });
  });
  it.each(['q', 'aqui', 'por favor', 'que puedo hacer con el rut'])('"%s" is no command', (text) => expect(parseCommand(text)).toBeUndefined());
});

describe('asksToChange: a request to change an answer, not an answer', () => {
  it.each(['quiero cambiar algo', 'hay que corregirlo', 'Necesito MODIFICAR eso'])('"%s" asks so', (text) => expect(asksToChange(text)).toBe(true));
  it.each(['mi celular ahora es 3157778899', 'el correo está mal escrito', 'cambié de dirección'])('"%s" does not', (text) => expect(asksToChange(text)).toBe(false));
});

describe('parseCommand: who is answering', () => {
  it.each(['¿Quién eres?', 'quien es usted', 'con quien hablo', 'Eres un robot?', 'estoy hablando con un robot'])('"%s" → quien', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'quien' });
  });
  it.each(['quien es mi delegado', 'que es una caja'])('"%s" is not', (text) => expect(parseCommand(text)).toBeUndefined());
});

describe('saysItDoesNotKnow: the whole message says the person does not know what to write', () => {
  it.each(['no sé', 'No se', 'nose', 'ni idea', 'no tengo idea', 'no sé qué poner', 'No lo sé.', 'no estoy seguro', 'no me acuerdo', 'no recuerdo bien'])('"%s" says so', (text) => expect(saysItDoesNotKnow(text)).toBe(true));
  it.each(['no sé por qué no puedo ingresar', 'no tengo acceso', 'el servicio consulta afiliados', 'no se ve la tarjeta'])('"%s" does not', (text) => expect(saysItDoesNotKnow(text)).toBe(false));
});

describe('changeTarget: what a request to change names', () => {
  it.each([
    ['quiero cambiar el celular', 'el celular'],
    ['Necesito corregir el correo, por favor', 'el correo'],
    ['cambiar fecha de nacimiento', 'fecha de nacimiento'],
    ['quiero cambiar algo', undefined],
    ['hay que corregir un dato', undefined],
    ['corregirlo', undefined],
    ['el correo está mal escrito', undefined],
  ])('"%s" → %s', (text, target) => expect(changeTarget(text)).toBe(target));
});

describe('saysItIsMissing: the answer is not at hand', () => {
  it.each(['la llave no la tengo', 'No lo tengo.', 'eso no lo sé todavía', 'no tenemos ese dato', 'aún no la encuentro'])('"%s" says so', (text) => expect(saysItIsMissing(text)).toBe(true));
  it.each(['Carrera 13 No. 32-76', 'Tengo la llave', 'notengo', 'no aplica', 'Consulta afiliados'])('"%s" does not', (text) => expect(saysItIsMissing(text)).toBe(false));
});

describe('saysItDoesNotApply: an optional datum there is none of', () => {
  it.each(['no usamos usuario', 'No usamos username.', 'sin scope', 'no se usa', 'no lo necesitamos', 'no aplica', 'no tenemos', 'no la tengo'])('"%s" says so', (text) => expect(saysItDoesNotApply(text)).toBe(true));
  it.each(['svc-ministerio', 'afiliados.consulta afiliados.escritura', 'sin', 'sin segundo nombre todavia', 'nousamos', 'usamos el usuario svc'])('"%s" does not', (text) => expect(saysItDoesNotApply(text)).toBe(false));
});

describe('parseCommand: greetings', () => {
  it.each(['hola', 'Hola', '¡Hola!', 'holi', 'buenas', 'Buenos días', 'buenas tardes', 'Hola, buenas noches.', 'hola que tal', 'hello'])('"%s" is a greeting', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'saludo' });
  });

  it.each(['hola quiero registrarme', 'holanda', 'buenas practicas', 'Hola, necesito ayuda con el registro'])('"%s" is not', (text) => {
    expect(parseCommand(text)?.kind).not.toBe('saludo');
  });
});

describe('asksAboutTheQuestion: a question instead of an answer', () => {
  it.each([
    '¿para qué es esta contraseña?', '¿Qué pongo aquí?', 'que es el client id?', 'no sé qué poner', 'No entiendo la pregunta',
    'para que sirve eso', 'donde encuentro el NIT', 'cual es el dv', 'ni idea de eso', '¿ esto es obligatorio',
    'necesito ayuda con el rol empleador', 'Quiero ayuda', 'ayudeme por favor', 'me puede ayudar con esto',
    'que pasa si no acepto', 'y si no acepto que pasa', 'Qué sucede si lo desactivo', 'y como queda si desactivo',
    'q pasa si no acepto', 'xq me piden esto', 'k significa eso', 'pa q sirve',
  ])('"%s" asks', (text) => expect(asksAboutTheQuestion(text)).toBe(true));

  it.each(['Clave?', 'María José', 'Sede principal', 'Calle 10 # 5-20', 'no tengo', 'no aplica', 'ninguno', 'Token afiliaciones COMFAMA', 'Quebrada Seca', 'Cuál', 'Ayuda Mutua SAS', 'Que Pasa Ltda', 'Q'])(
    '"%s" does not',
    (text) => expect(asksAboutTheQuestion(text)).toBe(false),
  );
});

describe('courtesyOf: a short message that is only courtesy', () => {
  it.each([
    ['gracias', 'gracias'], ['Muchas gracias!', 'gracias'], ['ok gracias', 'gracias'], ['mil gracias por la ayuda', 'gracias'], ['muy amable', 'gracias'],
    ['chao', 'despedida'], ['Gracias, chao', 'despedida'], ['hasta luego', 'despedida'], ['Ok, muchas gracias, que esté bien', 'despedida'],
    ['listo', 'fin'], ['eso es todo', 'fin'], ['nada más', 'fin'],
    ['ok', 'acuse'], ['Vale', 'acuse'], ['perfecto', 'acuse'],
    ['👍', 'acuse'], ['👍🏽', 'acuse'], ['👌👌', 'acuse'], ['🙂', 'acuse'], ['🙏', 'gracias'],
  ])('"%s" is %s', (text, kind) => expect(courtesyOf(text)).toBe(kind));

  it.each(['gracias, ahora quiero ver los servicios', 'chao pescado frito con papas', 'listo el RUT', 'Gracias Restrepo SAS', 'ok 70123456', '', 'x'.repeat(70) + ' gracias', '👍 pero no me llegó el correo', '😡'])(
    '"%s" is not',
    (text) => expect(courtesyOf(text)).toBeUndefined(),
  );
});

describe('leavesLogin: where the login\'s questions send a person without an account or a password', () => {
  it.each([
    ['no tengo usuario', 'registro'], ['No tengo cuenta aún', 'registro'], ['todavía no estoy registrado', 'registro'], ['quiero registrarme', 'registro'],
    ['como hago para crear una cuenta?', 'registro'], ['olvidé mi contraseña', 'recuperar-clave'], ['no recuerdo la clave', 'recuperar-clave'],
  ])('"%s" → %s', (text, where) => expect(leavesLogin(text)).toBe(where));

  it.each(['cc', '70123456', 'cédula de ciudadanía', 'no tengo cédula', 'Registro Civil', 'ayuda'])('"%s" is an answer', (text) => expect(leavesLogin(text)).toBeUndefined());
});

describe('saysNone: none of the options', () => {
  it.each(['ninguna', 'Ninguno de esos', 'no, gracias', 'ninguna, gracias', 'chao', 'eso es todo'])('"%s" says none', (text) => expect(saysNone(text)).toBe(true));
  it.each(['ninguna de las dos es mía, quiero otra', 'la primera', 'ok', 'Ninguna EPS'])('"%s" does not', (text) => expect(saysNone(text)).toBe(false));
});

describe('namesSelf: the person names themself as the answer', () => {
  it.each(['yo', 'Yo misma', 'seré yo', 'soy yo', 'yo mismo seré el delegado', 'la misma representante legal', 'el representante legal', 'a mí', 'mi persona'])(
    '"%s" names oneself',
    (text) => expect(namesSelf(text)).toBe(true),
  );
  it.each(['cc', 'cedula', 'yo no se', 'mis datos', 'el delegado es Juan', 'Yolanda', ''])('"%s" does not', (text) => expect(namesSelf(text)).toBe(false));
});
