/** A person going through Registro ciudadano and the activation page over HTTP, as in the local chat. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import type { ReferencePerson } from '../../domain/reference.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { DirectLineClient } from './directline-client.js';
import { rightAnswer } from './identity.js';
import { basicDataCard } from './people.js';

export async function readOutbox(dataDir: string): Promise<ParsedMail[]> {
  let files: string[] = [];
  try {
    files = (await readdir(join(dataDir, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return Promise.all(files.map(async (f) => simpleParser(await readFile(join(dataDir, 'outbox', f)))));
}

export const recipients = (m: ParsedMail): string => (m.to && 'text' in m.to ? m.to.text : '');

/** A new chat conversation, past the welcome. */
export async function newChat(baseUrl: string): Promise<DirectLineClient> {
  const dl = new DirectLineClient(baseUrl);
  await dl.start();
  await dl.waitFor('Soy el Asistente CCF');
  return dl;
}

/** Registers `p` in the chat, then activates the account from the link in the outbox. */
export async function registerAndActivate(baseUrl: string, dataDir: string, p: ReferencePerson, email: string, password: string): Promise<void> {
  const dl = await newChat(baseUrl);
  await dl.converse([['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']]);
  await dl.submit(basicDataCard(p));
  await dl.waitFor('revise sus datos');
  await dl.send('confirmar');
  await dl.waitFor('pregunta 1 de 4');
  for (let i = 2; i <= 5; i++) {
    await dl.send(String(rightAnswer(p, defaultReferenceRegistry(), dl.lastButtons())));
    await dl.waitFor(i <= 4 ? `pregunta ${i} de 4` : 'identidad quedo confirmada');
  }
  await dl.converse([
    [email, 'escriba de nuevo'],
    [email, 'celular'],
    ['3001234567', 'revise sus datos'],
    ['confirmar', 'pendiente de activacion'],
  ]);
  const mail = (await readOutbox(dataDir)).filter((m) => recipients(m).includes(email) && /activar\?token=/.test(m.text ?? '')).at(-1);
  const link = /\/cuenta\/activar\?token=[\w%-]+/.exec(mail?.text ?? '')?.[0];
  expect(link, `activation link for ${email}`).toBeDefined();
  const token = new URL(`http://x${link}`).searchParams.get('token')!;
  const res = await fetch(`${baseUrl}/cuenta/activar`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, clave: password, confirmacion: password }).toString(),
  });
  expect(res.status).toBe(200);
}

/** Logs `p` in through the chat's masked card; returns the folded replies. */
export async function loginChat(dl: DirectLineClient, p: ReferencePerson, password: string, expected = 'ingreso correctamente'): Promise<string> {
  await dl.converse([['Ingresar', 'tipo de documento']]);
  await dl.submit({ __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: password });
  return dl.waitFor(expected);
}
