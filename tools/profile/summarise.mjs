// node tools/profile/summarise.mjs FILE.cpuprofile [N] [FROM_US TO_US]: self time by function (and by package), top N,
// of the samples between two monotonic-clock instants (µs, as process.hrtime) when given.
import { readFileSync } from 'node:fs';
const [file, top = '30', from = '0', to = 'Infinity'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map();
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const deltas = profile.timeDeltas;
let at = profile.startTime;
let total = 0;
profile.samples.forEach((id, i) => {
  at += deltas[i] ?? 0;
  if (at < Number(from) || at > Number(to)) return;
  total += deltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
});
const byFunction = new Map();
const byPackage = new Map();
for (const [id, time] of self) {
  const { functionName, url, lineNumber } = byNode.get(id).callFrame;
  const short = url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\//, '');
  const key = `${functionName || '(anon)'} ${short}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  const pkg = !url ? functionName : url.includes('node_modules/') ? url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : url.includes('/dist/') ? 'ours:' + url.replace(/.*\/dist\//, '').split('/').slice(0, 3).join('/') : url;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
}
const print = (title, map, n) => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${(time / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
};
print('self time by function', byFunction, Number(top));
print('self time by package', byPackage, 20);
