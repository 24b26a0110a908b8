/**
 * Before any test: compile the program to dist/ once (npm run build), so the
 * tests that run the compiled `isu` (bin/isu.mjs, as `npm start` does) never
 * build it concurrently with each other.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
}
