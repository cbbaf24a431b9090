// The demo worker `npm start` runs. Run it yourself with:
//   WHETSTONE_API_URL=http://localhost:3000 WHETSTONE_API_KEY=ws_... npx tsx examples/worker.ts
import { Whetstone } from '@whetstone/sdk';
import { lowercase } from './src/simple.js';
import { supportReply } from './src/support-reply.js';
import { ticketTriage } from './src/ticket-triage.js';

const ws = Whetstone.init();
const worker = ws.worker('demo-worker', { workflows: [supportReply(ws), ticketTriage(ws), lowercase(ws)] });
await worker.start();
console.log(`[demo-worker] registered as ${worker.id}, waiting for tasks`);
