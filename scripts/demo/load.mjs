// Light traffic on the demo service: one request every interval, mostly new
// orders from the demo customers (with their card and a bearer token), some
// reads. Failures are counted, never thrown: the service may be starting or
// stopping.
import { readFileSync } from 'node:fs';

const customers = JSON.parse(readFileSync(new URL('./customers.json', import.meta.url), 'utf8'));
const ITEMS = [
  { sku: 'KB-101', name: 'keyboard', price: 49.9 },
  { sku: 'MS-220', name: 'mouse', price: 19.5 },
  { sku: 'HD-330', name: 'headset', price: 89 },
];
/** A session token the clients send; the agent masks it by name (authorization) and by shape (bearer, JWT). */
export const BEARER = 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjLTEwMDEifQ.c2lnbmF0dXJlLWRlbW8';

export function startLoad(baseUrl, intervalMs) {
  const stats = { sent: 0, failed: 0 };
  let n = 0;
  const tick = async () => {
    const i = n++;
    const customer = customers[i % customers.length];
    try {
      if (i % 3 === 2) {
        await fetch(`${baseUrl}/orders/o-${1 + Math.floor(i / 2)}`).then((r) => r.arrayBuffer());
      } else {
        const item = ITEMS[i % ITEMS.length];
        const body = { customerId: customer.id, card: customer.card, expiry: '12/29', items: [{ ...item, qty: 1 + (i % 3) }] };
        await fetch(`${baseUrl}/orders`, { method: 'POST', headers: { authorization: BEARER, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
      }
      stats.sent++;
    } catch {
      stats.failed++;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return { stats, stop: () => clearInterval(timer) };
}
