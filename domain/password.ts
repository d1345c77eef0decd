/**
 * Citizen passwords: the portal's policy, and the process-wide limit on password checks. The hashes
 * are the PasswordHasher port's (storage/password-hasher.ts); the password itself is never stored.
 */

export type PasswordReason = 'clave.corta' | 'clave.letras_digitos' | 'clave.documento' | 'clave.nombre' | 'clave.comun';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Common passwords and the words people build them from, folded (lower case, no accents, letters
 * and digits only). A password is refused when it is one of these, or one of these words with only
 * digits or symbols around it ("Password123", "colombia2024", "P@ssw0rd!").
 */
const COMMON = new Set(
  `
  password passw0rd passwd contrasena contrasenas micontrasena clave miclave claves claveclave clavesegura
  secreto secreta misecreto seguridad seguro segura privado privada acceso entrar ingresar login
  usuario usuaria admin administrador administradora root master maestro sistema sistemas soporte
  bienvenido bienvenida welcome hola holamundo hello helloworld letmein test prueba pruebas demo temporal
  qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx qwaszx azerty iloveyou teamo teamomucho
  tequiero tequieromucho amor amorcito amormio miamor mivida corazon carino princesa princeso principe
  mariposa estrella angel angelito bebe bebito mama papa mami papi familia hijos mihija mihijo
  dios diosesamor diosteama diosmio jesus jesucristo cristo maria virgen bendicion gracias fe esperanza
  colombia colombiana colombiano bogota medellin cali barranquilla cartagena bucaramanga pereira
  manizales cucuta ibague santamarta villavicencio pasto monteria neiva armenia popayan tunja antioquia
  cundinamarca valle caribe paisa rolo costeno millonarios nacional atleticonacional america
  americadecali junior santafe independiente deportivo deportivocali once tolima medellinfc seleccion
  futbol football soccer baseball basketball voleibol gol campeon campeona ganador ganadora
  superman batman spiderman pokemon pikachu naruto goku dragon dragonball starwars harrypotter
  monkey shadow sunshine princess flower freedom whatever trustno1 michael jordan charlie
  banana chocolate cookie pizza tigre leon perro perrito gato gatito lobo aguila
  minsalud miseguridadsocial seguridadsocial salud pension pensiones eps ips sura sanitas
  compensar comfama comfenalco colsubsidio cafam comfandi colpensiones porvenir proteccion colfondos
  caja cajadecompensacion empresa trabajo oficina computador celular internet correo gmail hotmail
  enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
  lunes martes miercoles jueves viernes sabado domingo verano invierno navidad
  abc abcd abcde abcdef abcdefg abcdefgh abcdefghi abcdefghij abc123 abcd1234 a1b2c3 a1b2c3d4
  123456 1234567 12345678 123456789 1234567890 0123456789 0987654321 987654321 111111 000000 121212
  123123 654321 666666 777777 888888 999999 112233 123321 159753 147258 147258369 741852963
  1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 zaq12wsx 1qaz2wsx qwerty123 qwe123
  asd123 zxc123 aa123456 password1 password123 admin123 root123 pass pass123 passpass
  `.trim().split(/\s+/),
);

const SEQUENCES = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't', '+': 't' };

/** Lower case without accents (ñ → n). */
function plain(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Empty, one repeated character or short unit ("121212"), or a run of a keyboard / alphabet sequence. */
function isTrivial(s: string): boolean {
  if (s.length <= 2) return true;
  for (let unit = 1; unit <= 3 && unit < s.length; unit++) {
    if (s.length % unit === 0 && s.slice(0, unit).repeat(s.length / unit) === s) return true;
  }
  return SEQUENCES.some((seq) => seq.includes(s) || [...seq].reverse().join('').includes(s));
}

function isCommon(password: string): boolean {
  const p = plain(password);
  const compact = p.replace(/[^a-z0-9]/g, '');
  if (COMMON.has(compact)) return true;
  const letters = compact.replace(/[0-9]/g, '');
  const digits = compact.replace(/[a-z]/g, '');
  if (isTrivial(letters) && isTrivial(digits)) return true;
  // The word inside: digits and symbols around it dropped, leetspeak undone.
  const core = p.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const word = [...core].map((c) => LEET[c] ?? c).join('').replace(/[^a-z]/g, '');
  if (COMMON.has(word) || COMMON.has(letters)) return true;
  const half = word.slice(0, word.length / 2);
  return word.length >= 4 && word.length % 2 === 0 && half.repeat(2) === word && (COMMON.has(half) || isTrivial(half));
}

/** The reasons a password is refused for this person; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, person: { numeroDocumento: string; nombres: readonly string[] }): PasswordReason[] {
  const reasons: PasswordReason[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) reasons.push('clave.corta');
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) reasons.push('clave.letras_digitos');

  const compact = plain(password).replace(/[^a-z0-9]/g, '');
  const documento = plain(person.numeroDocumento).replace(/[^a-z0-9]/g, '');
  if (documento.length > 0 && compact.includes(documento)) reasons.push('clave.documento');

  const letters = plain(password).replace(/[^a-z]/g, '');
  const parts = person.nombres.flatMap((n) => plain(n).split(/[^a-z]+/)).filter((part) => part.length >= 3);
  if (parts.some((part) => letters.includes(part))) reasons.push('clave.nombre');

  if (isCommon(password)) reasons.push('clave.comun');
  return reasons;
}

// ---------------------------------------------------------------- verification limit

/**
 * Password checks running at once. They run on libuv's thread pool, four jobs at a time by default,
 * crypto and file I/O alike: with four slow checks at once, every file read or write of every other
 * conversation (state files, the store's journal) waited behind them. Two keep two threads for file I/O.
 */
export const MAX_CONCURRENT_VERIFICATIONS = 2;
/** Checks allowed to wait for a slot; beyond them the answer is "try again in a moment". */
export const MAX_QUEUED_VERIFICATIONS = 32;

/** The value a limiter returns when its queue is full: nothing was run. */
export const BUSY = Symbol('busy');

export interface Limiter {
  /** Runs `task` when a slot is free (in order of arrival), or returns BUSY at once when too many wait. */
  run<T>(task: () => Promise<T>): Promise<T | typeof BUSY>;
  readonly active: number;
  readonly queued: number;
}

/** A semaphore of `max` slots with a bounded queue. */
export function createLimiter(max: number, maxQueued: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    async run<T>(task: () => Promise<T>): Promise<T | typeof BUSY> {
      if (active < max) active++;
      else if (waiting.length >= maxQueued) return BUSY;
      else await new Promise<void>((go) => waiting.push(go)); // the slot is handed over by release()
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** The process-wide limit on password checks: a flood of logins cannot take every CPU. */
export const verificationLimiter: Limiter = createLimiter(MAX_CONCURRENT_VERIFICATIONS, MAX_QUEUED_VERIFICATIONS);
