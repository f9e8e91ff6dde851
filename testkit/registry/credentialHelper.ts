import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `docker-credential-<name>` into `binDir`: a real program speaking Docker's
 * credential-helpers protocol (get/store/erase/list on stdin/stdout), keeping logins in a JSON
 * file, as the OS keychain helpers do in theirs. Put binDir on PATH to use it.
 */
export function writeCredentialHelper(binDir: string, name: string, storeFile: string): string {
  mkdirSync(binDir, { recursive: true });
  const path = join(binDir, `docker-credential-${name}`);
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const file = ${JSON.stringify(storeFile)};
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const db = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const save = () => fs.writeFileSync(file, JSON.stringify(db));
  const missing = () => { process.stdout.write('credentials not found in native keychain'); process.exit(1); };
  const key = input.trim();
  switch (process.argv[2]) {
    case 'store': { const e = JSON.parse(input); db[e.ServerURL] = { Username: e.Username, Secret: e.Secret }; save(); break; }
    case 'get': { if (!db[key]) missing(); process.stdout.write(JSON.stringify({ ServerURL: key, ...db[key] })); break; }
    case 'erase': { if (!db[key]) missing(); delete db[key]; save(); break; }
    case 'list': { process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(db).map(([k, v]) => [k, v.Username])))); break; }
    default: process.exit(2);
  }
});
`,
  );
  chmodSync(path, 0o755);
  return path;
}
