/**
 * `npm start`: brings dist/ up to date when a source is newer (scripts/build.mjs), then runs the
 * compiled assistant in this same process, so a start costs one node process after npm's.
 */
import { buildIfStale } from './build.mjs';

buildIfStale();
await import('../dist/bot/index.js');
