import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('has embedded defaults for local use', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.PORT).toBe(3978);
      expect(r.config.DATA_DIR).toBe('./.data');
      expect(r.config.publicBaseUrl).toBe('http://localhost:3978');
      expect(r.config.MicrosoftAppId).toBeUndefined();
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL'],
    [{ SECRETS_KEY: 'short-secret-value' }, 'SECRETS_KEY'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ MicrosoftAppType: 'Other' }, 'MicrosoftAppType'],
    [{ MicrosoftAppId: 'abc' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
  ])('%j is refused naming %s, without echoing the value', (env, setting) => {
    const r = loadConfig(env as Record<string, string>);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(setting);
      expect(r.message).not.toContain('short-secret-value');
    }
  });

  describe('DATABASE_URL and DIRECTLINE_LOCAL (PostgreSQL, several instances)', () => {
    it('are unset / on by default: the JSON store and the built-in Direct Line endpoint', () => {
      const r = loadConfig({ DATABASE_URL: '  ' });
      expect(r.ok && r.config.DATABASE_URL).toBeUndefined();
      expect(r.ok && r.config.DIRECTLINE_LOCAL).toBe(true);
    });

    it.each(['postgres://asistente:s3cret-pw@db.example.org:5432/asistente', 'postgresql://localhost/asistente?sslmode=require'])(
      'accepts %s',
      (url) => {
        const r = loadConfig({ DATABASE_URL: url });
        expect(r.ok && r.config.DATABASE_URL).toBe(url);
      },
    );

    it.each(['mysql://u:s3cret-pw@db/x', 'asistente', 'postgres://u:s3cret-pw@db/x with spaces'])(
      'refuses %s naming DATABASE_URL, never echoing the value (it may carry a password)',
      (url) => {
        const r = loadConfig({ DATABASE_URL: url });
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.message).toContain('DATABASE_URL');
          expect(r.message).not.toContain('s3cret-pw');
        }
      },
    );

    it('DIRECTLINE_LOCAL=false turns the built-in endpoint off; anything but true/false is refused', () => {
      const off = loadConfig({ DIRECTLINE_LOCAL: 'false' });
      expect(off.ok && off.config.DIRECTLINE_LOCAL).toBe(false);
      const bad = loadConfig({ DIRECTLINE_LOCAL: 'no' });
      expect(!bad.ok && bad.message).toContain('DIRECTLINE_LOCAL');
    });
  });

  it('accepts hex and base64 keys and trims the public URL', () => {
    const hex = 'a'.repeat(64);
    const r = loadConfig({ SECRETS_KEY: hex, PUBLIC_BASE_URL: 'https://ccf.example.org/' });
    expect(r.ok && r.config.publicBaseUrl).toBe('https://ccf.example.org');
    expect(loadConfig({ SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }).ok).toBe(true);
  });

  it('HOST: this machine only when anonymous, every interface with MicrosoftAppId, an explicit HOST wins', () => {
    const host = (env: Record<string, string>) => {
      const r = loadConfig(env);
      return r.ok ? r.config.HOST : r.message;
    };
    expect(host({})).toBe('127.0.0.1');
    expect(host({ HOST: '' })).toBe('127.0.0.1');
    expect(host({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' })).toBe('0.0.0.0');
    expect(host({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
    expect(host({ HOST: '::1', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' })).toBe('::1');
  });

  const production = {
    NODE_ENV: 'production',
    SECRETS_KEY: 'b'.repeat(64),
    MicrosoftAppId: 'app-id',
    MicrosoftAppPassword: 'app-password-value',
    SMTP_URL: 'smtps://user:smtp-password-value@smtp.example.org:465',
  };

  it('NODE_ENV=production starts with a real key, a Bot Framework identity and SMTP', () => {
    expect(loadConfig(production).ok).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).ok).toBe(true);
  });

  it.each(['SECRETS_KEY', 'MicrosoftAppId', 'SMTP_URL'] as const)('NODE_ENV=production without %s is refused naming it, never a value', (setting) => {
    const r = loadConfig({ ...production, [setting]: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(`${setting}:`);
      expect(r.message).toContain('NODE_ENV=production');
      for (const secret of ['b'.repeat(64), 'app-password-value', 'smtp-password-value', 'app-id']) expect(r.message).not.toContain(secret);
    }
  });

  it('NODE_ENV=production with every default names all three settings at once', () => {
    const r = loadConfig({ NODE_ENV: 'production' });
    expect(r.ok).toBe(false);
    if (!r.ok) for (const setting of ['SECRETS_KEY', 'MicrosoftAppId', 'SMTP_URL']) expect(r.message).toContain(setting);
  });

  describe('SECRETS_KEY_PREVIOUS (key rotation)', () => {
    const current = 'c'.repeat(64);
    const oldHex = randomBytes(32);
    const olderB64 = randomBytes(32);

    it('is empty when not set, or set to blanks', () => {
      for (const env of [{}, { SECRETS_KEY_PREVIOUS: '' }, { SECRETS_KEY_PREVIOUS: ' , ' }]) {
        const r = loadConfig(env);
        expect(r.ok && r.config.SECRETS_KEY_PREVIOUS).toEqual([]);
      }
    });

    it('reads one or several keys (hex or base64, in order), ignoring spaces and empty pieces', () => {
      const r = loadConfig({ SECRETS_KEY: current, SECRETS_KEY_PREVIOUS: ` ${oldHex.toString('hex')} ,${olderB64.toString('base64')},` });
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.config.SECRETS_KEY_PREVIOUS).toHaveLength(2);
        expect(r.config.SECRETS_KEY_PREVIOUS[0]!.equals(oldHex)).toBe(true);
        expect(r.config.SECRETS_KEY_PREVIOUS[1]!.equals(olderB64)).toBe(true);
      }
    });

    it.each([
      ['not a key', `${oldHex.toString('hex')},not-a-key-value`, 'key 2 of 2'],
      ['a short hex key', oldHex.toString('hex').slice(0, 62), 'key 1 of 1'],
      ['a 16-byte key', randomBytes(16).toString('base64'), 'key 1 of 1'],
    ])('refuses %s, naming the setting and which key, never printing a key', (_kind, value, which) => {
      const r = loadConfig({ SECRETS_KEY: current, SECRETS_KEY_PREVIOUS: value });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toContain('SECRETS_KEY_PREVIOUS:');
        expect(r.message).toContain(which);
        for (const piece of value.split(',')) expect(r.message).not.toContain(piece);
        expect(r.message).not.toContain(current);
      }
    });

    it('refuses the current key among the previous ones (SECRETS_KEY was not changed to the new key)', () => {
      const r = loadConfig({ SECRETS_KEY: current, SECRETS_KEY_PREVIOUS: `${oldHex.toString('hex')},${Buffer.from(current, 'hex').toString('base64')}` });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(/SECRETS_KEY_PREVIOUS: key 2 is SECRETS_KEY itself/);
        expect(r.message).not.toContain(current);
        expect(r.message).not.toContain(oldHex.toString('hex'));
      }
    });

    it('npm start with a bad previous key exits non-zero naming SECRETS_KEY_PREVIOUS, never the value', () => {
      const bad = 'zz'.repeat(32);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
        env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', SECRETS_KEY: current, SECRETS_KEY_PREVIOUS: `${oldHex.toString('hex')},${bad}` },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('SECRETS_KEY_PREVIOUS');
      for (const secret of [bad, oldHex.toString('hex'), current]) {
        expect(run.stderr).not.toContain(secret);
        expect(run.stdout).not.toContain(secret);
      }
    });
  });

  it('npm start with a bad setting exits non-zero with one clear message', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      env: { ...process.env, PORT: 'not-a-port', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('.env.example');
  });

  it('npm start with NODE_ENV=production and the development defaults exits non-zero naming the settings', () => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent' };
    for (const name of ['SECRETS_KEY', 'MicrosoftAppId', 'MicrosoftAppPassword', 'SMTP_URL', 'HOST']) delete env[name];
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bot/index.ts'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    for (const setting of ['SECRETS_KEY', 'MicrosoftAppId', 'SMTP_URL']) expect(run.stderr).toContain(setting);
    expect(run.stdout).not.toContain('assistant listening');
  });
});
