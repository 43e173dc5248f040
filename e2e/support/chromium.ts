import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LaunchOptions } from 'playwright-core';

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH when set; else the build shipped inside the
 * `@sparticuz/chromium` npm package (x64 Linux; unpacked once into os.tmpdir(), with the NSS libraries it
 * needs, so nothing is installed by hand); else /usr/bin/chromium.
 */
export async function chromiumLaunchOptions(): Promise<Pick<LaunchOptions, 'executablePath' | 'env'> & { source: string }> {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  if (process.platform === 'linux' && process.arch === 'x64') {
    // ESM-only package: Node's own require loads it (Jest's sandbox cannot import ESM from node_modules).
    const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
    const { default: Chromium, inflate } = nodeRequire('@sparticuz/chromium') as typeof import('@sparticuz/chromium');
    const executablePath = await Chromium.executablePath();
    const bin = join(dirname(nodeRequire.resolve('@sparticuz/chromium')), '..', 'bin');
    const libraries = join(await inflate(join(bin, 'al2023.tar.br')), 'lib');
    const inherited = process.env.LD_LIBRARY_PATH;
    return {
      executablePath,
      env: { ...process.env, LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries, FONTCONFIG_PATH: process.env.FONTCONFIG_PATH ?? join(dirname(executablePath), 'fonts') },
      source: '@sparticuz/chromium',
    };
  }
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', source: '/usr/bin/chromium' };
  throw new Error('no Chromium for the browser tests: set CHROMIUM_PATH (the npm package @sparticuz/chromium covers x64 Linux only)');
}
