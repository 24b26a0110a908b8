#!/usr/bin/env node
// The `isu` command: runs the compiled CLI (dist/, built by `npm run build`, which `npm install` runs).
try {
  await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('isu: the compiled program is missing; run `npm run build` (or `npm install`) first\n');
    process.exit(2);
  }
  throw err;
}
