/** `npm run rotar-clave` as a child process, for the key-rotation tests (files and PostgreSQL). */
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import type { SecretBox } from '../../domain/ports.js';
import type { ServicioCompartido } from '../../domain/servicios-web.js';

export interface RotationRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Settings of the test runner's own environment that must not leak into the command. */
const INHERITED = ['SECRETS_KEY', 'SECRETS_KEY_PREVIOUS', 'DATA_DIR', 'PORT', 'HOST', 'NODE_ENV', 'MicrosoftAppId', 'DATABASE_URL'];

/** Runs the real command line asynchronously (a test server in this process must keep answering) with only `env` set. */
export function runRotation(args: string[], env: Record<string, string>): Promise<RotationRun> {
  const base = { ...process.env };
  for (const name of INHERITED) delete base[name];
  return new Promise((done, fail) => {
    const child = spawn('npx', ['tsx', 'scripts/rotate-secrets.ts', ...args], {
      env: { ...base, PORT: '0', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** What a rotation printed holds none of `secrets` nor any of `keys` (hex or base64). */
export function expectNoSecretIn(text: string, secrets: readonly string[], keys: readonly Buffer[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const key of keys) {
    expect(text).not.toContain(key.toString('hex'));
    expect(text).not.toContain(key.toString('base64'));
  }
}

/** A complete shared service `nit:nombre` whose OAuth password and Client Secret are sealed with `box`. */
export function sealedService(id: string, password: string, clientSecret: string, box: SecretBox): ServicioCompartido {
  const [nit = '', nombre = ''] = id.split(':');
  return {
    id, nit, nombre, creadoEn: '2026-01-10T10:00:00.000Z', actualizadoEn: '2026-01-11T10:00:00.000Z', por: 'ciudadano-1',
    credenciales: {
      nombreToken: 'token', tokenUrl: 'https://auth.example.org/token', username: 'usuario',
      passwordSellada: box.seal(password), clientId: 'cid-1', clientSecretSellado: box.seal(clientSecret), scope: 'read',
      guardadoEn: '2026-01-11T10:00:00.000Z',
    },
  };
}
