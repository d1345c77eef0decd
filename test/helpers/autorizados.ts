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
