// Every relative link in the repository's Markdown (README.md, CONTRIBUTING.md, SECURITY.md, docs/*.md)
// must name an existing file and, with #anchor, one of its headings (GitHub's slugs). Exit 1 otherwise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const files = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

const withoutCode = (text) => text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchorsOf = (file) => {
  const counts = new Map();
  return new Set(
    [...withoutCode(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map(([, heading]) => {
      const base = slug(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
      const seen = counts.get(base) ?? 0;
      counts.set(base, seen + 1);
      return seen ? `${base}-${seen}` : base;
    }),
  );
};

const problems = [];
let checked = 0;
for (const file of files) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  for (const [, target] of withoutCode(readFileSync(path, 'utf8')).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    checked++;
    const [pathPart, anchor] = target.split('#');
    const destination = pathPart ? resolve(dirname(path), decodeURIComponent(pathPart)) : path;
    if (!destination.startsWith(root + '/') && destination !== root) problems.push(`${file}: ${target} points outside the repository`);
    else if (!existsSync(destination)) problems.push(`${file}: ${target}: no such file`);
    else if (anchor && destination.endsWith('.md') && !anchorsOf(destination).has(anchor)) problems.push(`${file}: ${target}: no such heading in ${relative(root, destination)}`);
  }
}
for (const problem of problems) console.error(problem);
console.log(`links: ${checked} checked in ${files.length} files, ${problems.length} broken`);
process.exit(problems.length ? 1 : 0);
