/**
 * Documents are readable by their owner only (SPEC 9.8): folders 0700, files
 * 0600, whatever the process's umask.
 */
import fs from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the folder (and its missing parents) owner-only; an existing folder
 * of ours that others may read is tightened to owner-only, which also closes
 * the files already in it to them.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0 && (process.getuid === undefined || st.uid === process.getuid())) fs.chmodSync(dir, st.mode & 0o700);
}
