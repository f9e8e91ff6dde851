import { writeFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';

/** An htpasswd file as distribution's `auth: htpasswd:` reads it (bcrypt only); cost 4 keeps tests fast. */
export function writeHtpasswd(path: string, users: Record<string, string>): void {
  const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}
