/** Configuration from the environment, validated once at start (zod). */
import { z } from 'zod';
import { parseSecretsKey } from '../storage/secret-box.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const splitKeys = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');

export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** Default: 127.0.0.1 when anonymous (no MicrosoftAppId: local use only), 0.0.0.0 otherwise. */
    HOST: optionalText,
    DATA_DIR: z.string().trim().min(1).default('./.data'),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    SMTP_URL: optionalText.pipe(
      z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
    ),
    MAIL_FROM: z.string().trim().min(3).default('Asistente CCF <no-responder@asistente-ccf.local>'),
    PUBLIC_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    SECRETS_KEY: optionalText.pipe(
      z.string().regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex characters or base64').optional(),
    ),
    /** Keys used before SECRETS_KEY, comma-separated: values they sealed still open until `npm run rotar-clave` re-seals them. */
    SECRETS_KEY_PREVIOUS: optionalText
      .superRefine((raw, ctx) => {
        const pieces = splitKeys(raw);
        pieces.forEach((piece, i) => {
          if (!parseSecretsKey(piece)) {
            ctx.addIssue({ code: 'custom', message: `key ${i + 1} of ${pieces.length} must be 32 bytes as 64 hex characters or base64` });
          }
        });
      })
      .transform((raw): readonly Buffer[] => splitKeys(raw).map((piece) => parseSecretsKey(piece)!)),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    STAFF_ADMINS: optionalText,
    STAFF_MESA_AYUDA: optionalText,
    /** Anonymous local use with the Bot Framework Emulator or Agents Playground: replies may go to their loopback port. */
    LOCAL_CONNECTORS: z.enum(['true', 'false', '']).default('false').transform((v) => v === 'true'),
    /**
     * Ports besides 443 that the URLs of shared services and their token services may use (comma-separated),
     * e.g. an entity's gateway on 8443. The addresses must still be public.
     */
    SERVICIOS_PUERTOS: optionalText
      .refine((raw) => raw === undefined || raw.split(',').every((p) => p.trim() === '' || /^\d{1,5}$/.test(p.trim()) && Number(p) >= 1 && Number(p) <= 65535), {
        message: 'must be a comma-separated list of ports (1-65535)',
      })
      .transform((raw): readonly number[] => (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean).map(Number)),
    NODE_ENV: optionalText,
    /**
     * PostgreSQL for the domain store and the conversation state (several instances on one database);
     * without it, the embedded JSON store in DATA_DIR. Never logged: it may carry a password.
     */
    DATABASE_URL: optionalText.pipe(
      z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must start with postgres:// or postgresql://').optional(),
    ),
    /**
     * Whether this instance serves the built-in Direct Line endpoint and its Web Chat page (/chat). Its
     * conversations live in this process's memory: with DATABASE_URL and several instances, exactly one
     * instance serves it (the others set DIRECTLINE_LOCAL=false); a second one refuses to start.
     */
    DIRECTLINE_LOCAL: z.enum(['true', 'false', '']).default('true').transform((v) => v !== 'false'),
  })
  .superRefine((c, ctx) => {
    const current = c.SECRETS_KEY ? parseSecretsKey(c.SECRETS_KEY) : undefined;
    // zod runs this check even when a field failed: then the previous keys are still the raw text.
    const previousKeys: unknown = c.SECRETS_KEY_PREVIOUS;
    const sameAsCurrent = Array.isArray(previousKeys) && current ? previousKeys.findIndex((k: Buffer) => k.equals(current)) : -1;
    if (sameAsCurrent >= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_KEY_PREVIOUS'],
        message: `key ${sameAsCurrent + 1} is SECRETS_KEY itself (SECRETS_KEY must be the new key)`,
      });
    }
    if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (c.MicrosoftAppType === 'SingleTenant' && c.MicrosoftAppId && !c.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required with MicrosoftAppType=SingleTenant' });
    }
    if (c.NODE_ENV === 'production') {
      // The embedded defaults are for local use only: production must choose each of them.
      const required: ReadonlyArray<readonly [keyof typeof c, string]> = [
        ['SECRETS_KEY', 'is required with NODE_ENV=production (the generated development key is not for production)'],
        ['MicrosoftAppId', 'is required with NODE_ENV=production (without it /api/messages accepts anonymous requests)'],
        ['SMTP_URL', 'is required with NODE_ENV=production (without it e-mails are only written to the outbox folder)'],
      ];
      for (const [setting, message] of required) {
        if (!c[setting]) ctx.addIssue({ code: 'custom', path: [setting], message });
      }
    }
  })
  .transform((c) => ({ ...c, HOST: c.HOST ?? (c.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1') }));

export type Config = z.output<typeof ConfigSchema> & { publicBaseUrl: string };

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Parses the environment; on failure, one message naming each bad setting (never its value). */
export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(configuration)'}: ${i.message}`);
    return { ok: false, message: `Invalid configuration:\n${lines.join('\n')}` };
  }
  const c = parsed.data;
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return { ok: true, config: { ...c, publicBaseUrl } };
}
