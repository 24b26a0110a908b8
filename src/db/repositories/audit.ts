/** The audit log: who did what, when, to which entity. Append-only (triggers). */
import type { Actor } from '../../domain/actor.js';
import type { DbOrTx } from '../client.js';
import { auditLog } from '../schema.js';

export function writeAudit(tx: DbOrTx, actor: Actor, entityType: string, entityId: string, details: unknown = null): void {
  tx.insert(auditLog)
    .values({
      at: new Date().toISOString(),
      userId: actor.userId,
      username: actor.username,
      role: actor.role,
      requestId: actor.requestId,
      action: actor.action,
      entityType,
      entityId,
      details: details as never,
    })
    .run();
}
