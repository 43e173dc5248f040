// Preloaded with `node -r`: counts pg queries by statement shape, written to $QUERY_COUNT_FILE at exit.
const { createRequire } = require('node:module');
const pg = createRequire(require('node:path').join(process.cwd(), 'package.json'))('pg');
const counts = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text === 'string') {
    const key = text.replace(/\s+/g, ' ').replace(/\(\$\d+[^)]*\)(, \(\$\d+[^)]*\))+/g, '(…rows)').slice(0, 110);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return original.call(this, config, ...rest);
};
const dump = () => require('node:fs').writeFileSync(process.env.QUERY_COUNT_FILE, JSON.stringify(Object.fromEntries(counts), null, 1));
process.on('exit', dump);
process.on('SIGUSR2', dump);
