import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, teamsManifest } from './package-teams.js';

const BOT = '6d1f0c1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f';

function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('Teams app package', () => {
  it('zips a manifest for the bot (personal scope, files allowed) with both icons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teams-'));
    try {
      const out = await buildTeamsPackage({ botId: BOT, publicBaseUrl: 'https://asistente.example.gov.co', version: '0.1.0', outFile: join(dir, 'app.zip') });
      const zip = new AdmZip(out);
      expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(zip.readAsText('manifest.json')) as Record<string, any>;
      expect(manifest['manifestVersion']).toBe('1.17');
      expect(manifest['id']).toBe(BOT);
      expect(manifest['bots'][0]).toMatchObject({ botId: BOT, scopes: ['personal'], supportsFiles: true });
      expect(manifest['validDomains']).toEqual(['asistente.example.gov.co']);
      expect(manifest['developer']['privacyUrl']).toMatch(/^https:\/\//);
      expect(manifest['name']['short'].length).toBeLessThanOrEqual(30);
      expect(manifest['description']['short'].length).toBeLessThanOrEqual(80);
      expect(pngSize(zip.readFile('color.png')!)).toEqual([192, 192]);
      expect(pngSize(zip.readFile('outline.png')!)).toEqual([32, 32]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ botId: 'not-a-guid', publicBaseUrl: 'https://a.example' }, 'MicrosoftAppId'],
    [{ botId: BOT, publicBaseUrl: 'http://localhost:3978' }, 'https'],
    [{ botId: BOT, appId: 'x', publicBaseUrl: 'https://a.example' }, 'TEAMS_APP_ID'],
  ])('refuses %j with a clear message', (opts, word) => {
    expect(() => teamsManifest({ version: '1.0.0', ...opts })).toThrow(word);
  });
});
