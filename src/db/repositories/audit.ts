/** The audit log: who did what, when, to which entity. Append-only (triggers). */
import type { Actor } from '../../domain/actor.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../client.js';

/** One audit row, with a statement prepared once per connection; `details` stored as JSON (none: NULL). */
export function writeAudit(tx: DbOrTx, actor: Actor, entityType: string, entityId: string, details: unknown = null): void {
  cachedStatement(
    connectionOf(tx),
    'INSERT INTO audit_log (at, user_id, username, role, request_id, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    new Date().toISOString(),
    actor.userId,
    actor.username,
    actor.role,
    actor.requestId,
    actor.action,
    entityType,
    entityId,
    details === null || details === undefined ? null : JSON.stringify(details),
  );
}
