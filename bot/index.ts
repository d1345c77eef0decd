/** Entry point: `npm start`. Validates configuration, starts the app, shuts down gracefully on SIGTERM/SIGINT. */
import { loadConfig } from './config.js';

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\nSee .env.example for every setting.\n`);
  process.exit(1);
}

// Loaded after the configuration is known to be good, so a bad setting fails fast and alone.
const { createApp } = await import('./app.js');
// The server listens before the app has finished loading: a signal meanwhile stops it once it has.
const starting = createApp(loaded.config);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const app = await starting;
  app.log.info('shutting down', { signal });
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    app.log.error('shutdown failed', { err: String(error) });
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
const app = await starting;
process.on('unhandledRejection', (reason) => app.log.error('unhandled rejection', { err: String(reason) }));
