/**
 * Values derived from the database, memoized until the next commit to it.
 *
 * A balance is a pure function of the ledger and the date asked, and a token
 * check of the token and user tables: until something is written, asking
 * again gives the same answer. The hot read paths keep such answers here,
 * under the database's version, and compute them again once it has changed.
 *
 * The version sees every write:
 * - by this process: `total_changes()` of every connection the process has
 *   open (openDatabase registers them), which grows with every row written,
 *   committed or not; and while any of them is inside a transaction, nothing
 *   is cached or served from the cache (uncommitted rows are visible to it
 *   and could still be rolled back);
 * - by another process (the `isu` command, a second server): SQLite's
 *   `PRAGMA data_version`, which changes when another connection commits.
 *   Reading it starts a read transaction, whose file locks cost more than
 *   the cached answer itself under load (about 20 µs against a few), so a
 *   reading is reused for FOREIGN_COMMIT_LAG_MS: a commit by another process
 *   is seen by every read that starts that long after it (a script that
 *   runs `isu …` and then asks the server cannot be quicker than that).
 *
 * Errors are not cached.
 */
import type Database from 'better-sqlite3';

/** At most this many answers per cache; a full cache starts again empty (the working set is small: States × dates asked). */
export const MAX_ENTRIES = 10_000;

interface Probe {
  dataVersion: Database.Statement;
  totalChanges: Database.Statement;
}

const probes = new WeakMap<Database.Database, Probe>();

function probeOf(sqlite: Database.Database): Probe {
  let probe = probes.get(sqlite);
  if (!probe) {
    probe = { dataVersion: sqlite.prepare('PRAGMA data_version').pluck(), totalChanges: sqlite.prepare('SELECT total_changes()').pluck() };
    probes.set(sqlite, probe);
  }
  return probe;
}

/** The connections of this process (openDatabase registers them); `epoch` changes whenever the set does. */
const connections = new Set<Database.Database>();
let epoch = 0;

export function registerConnection(sqlite: Database.Database): void {
  if (connections.has(sqlite)) return;
  connections.add(sqlite);
  epoch++;
}

export function unregisterConnection(sqlite: Database.Database): void {
  if (connections.delete(sqlite)) epoch++;
}

/** Rows written by the connections of this process, or null while one of them is inside a transaction. */
function processChanges(): number | null {
  let total = 0;
  for (const c of connections) {
    if (!c.open) {
      unregisterConnection(c);
      continue;
    }
    if (c.inTransaction) return null;
    total += probeOf(c).totalChanges.get() as number;
  }
  return total;
}

/** How long a reading of data_version is reused (see above). */
export const FOREIGN_COMMIT_LAG_MS = 1;

const dataVersionRead = new WeakMap<Database.Database, { value: number; atMs: number }>();

function dataVersion(sqlite: Database.Database): number {
  const now = performance.now();
  const last = dataVersionRead.get(sqlite);
  if (last !== undefined && now - last.atMs < FOREIGN_COMMIT_LAG_MS) return last.value;
  const value = probeOf(sqlite).dataVersion.get() as number;
  dataVersionRead.set(sqlite, { value, atMs: now });
  return value;
}

/** The database's version as seen by this connection, or null while a transaction is open in this process. */
export function databaseVersion(sqlite: Database.Database): string | null {
  registerConnection(sqlite);
  const changes = processChanges();
  if (changes === null) return null;
  return `${epoch}:${changes}:${dataVersion(sqlite)}`;
}

export class CommitCache<V> {
  private version: string | null = null;
  private entries = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The answer for `key` on the database as it is now: from the cache, or from `compute` (then kept). */
  get(key: string, compute: () => V): V {
    const version = databaseVersion(this.sqlite);
    if (version === null) return compute();
    if (version === this.version) {
      const cached = this.entries.get(key);
      if (cached !== undefined) {
        this.hits++;
        return cached;
      }
    } else {
      this.version = version;
      this.entries = new Map();
    }
    this.misses++;
    // Kept under the version read before computing: if compute() itself wrote, the next get sees a newer version and drops it.
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries = new Map();
    this.entries.set(key, value);
    return value;
  }
}

const caches = new WeakMap<Database.Database, Map<string, CommitCache<unknown>>>();

/** The connection's cache called `name` (one per use: 'balance', 'token', …). */
export function commitCache<V>(sqlite: Database.Database, name: string): CommitCache<V> {
  let byName = caches.get(sqlite);
  if (!byName) caches.set(sqlite, (byName = new Map()));
  let cache = byName.get(name);
  if (!cache) byName.set(name, (cache = new CommitCache<unknown>(sqlite)));
  return cache as CommitCache<V>;
}
