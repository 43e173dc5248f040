import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeProblems } from './compose-check';

/** `npm run check:compose`: docker-compose.yml against the Compose schema (no engine needed), and `docker compose config` where Docker exists. */
const file = join(__dirname, '..', '..', '..', 'docker-compose.yml');
const problems = composeProblems(readFileSync(file, 'utf8'));
for (const problem of problems) console.error(`docker-compose.yml: ${problem}`);
if (problems.length > 0) process.exit(1);

let engine = false;
try {
  execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
  engine = true;
} catch {
  // No Docker here: the schema check above is the check.
}
if (engine) {
  const env = { ...process.env, POSTGRES_PASSWORD: process.env.POSTGRES_PASSWORD ?? 'check', KEY_ENCRYPTION_SECRET: process.env.KEY_ENCRYPTION_SECRET ?? 'check' };
  execFileSync('docker', ['compose', '-f', file, 'config', '--quiet'], { stdio: 'inherit', env });
}
console.log(`docker-compose.yml: valid against the Compose specification${engine ? ' and docker compose config' : ''}`);
