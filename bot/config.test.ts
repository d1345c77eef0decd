import { spawnSync } from 'node:child_process';
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

  it('accepts hex and base64 keys and trims the public URL', () => {
    const hex = 'a'.repeat(64);
    const r = loadConfig({ SECRETS_KEY: hex, PUBLIC_BASE_URL: 'https://ccf.example.org/' });
    expect(r.ok && r.config.publicBaseUrl).toBe('https://ccf.example.org');
    expect(loadConfig({ SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }).ok).toBe(true);
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
});
