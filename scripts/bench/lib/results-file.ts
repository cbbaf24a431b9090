// bench/results.json: one JSON object, one section per benchmark command (`suite` from
// `npm run bench`, `scale` from `npm run bench:scale`). Each command replaces only its own section.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/** BENCH_OUT, else bench/results.json at the repository root. */
export function resultsPath(): string {
  return resolve(process.env.BENCH_OUT ?? resolve(root, 'bench/results.json'));
}

/** The file with `section` replaced by `data`, other sections kept (an unreadable file is started afresh). */
export function mergeSection(existing: string | undefined, section: string, data: unknown): Record<string, unknown> {
  let sections: Record<string, unknown> = {};
  if (existing) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sections = parsed as Record<string, unknown>;
    } catch {
      // not JSON: replaced
    }
  }
  return { ...sections, [section]: data };
}

export function writeResultsSection(section: string, data: unknown, path = resultsPath()): string {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(mergeSection(existing, section, data), null, 1)}\n`);
  return path;
}
