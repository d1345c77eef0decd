/**
 * Two costs botbuilder-dialogs (pinned at 4.23.3 in package.json) pays for every DialogContext,
 * several of them a turn, for nothing the assistant keeps:
 *
 * - Its DialogStateManager registers a new DialogsComponentRegistration each time it is built: a
 *   service collection with its dependency graph and factories, only to replace the one registered
 *   by the DialogContext before (the configuration built from it is kept for the turn, and across
 *   turns by bot/assistant.ts). One shared registration is handed out instead: what it builds on
 *   request (the memory scopes, the path resolvers) is built anew each time, as before.
 * - Each DialogContext sets "turn.activity", which parses that path three times (the value, the
 *   change tracking, its tracker path) one character at a time. A path without brackets is a pure
 *   function of its text, so its segments are kept (bounded) and a copy handed out; a path with
 *   brackets may read nested values and is always parsed.
 *
 * Together about 2 % of a turn's event-loop time and 7 % of what it allocates, measured.
 * `leanDialogs()` checks that the library still has what it patches, and throws if not.
 */
import { createRequire } from 'node:module';

type Segments = (string | number)[];
interface StateManagerPrototype {
  parsePath(this: unknown, path: string, allowNestedPaths?: boolean): Segments;
}

const require = createRequire(import.meta.url);

/** How many bracket-free paths keep their segments (the dialogs use a few dozen). */
export const PARSED_PATHS_MAX = 1_000;

let applied = false;

/** Applies both (once per process; later calls do nothing). */
export function leanDialogs(): void {
  if (applied) return;
  const registrationModule = require('botbuilder-dialogs/lib/dialogsComponentRegistration') as { DialogsComponentRegistration?: new () => object };
  const managerModule = require('botbuilder-dialogs/lib/memory/dialogStateManager') as { DialogStateManager?: { prototype: StateManagerPrototype } };
  const Registration = registrationModule.DialogsComponentRegistration;
  const proto = managerModule.DialogStateManager?.prototype;
  if (typeof Registration !== 'function' || typeof proto?.parsePath !== 'function') {
    throw new Error('botbuilder-dialogs no longer has DialogsComponentRegistration or DialogStateManager.parsePath where expected: bot/lean-dialogs.ts needs a look');
  }

  const shared = new Registration();
  // `new` on a function that returns an object yields that object: the registry still finds it
  // under its class's name (ComponentRegistration.add keys by constructor name).
  function SharedRegistration(): object {
    return shared;
  }
  SharedRegistration.prototype = Registration.prototype;
  registrationModule.DialogsComponentRegistration = SharedRegistration as unknown as new () => object;

  const parse = proto.parsePath;
  const parsed = new Map<string, Segments>();
  proto.parsePath = function parsePath(path: string, allowNestedPaths = true): Segments {
    if (typeof path !== 'string' || path.includes('[')) return parse.call(this, path, allowNestedPaths);
    let segments = parsed.get(path);
    if (!segments) {
      segments = parse.call(this, path, allowNestedPaths);
      if (parsed.size >= PARSED_PATHS_MAX) parsed.clear();
      parsed.set(path, segments);
    }
    return segments.slice();
  };
  applied = true;
}
