// Runs before `npm start` and `npm test` (prestart/pretest), so a fresh clone needs one command.
// Plain Node with no dependencies: node_modules may not exist yet. Installs with `npm ci` when
// node_modules is missing or package-lock.json changed since the last install this script saw;
// otherwise it returns at once.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = join(root, 'package-lock.json');
const modules = join(root, 'node_modules');
const stamp = join(modules, '.moodrx-lock-hash');

const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const installedHash = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;

if (existsSync(modules) && installedHash === lockHash) process.exit(0);

// node_modules installed before this script existed (no stamp): npm's own record of the last
// install, newer than the lockfile, is enough; reinstalling would cost a minute for nothing.
const npmRecord = join(modules, '.package-lock.json');
if (
  existsSync(modules) &&
  installedHash === undefined &&
  existsSync(npmRecord) &&
  statSync(npmRecord).mtimeMs >= statSync(lockFile).mtimeMs
) {
  writeFileSync(stamp, `${lockHash}\n`);
  process.exit(0);
}

// node_modules linked to another checkout's (a git worktree sharing one install): npm ci would
// empty the LINKED folder, the other checkout's install, before reinstalling (it did once). Never
// reinstall through a link: say so, and go on with the shared install.
if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
  console.warn(
    `node_modules links to ${realpathSync(modules)}, installed from another package-lock.json: not reinstalling through the link. ` +
      'If a module is missing, run npm ci in the checkout it links to, or replace the link with a folder of its own.',
  );
  process.exit(0);
}

console.log(
  existsSync(modules)
    ? 'package-lock.json changed since the last install: running npm ci...'
    : 'node_modules is missing: running npm ci (first run only)...',
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  console.error(`Could not run npm ci: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${lockHash}\n`);
