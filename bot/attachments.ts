/**
 * Reads a file a person attached: an upload to the built-in Direct Line endpoint (read in process,
 * by id, never over HTTP), or a file handed over by Teams / Azure Bot Service (fetched with the
 * outbound guard, bot/outbound.ts, from the hosts below only).
 *
 * Every refusal and every failure is the same `attachment.download`, whatever the cause (a URL
 * that is not allowed, a name that resolves to a private address, a closed port, a timeout, a
 * 404…), so that the chat cannot be used to probe the network. Only a file that was actually
 * received and is too big says so (`rut.muy_grande`). The real reason goes to the log.
 */
import type { Attachment } from 'botbuilder';
import type { AttachmentDownloader } from '../dialogs/incoming.js';
import type { Logger } from '../domain/ports.js';
import { safeFetch, type SafeFetchOptions } from './outbound.js';

const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';

/**
 * Where Teams and the Bot Framework channels put the files people attach:
 * - `*.sharepoint.com`: the downloadUrl of a Teams file (OneDrive / SharePoint of the tenant,
 *   including `<tenant>-my.sharepoint.com`);
 * - `graph.microsoft.com`: Graph download links;
 * - `*.botframework.com`: attachments of the Azure Web Chat / Direct Line channels;
 * - `smba.trafficmanager.net`: the Teams connector's attachment API;
 * - `*.teams.microsoft.com`: Teams services.
 * Sovereign clouds (sharepoint.us, sharepoint.cn, botframework.azure.us) are not included: add
 * them here when the assistant is deployed there.
 */
export const ATTACHMENT_HOSTS: readonly string[] = Object.freeze([
  '*.sharepoint.com',
  'graph.microsoft.com',
  '*.botframework.com',
  'smba.trafficmanager.net',
  '*.teams.microsoft.com',
]);

/** Redirects followed for a channel file (each hop checked again, allow-list included). */
const MAX_REDIRECTS = 2;

/** The files uploaded to the built-in Direct Line endpoint (bot/directline, DirectLineEndpoint). */
export interface LocalAttachments {
  /** The URL prefix of its uploads, e.g. http://127.0.0.1:3978/v3/directline/attachments/. */
  attachmentUrlPrefix(): string;
  getAttachment(id: string): { readonly bytes: Uint8Array; readonly name: string } | undefined;
}

export interface AttachmentDownloaderOptions {
  /** The built-in endpoint's uploads; without it, its URLs are refused like any other http URL. */
  readonly local?: LocalAttachments;
  readonly timeoutMs?: number;
  readonly log?: Logger;
  /** Hosts fetched over https (ATTACHMENT_HOSTS by default). */
  readonly allowHosts?: readonly string[];
  /** Tests only: resolver, address policy, trusted CA, ports (see SafeFetchOptions). */
  readonly fetch?: Pick<SafeFetchOptions, 'resolver' | 'addressAllowed' | 'ca' | 'allowPorts'>;
}

const DOWNLOAD_FAILED = { ok: false, error: { code: 'attachment.download' } } as const;
const TOO_BIG = { ok: false, error: { code: 'rut.muy_grande' } } as const;
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function createAttachmentDownloader(options: AttachmentDownloaderOptions = {}): AttachmentDownloader {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const refused = (reason: string) => {
    options.log?.info('attachment not downloaded', { reason });
    return DOWNLOAD_FAILED;
  };

  return async (attachment: Attachment, maxBytes: number) => {
    const url =
      attachment.contentType === TEAMS_FILE
        ? (attachment.content as { downloadUrl?: unknown } | undefined)?.downloadUrl
        : attachment.contentUrl;
    const name = (attachment.name ?? 'archivo').slice(0, 120);
    if (typeof url !== 'string' || url === '') return refused('no-url');

    // An upload to the built-in endpoint: read in process by its (unguessable) id.
    const prefix = options.local?.attachmentUrlPrefix();
    if (options.local && prefix && url.startsWith(prefix)) {
      const id = url.slice(prefix.length);
      const file = UPLOAD_ID.test(id) ? options.local.getAttachment(id) : undefined;
      if (!file) return refused('local-unknown');
      if (file.bytes.byteLength > maxBytes) return TOO_BIG;
      return { ok: true, value: { bytes: file.bytes, name } };
    }

    const result = await safeFetch(url, {
      maxBytes,
      timeoutMs,
      maxRedirects: MAX_REDIRECTS,
      allowHosts: options.allowHosts ?? ATTACHMENT_HOSTS,
      ...options.fetch,
    });
    if (result.ok) return { ok: true, value: { bytes: result.bytes, name } };
    if (result.reason === 'too-large') return TOO_BIG;
    return refused(result.reason);
  };
}
