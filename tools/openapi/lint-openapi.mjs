// `npm run lint:openapi`: writes the gateway's OpenAPI document (dist/openapi.json, from the built code) and
// lints it with Redocly's recommended rules (redocly.yaml). Any error or warning fails the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const document = join(root, 'dist', 'openapi.json');
const redocly = join(root, 'node_modules', '.bin', 'redocly');
execFileSync(process.execPath, [join(root, 'dist', 'tools', 'openapi', 'write-openapi.js'), document], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
const lint = spawnSync(redocly, ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', document], { cwd: root, encoding: 'utf8' });
const { totals } = JSON.parse(lint.stdout);
if (totals.errors + totals.warnings > 0) {
  spawnSync(redocly, ['lint', '--config', join(root, 'redocly.yaml'), document], { cwd: root, stdio: 'inherit' });
  console.error(`OpenAPI lint: ${totals.errors} error(s), ${totals.warnings} warning(s)`);
  process.exit(1);
}
console.log('OpenAPI lint: no problems (Redocly recommended rules)');
