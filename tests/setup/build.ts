import { resolve } from 'node:path';
import { ensureNextBuild } from '../../scripts/stack/next-build';

/** Integration tests run the real `next start`, so they need a current production build. */
export default function setup(): void {
  ensureNextBuild(resolve(import.meta.dirname, '../..'), (line) => console.log(line));
}
