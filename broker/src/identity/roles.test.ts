import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIONS, type Action, authorize, type Role, roleAllows, ROLES } from './roles';

// The intended policy written out cell by cell, independently of PERMISSIONS:
// columns are developer, approver, ops, admin; 1 allowed, 0 refused.
const EXPECTED: Readonly<Record<Action, readonly [number, number, number, number]>> = {
  //                 dev  appr ops  admin
  'grant.request': [1, 0, 0, 0],
  'grant.view': [1, 1, 1, 1],
  'grant.approve': [0, 1, 0, 0],
  'grant.reject': [0, 1, 0, 0],
  'grant.revoke': [1, 1, 1, 0],
  'probe.set': [1, 0, 0, 0],
  'probe.remove': [1, 0, 1, 0],
  'snapshot.view': [1, 0, 0, 0],
  'service.view': [1, 1, 1, 1],
  'service.manage': [0, 0, 1, 1],
  'user.manage': [0, 0, 0, 1],
  'key.register': [0, 1, 0, 0],
  'kill.switch': [0, 0, 1, 0],
  'audit.read': [0, 0, 1, 1],
  'agent.list': [1, 1, 1, 1],
};

test('the expected table names every action and nothing else', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort());
  assert.deepEqual(ROLES, ['developer', 'approver', 'ops', 'admin']);
});

for (const action of ACTIONS) {
  ROLES.forEach((role, column) => {
    const allowed = EXPECTED[action][column] === 1;
    test(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
      assert.equal(roleAllows(role, action), allowed);
      assert.equal(authorize([role], action), allowed);
    });
  });
}

test('several roles allow the union of their actions; no role allows nothing', () => {
  const both: Role[] = ['developer', 'approver'];
  for (const action of ACTIONS) {
    assert.equal(authorize(both, action), roleAllows('developer', action) || roleAllows('approver', action), action);
    assert.equal(authorize([], action), false, action);
  }
});
