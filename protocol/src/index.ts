// The wire contract's public surface. Explicit exports only, so that what
// other packages depend on is visible here. brokerJson: the HTTP API's JSON
// shapes (types only), shared by the broker and the extension.
import { keyhole } from '../gen/keyhole';

/** Generated message classes and enums of package keyhole.v1. */
export import pb = keyhole.v1;

export { PROTOCOL_VERSION, currentVersion, describeVersion, isCompatibleVersion } from './version';
export { FrameErrorCode, frameError, type FrameError } from './errors';
export { CloseCode } from './closeCodes';
export { checkPeerVersion } from './handshake';
export {
  DEFAULT_MAX_FRAME_BYTES,
  decodeAgentMessage,
  encodeAgentMessage,
  decodeBrokerMessage,
  encodeBrokerMessage,
  decodeClientEvent,
  encodeClientEvent,
  decodeClientMessage,
  encodeClientMessage,
  type DecodeResult,
  type FrameData,
} from './framing';
export { compileScopeGlob, inScope, MAX_GRANT_SCOPE_GLOBS, normaliseProbePath } from './scopeGlob';
export type {
  ApproverKeyJson,
  ApproverKeyRequestJson,
  BrokerErrorJson,
  GrantApprovalJson,
  GrantApprovalRequestJson,
  GrantCloseRequestJson,
  GrantJson,
  GrantRequestJson,
  GrantSigningBodyJson,
  GrantStateName,
  GrantStatusName,
  MaskingPolicyJson,
  MeJson,
  ProbeJson,
  ProbeKindName,
  ProbeRequestJson,
  RequesterPolicyJson,
  RoleName,
  ServiceJson,
  ServicePolicyJson,
  SnapshotListRowJson,
  SnapshotViewJson,
} from './brokerJson';
