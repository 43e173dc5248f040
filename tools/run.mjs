// Entry point of the npm scripts: node tools/run.mjs <start|stack|test|bench|faults> [args…]
//   start  build, then run the all-in-one app (dist/apps/embedded/src/main.js) in the foreground
//   stack  build, then the distributed stack without Docker (tools/stack.mjs)
//   test   build, then jest with the given args (npm test -- libs/messaging)
//   bench  build, then dist/tools/bench/main.js
//   faults build, then dist/tools/bench/faults/main.js (faults injected into the stack under load)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_NODE = 22;

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE) return;
  console.error(
    [
      `This project needs Node.js ${MIN_NODE} or newer; ${process.execPath} is ${process.version}.`,
      '  `npm ci` installs Node 24 into node_modules/.bin (the `node` devDependency) and npm scripts put it first on PATH,',
      '  so `npm ci && npm start` works; to run a tool directly use node_modules/.bin/node tools/run.mjs …',
      '  or put it on PATH: export PATH="$PWD/node_modules/.bin:$PATH"',
    ].join('\n'),
  );
  process.exit(1);
}

/**
 * Runs `node <script> [args]` and resolves with its exit code. With `ownGroup` the child gets its own
 * process group, so a terminal Ctrl-C reaches it once, through us, and it can shut down in order; without
 * it (jest: keeps the terminal for --watch) the terminal signals it directly and we forward only the rest.
 */
function runNode(script, args, { ownGroup, nodeArgs = [] }) {
  return new Promise((resolveCode) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: root, stdio: 'inherit', detached: ownGroup });
    const forward = (signal) => {
      if (ownGroup || signal !== 'SIGINT') child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const done = (code) => {
      for (const signal of signals) process.removeListener(signal, forward);
      process.removeListener('exit', killOnExit);
      resolveCode(code);
    };
    child.once('error', (error) => {
      console.error(`cannot start ${script}: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 1)));
  });
}

async function build() {
  const { build: compile } = await import('./build.mjs');
  const { files, ms } = await compile();
  console.error(`build: ${files} files → dist/ in ${ms} ms`);
}

const commands = {
  async start(args) {
    await build();
    return runNode(join(root, 'dist/apps/embedded/src/main.js'), args, { ownGroup: true, nodeArgs: ['--enable-source-maps'] });
  },
  async stack(args) {
    await build();
    const { main } = await import('./stack.mjs');
    return main(args);
  },
  async test(args) {
    await build();
    const results = join(root, 'dist', 'jest-results.json');
    const code = await runNode(join(root, 'node_modules/jest/bin/jest.js'), [...args, '--json', `--outputFile=${results}`], { ownGroup: false });
    // One plain closing line that any CI can read: "Tests: N passed, N failed, N skipped".
    if (existsSync(results)) {
      const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(readFileSync(results, 'utf8'));
      console.log(`Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`);
    }
    return code;
  },
  async bench(args) {
    await build();
    const bench = join(root, 'dist/tools/bench/main.js');
    if (!existsSync(bench)) {
      console.error('no benchmark yet: tools/bench/main.ts does not exist');
      return 1;
    }
    return runNode(bench, args, { ownGroup: true });
  },
  async faults(args) {
    await build();
    return runNode(join(root, 'dist/tools/bench/faults/main.js'), args, { ownGroup: true, nodeArgs: ['--enable-source-maps'] });
  },
};

checkNode();
const [command, ...args] = process.argv.slice(2);
if (!commands[command]) {
  console.error(`usage: node tools/run.mjs <${Object.keys(commands).join('|')}> [args…]`);
  process.exit(2);
}
commands[command](args).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  },
);
