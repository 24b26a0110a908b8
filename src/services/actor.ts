/** The actor of a command-line action; the types live in the domain (the ledger and audit repositories record them). */
import os from 'node:os';
import type { Actor } from '../domain/actor.js';

export { ROLES, scopeOf, type Actor, type Role, type Scope } from '../domain/actor.js';

/** The operating-system account running the command (not an environment variable anyone can set), or null when the system cannot say. */
function osUser(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
}

/**
 * The actor of an `isu` command. Its audit name is `cli:` and the
 * operating-system user (os.userInfo(), not $USER); ISU_OPERATOR, a name the
 * operator gives (e.g. when several people share one system account), comes
 * first with the system user beside it: `cli:alice (os: isu)` (issue 16,
 * finding 12). ISU_OPERATOR is a free declaration; the OS user is the fact.
 */
export function cliActor(command: string): Actor {
  const system = osUser() ?? 'unknown';
  // A free variable: its control characters (a forged line in a log) are dropped, and it is kept short.
  const operator = process.env.ISU_OPERATOR?.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 64);
  const username = operator && operator !== system ? `${operator} (os: ${system})` : system;
  return { userId: null, username: `cli:${username}`, role: 'system', stateIso3: null, requestId: null, action: `cli: ${command}` };
}
