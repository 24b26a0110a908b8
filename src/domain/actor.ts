/** Who performs an action (an authenticated user over HTTP, or the operator at the command line) and what they may see. Pure types. */
export const ROLES = ['admin', 'finance', 'presidency', 'auditor', 'state'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: number | null;
  username: string;
  role: Role | 'system';
  stateIso3: string | null;
  requestId: string | null;
  /** "POST /api/v1/budgets", "cli: seed-demo", … */
  action: string;
}

/** What an actor may see: a State user only its own State (by ISO3); everyone else all (null). */
export type Scope = string | null;
export function scopeOf(actor: Actor): Scope {
  return actor.role === 'state' ? (actor.stateIso3 ?? '---') : null;
}
