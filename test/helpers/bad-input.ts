/** What a user might send at any prompt that is not an answer: each must get a Spanish re-ask of the same question. */
import type { Input } from './transcript.js';

/** [kind, input]: the kind names the test. The attachment's `test:` URL is not in dialog-deps' testFiles. */
export const BAD_INPUTS: readonly [string, Input][] = [
  ['empty', ''],
  ['10 kB of text', 'a'.repeat(10_240)],
  ['emoji', '🙂🚀🇨🇴'],
  ['SQL', "1'; DROP TABLE citizens; --"],
  ['HTML', '<img src=x onerror=alert(1)>'],
  ['a card submit with wrong types', { value: { __form: 'otro', campo: { a: [1, 2] }, n: 42 } }],
  ['an attachment only', { type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'test:nada.png', name: 'x.png' }] }],
];
