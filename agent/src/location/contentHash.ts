import { createHash } from 'node:crypto';

/** sha256 as lower-case hex, of file bytes or of text encoded as UTF-8. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
