/** Validation of the activities a Direct Line client posts (JSON or the "activity" part of an upload). */
import { z } from 'zod';
import { badRequest, isRecord } from './http.js';

const Account = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).loose();
const AttachmentIn = z
  .object({
    contentType: z.string().max(255),
    contentUrl: z.string().max(4096).optional(),
    content: z.unknown().optional(),
    name: z.string().max(512).optional(),
    thumbnailUrl: z.string().max(4096).optional(),
  })
  .loose();
const ClientActivity = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  from: Account.optional(),
  attachments: z.array(AttachmentIn).max(20).optional(),
  attachmentLayout: z.enum(['list', 'carousel']).optional(),
  channelData: z.object({ clientActivityID: z.string().min(1).max(256).optional() }).loose().optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(32).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  valueType: z.string().max(256).optional(),
  replyToId: z.string().max(512).optional(),
});

/** An activity as a client may post it (everything else is set by the server). */
export type ClientActivity = z.infer<typeof ClientActivity>;

/**
 * The fields of a client activity that are passed on (the server sets ids, accounts, channel and
 * time; of `channelData` only `clientActivityID` is kept, see inbound.ts).
 */
export const CLIENT_FIELDS = [
  'type',
  'text',
  'textFormat',
  'locale',
  'localTimestamp',
  'localTimezone',
  'attachmentLayout',
  'entities',
  'name',
  'value',
  'valueType',
  'replyToId',
] as const;

/** Validates a posted activity: 400 when malformed (its size was bounded on the bytes read, see body.ts). */
export function parseClientActivity(value: unknown): ClientActivity {
  if (!isRecord(value)) throw badRequest('The body must be an activity (a JSON object).');
  const parsed = ClientActivity.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw badRequest(`The activity is not valid${first ? ` (${first.path.join('.') || 'body'}: ${first.message})` : ''}.`);
  }
  return parsed.data;
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'archivo';
}
