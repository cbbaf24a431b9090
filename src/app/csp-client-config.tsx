'use client';

import { z } from 'zod';

// Browser settings the Content-Security-Policy needs (src/proxy.ts: scripts only with the nonce,
// no eval). zod compiles object schemas with `new Function` when it may, and probes for that the
// first time it parses an object: under our CSP the probe fails (zod falls back) but the browser
// still reports a violation. `jitless` skips the probe and the compilation. Browser only: the
// server keeps zod's compiled parsers.
if (typeof window !== 'undefined') z.config({ jitless: true });

/** Rendered once by the root layout so this module runs in the browser before any page's code parses. */
export function CspClientConfig(): null {
  return null;
}
