import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * The engine compiled to one ES module, built once per process that launches stacks (esbuild
 * takes under a second). Plain `node` on it instead of `node --import tsx src/worker/main.ts`
 * saves ~70 MB of the engine's RSS: tsx keeps a loader thread and its compiler in the process.
 *
 * The file sits three levels under the root, like the sources it is built from, so paths they
 * compute from `import.meta.url` (`new URL('../../../', …)`) still point at the root; npm packages
 * stay external and resolve from the root's node_modules.
 */
const built = new Map<string, string>();

export function engineEntry(root: string): string {
  const cached = built.get(root);
  if (cached) return cached;
  const outfile = join(root, 'node_modules/.cache/whetstone-engine/main.mjs');
  const result = buildSync({
    entryPoints: [join(root, 'src/worker/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(dirname(outfile), { recursive: true });
  // Written aside and renamed: test files launch stacks in parallel processes, and an engine
  // starting must never read a half-written file. The map goes first, the code last.
  const ordered = [...result.outputFiles].sort((a) => (a.path.endsWith('.map') ? -1 : 1));
  for (const file of ordered) {
    const tmp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  built.set(root, outfile);
  return outfile;
}
