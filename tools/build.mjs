// Compiles apps/, libs/ and tools/ TypeScript to dist/ with swc, keeping paths
// (apps/gateway/src/main.ts → dist/apps/gateway/src/main.js). The @platform/* aliases come from
// tsconfig.base.json and are rewritten to relative requires. Tests (*.spec.ts, *.int-spec.ts,
// *.e2e-spec.ts) and declaration files are skipped. Usage: node tools/build.mjs
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['apps', 'libs', 'tools'];
const SKIP = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !SKIP.test(entry.name)) {
      yield path;
    }
  }
}

async function swcOptions() {
  const { compilerOptions } = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
  return {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root, // swc wants an absolute baseUrl when called through the API
      paths: compilerOptions.paths ?? {},
    },
  };
}

/** Builds everything into `<root>/dist`; returns { files, ms }. */
export async function build({ outDir = join(root, 'dist') } = {}) {
  const started = performance.now();
  const options = await swcOptions();
  const files = [];
  for (const dir of SOURCE_DIRS) for await (const file of sources(join(root, dir))) files.push(file);

  await rm(outDir, { recursive: true, force: true });
  await Promise.all(
    files.map(async (file) => {
      const rel = relative(root, file);
      const out = join(outDir, rel.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: relative(dirname(out), file) });
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${code}\n//# sourceMappingURL=${basename(out)}.map\n`);
      if (map) await writeFile(`${out}.map`, map);
    }),
  );
  return { files: files.length, ms: Math.round(performance.now() - started), outDir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().then(
    ({ files, ms, outDir }) => console.log(`build: ${files} files → ${relative(process.cwd(), outDir) || '.'}/ in ${ms} ms`),
    (error) => {
      console.error(`build failed: ${error.message ?? error}`);
      process.exit(1);
    },
  );
}
