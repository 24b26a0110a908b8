/** Who performs an action: an authenticated user over HTTP, or the operator at the command line. */
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

export function cliActor(command: string): Actor {
  const username = process.env.ISU_OPERATOR || process.env.USER || 'cli';
  return { userId: null, username: `cli:${username}`, role: 'system', stateIso3: null, requestId: null, action: `cli: ${command}` };
}
