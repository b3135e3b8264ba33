// Every command and view id the extension contributes, in one place, so the
// manifest test and the code name them the same way.

export const Command = {
  SignIn: 'keyhole.signIn',
  SignOut: 'keyhole.signOut',
  ExportPublicKey: 'keyhole.exportPublicKey',
  RequestGrant: 'keyhole.requestGrant',
  ApproveGrant: 'keyhole.approveGrant',
  RejectGrant: 'keyhole.rejectGrant',
  RevokeGrant: 'keyhole.revokeGrant',
  RefreshGrants: 'keyhole.refreshGrants',
  RefreshSnapshots: 'keyhole.refreshSnapshots',
  OpenSnapshot: 'keyhole.openSnapshot',
  ExportSnapshot: 'keyhole.exportSnapshot',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

export const View = {
  Grants: 'keyhole.grants',
  Snapshots: 'keyhole.snapshots',
} as const;

/** The debug type, as in launch.json `"type": "keyhole"`. */
export const DEBUG_TYPE = 'keyhole';
