import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { BrokerLossWatch } from './brokerLossWatch';
import { until } from './testBroker';

test('fires once per outage, after the grace, and not once reconnected', async () => {
  const events = new EventEmitter();
  let lost = 0;
  const watch = new BrokerLossWatch(20, () => {
    lost++;
    events.emit('change');
  });
  watch.disconnected();
  watch.disconnected(); // a failed reconnect attempt in the same outage
  await until(events, () => (lost > 0 ? lost : undefined), 'the loss to be reported');
  watch.disconnected();
  assert.equal(lost, 1, 'still the same outage');
  watch.connected();
  watch.disconnected();
  await until(events, () => (lost > 1 ? lost : undefined), 'the second outage to be reported');
  assert.equal(lost, 2);
  watch.dispose();
});

test('a reconnect inside the grace cancels the report', async () => {
  let lost = 0;
  const watch = new BrokerLossWatch(30, () => lost++);
  watch.disconnected();
  watch.connected();
  // A second, longer watch proves time has passed beyond the first grace.
  const later = new EventEmitter();
  let done = false;
  const probe = new BrokerLossWatch(120, () => {
    done = true;
    later.emit('change');
  });
  probe.disconnected();
  await until(later, () => (done ? true : undefined), 'a later timer');
  assert.equal(lost, 0);
  watch.dispose();
});
