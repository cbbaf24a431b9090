import { Whetstone } from '@whetstone/sdk';

/** Where global-setup started the real stack. */
export function e2eStack() {
  const url = process.env.E2E_BASE_URL;
  const apiKey = process.env.E2E_API_KEY;
  if (!url || !apiKey) throw new Error('E2E_BASE_URL/E2E_API_KEY unset: run through `npm test -- e2e` (global-setup starts the stack)');
  return { url, apiKey, transport: process.env.E2E_TRANSPORT ?? 'redis', ws: Whetstone.init({ apiUrl: url, apiKey }) };
}
