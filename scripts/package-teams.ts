/**
 * `npm run package:teams`: the Microsoft Teams app package (manifest + icons, zipped) for the bot
 * registered in Azure Bot Service. Needs MicrosoftAppId and an https PUBLIC_BASE_URL.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsPackageOptions {
  readonly botId: string;
  readonly appId?: string;
  readonly publicBaseUrl: string;
  readonly version: string;
  readonly outFile: string;
}

/** Fills the manifest template; throws with a clear message on a setting that Teams would refuse. */
export function teamsManifest(opts: Omit<TeamsPackageOptions, 'outFile'>): Record<string, unknown> {
  if (!GUID.test(opts.botId)) throw new Error('MicrosoftAppId must be the bot\'s Azure app id (a GUID).');
  const appId = opts.appId ?? opts.botId;
  if (!GUID.test(appId)) throw new Error('TEAMS_APP_ID must be a GUID.');
  const url = new URL(opts.publicBaseUrl);
  if (url.protocol !== 'https:') throw new Error('PUBLIC_BASE_URL must be an https address for Teams.');
  if (!/^\d+\.\d+\.\d+$/.test(opts.version)) throw new Error('the version must look like 1.2.3');
  const values: Record<string, string> = {
    version: opts.version,
    appId,
    botId: opts.botId,
    baseUrl: url.origin,
    domain: url.host,
  };
  const text = readFileSync(join(ROOT, 'manifest.template.json'), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`manifest template: unknown placeholder ${k}`);
    return v;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

export async function buildTeamsPackage(opts: TeamsPackageOptions): Promise<string> {
  const manifest = teamsManifest(opts);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  zip.addFile('color.png', readFileSync(join(ROOT, 'color.png')));
  zip.addFile('outline.png', readFileSync(join(ROOT, 'outline.png')));
  await mkdir(dirname(opts.outFile), { recursive: true });
  zip.writeZip(opts.outFile);
  return opts.outFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pkg = JSON.parse(readFileSync(join(ROOT, '..', 'package.json'), 'utf8')) as { version: string };
  try {
    const out = await buildTeamsPackage({
      botId: process.env['MicrosoftAppId'] ?? '',
      appId: process.env['TEAMS_APP_ID'] || undefined,
      publicBaseUrl: process.env['PUBLIC_BASE_URL'] ?? '',
      version: pkg.version,
      outFile: join(ROOT, 'build', 'asistente-ccf-teams.zip'),
    });
    console.log(`Teams app package written: ${out}`);
  } catch (error) {
    console.error(`Cannot build the Teams package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
