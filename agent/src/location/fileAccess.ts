import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: 'unreadable'; readonly message: string }
  | { readonly ok: false; readonly reason: 'too-large'; readonly size: number; readonly message: string };

/**
 * The file reading location needs, as a small interface so tests and other
 * hosts can supply their own. Reads are synchronous because breakpoints are
 * resolved inside synchronous inspector calls; every read is bounded.
 */
export interface FileAccess {
  /** The whole file, or `too-large` (without reading it) when it is bigger than maxBytes. */
  read(path: string, maxBytes: number): ReadResult;
  /** Whether a regular file is at this path. */
  isFile(path: string): boolean;
  /** Up to `bytes` bytes from the end of the file, and the file's size; undefined if unreadable. */
  readTail(path: string, bytes: number): { readonly bytes: Buffer; readonly size: number } | undefined;
}

/** FileAccess over node:fs. Never throws: failures come back as data. */
export const nodeFileAccess: FileAccess = {
  read(path, maxBytes) {
    return withFile(path, (fd, size): ReadResult => {
      if (size > maxBytes) return { ok: false, reason: 'too-large', size, message: `${path} is ${size} bytes, more than the limit of ${maxBytes}` };
      return { ok: true, bytes: readAt(fd, 0, size) };
    }) ?? { ok: false, reason: 'unreadable', message: `cannot read ${path}` };
  },
  isFile(path) {
    try {
      return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      return false;
    }
  },
  readTail(path, bytes) {
    return withFile(path, (fd, size) => {
      const length = Math.min(size, Math.max(0, bytes));
      return { bytes: readAt(fd, size - length, length), size };
    });
  },
};

function withFile<T>(path: string, use: (fd: number, size: number) => T): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    return use(fd, stat.size);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing more to release
      }
    }
  }
}

/** Reads exactly `length` bytes at `position`, or fewer if the file shrank meanwhile. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}
