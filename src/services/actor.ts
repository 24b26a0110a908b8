/** The actor of a command-line action; the types live in the domain (the ledger and audit repositories record them). */
import type { Actor } from '../domain/actor.js';

export { ROLES, scopeOf, type Actor, type Role, type Scope } from '../domain/actor.js';

export function cliActor(command: string): Actor {
  const username = process.env.ISU_OPERATOR || process.env.USER || 'cli';
  return { userId: null, username: `cli:${username}`, role: 'system', stateIso3: null, requestId: null, action: `cli: ${command}` };
}
