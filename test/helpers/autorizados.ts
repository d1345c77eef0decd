/** Seeds for the "Administrar autorizados" tests: COMFAMA's employer role, registered in the chat by José naming María as delegate. */
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { loginChat, newChat } from './chat-people.js';

export const MARIA_EMAIL = 'maria.pena@comfama.com.co';

/** José (already registered and active) logs in and registers COMFAMA's employer role naming María as delegate. */
export async function registerComfamaWithMaria(baseUrl: string, password: string): Promise<void> {
  const jose = EXAMPLE_PERSONS.rlComfama;
  const maria = EXAMPLE_PERSONS.delegateComfama;
  const rl = await newChat(baseUrl);
  await loginChat(rl, jose, password);
  await rl.converse([
    ['Registrar rol empleador persona jurídica', 'nit de la empresa'],
    ['890.900.841-9', 'razon social'],
    ['CAJA DE COMPENSACION FAMILIAR DE ANTIOQUIA COMFAMA', 'naturaleza'],
    ['2', 'revise sus datos'],
    ['confirmar', 'delegado'],
  ]);
  await rl.submit({
    __form: 'empleador-delegado', tipoDocumento: maria.tipoDocumento, numeroDocumento: maria.numeroDocumento, primerNombre: maria.primerNombre,
    segundoNombre: maria.segundoNombre ?? '', primerApellido: maria.primerApellido, segundoApellido: maria.segundoApellido ?? '', email: MARIA_EMAIL,
  });
  await rl.waitFor('revise sus datos');
  await rl.converse([
    ['confirmar', 'nombre de la sede'],
    ['Sede principal', 'departamento'],
    ['Antioquia', 'municipio'],
    ['Medellín', 'direccion'],
    ['Carrera 50 No. 52-10', 'telefono'],
    ['6044445566', 'correo corporativo'],
    ['notificaciones@comfama.com.co', 'revise sus datos'],
    ['confirmar', 'revise el registro completo'],
    ['confirmar', 'quedo registrado'],
  ]);
}

export const ANDRES_EMAIL = 'andres.zapata@comfama.com.co';

/**
 * María (COMFAMA's delegate, registered and active) logs in, acts as COMFAMA's employer and, in
 * "Administrar autorizados", authorizes Andrés (CAJA DE SUBSIDIO FAMILIAR, servicios web externos).
 * Andrés need not be registered: he is then invited by e-mail.
 */
export async function authorizeAndresByMaria(baseUrl: string, password: string): Promise<void> {
  const maria = EXAMPLE_PERSONS.delegateComfama;
  const andres = EXAMPLE_PERSONS.authorizedComfama;
  const delegate = await newChat(baseUrl);
  await loginChat(delegate, maria, password, 'en que rol desea actuar');
  await delegate.converse([
    ['empleador', 'ahora actua como empleador persona juridica'],
    ['Administrar autorizados', 'que desea hacer en'],
    ['Nuevo', 'tipo de documento de la persona'],
  ]);
  await delegate.submit({
    __form: 'autorizado-nuevo', tipoDocumento: andres.tipoDocumento, numeroDocumento: andres.numeroDocumento, primerNombre: andres.primerNombre,
    segundoNombre: andres.segundoNombre ?? '', primerApellido: andres.primerApellido, segundoApellido: andres.segundoApellido ?? '', email: ANDRES_EMAIL,
  });
  await delegate.waitFor('en que sede operara');
  await delegate.converse([
    ['Sede principal', 'revise la autorizacion'],
    ['confirmar', 'que desea hacer en'],
  ]);
}
