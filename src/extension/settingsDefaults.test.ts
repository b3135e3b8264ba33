import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SETTINGS, settingValue } from './settingsDefaults';

test('a setting out of range is used at its nearest bound; a non-number gets the documented default', () => {
  assert.equal(settingValue('keyhole.grants.warnMinutesLeft', 7), 7);
  assert.equal(settingValue('keyhole.grants.warnMinutesLeft', 1e9), SETTINGS['keyhole.grants.warnMinutesLeft'].maximum);
  assert.equal(settingValue('keyhole.grants.refreshSeconds', 0), SETTINGS['keyhole.grants.refreshSeconds'].minimum);
  assert.equal(settingValue('keyhole.grants.refreshSeconds', '5'), SETTINGS['keyhole.grants.refreshSeconds'].default);
  assert.equal(settingValue('keyhole.snapshots.historyLimit', Number.NaN), 50);
  assert.equal(settingValue('keyhole.grants.defaultDurationMinutes', 12.6), 13);
});

test('every default lies inside its own range', () => {
  for (const [key, s] of Object.entries(SETTINGS)) assert.ok(s.minimum <= s.default && s.default <= s.maximum, key);
});
