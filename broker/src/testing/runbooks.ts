/**
 * Test fixture: the runbook "orders-qty" that the runbook, runner and web
 * tests start. Developers may start it on the orders service; it sets one
 * logpoint at src/orders.js:20 logging "x{quantity}", for 15 minutes.
 */
import { type Runbook } from '../runbooks/runbook';

/** As it stands in a runbooks file: validation fills in what is left out (here the selector). */
export const ORDERS_QTY_RUNBOOK_ENTRY: Omit<Runbook, 'selector'> = {
  id: 'orders-qty',
  service: 'orders',
  title: 'Quantities',
  problem: 'which sizes fail',
  reading: 'rows are sizes',
  allowedRoles: ['developer'],
  durationMinutes: 15,
  probes: [{ kind: 'LOGPOINT', label: 'Orders', path: 'src/orders.js', line: 20, template: 'x{quantity}' }],
};

/** The same runbook as validation gives it. */
export const ORDERS_QTY_RUNBOOK: Runbook = { ...ORDERS_QTY_RUNBOOK_ENTRY, selector: {} };
