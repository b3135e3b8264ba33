/**
 * Checksums and structural checks for the value detectors. A detector only
 * masks a candidate its validator accepts, wherever the format has one:
 * that is what keeps order numbers, timestamps and version strings readable.
 */
import { IBAN_LENGTHS } from './ibanLengths';
import { charCodeAt, fromCharCode, isIPv6, JSONParse, toUpper } from './textIntrinsics';

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = charCodeAt(digits, i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A payment card number: 13 to 19 digits, Luhn-valid, and a major industry
 * identifier (first digit) of 2 to 6, the ranges card networks issue from
 * (Mastercard 2-series and 5, Amex/Diners/JCB 3, Visa 4, Discover/UnionPay/
 * Maestro 6). The first-digit check keeps millisecond timestamps (13 digits
 * starting with 1) and many internal ids out.
 */
export function cardNumberValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = charCodeAt(digits, 0) - 48;
  return first >= 2 && first <= 6 && luhnValid(digits);
}

/**
 * An IBAN without spaces: a known country, that country's length, and
 * ISO 7064 mod 97-10 (the number with its first four characters moved to the
 * end, letters as 10..35, leaves remainder 1).
 */
export function ibanValid(compact: string): boolean {
  const iban = toUpper(compact);
  if (iban.length < 4) return false;
  const expected = IBAN_LENGTHS[iban[0]! + iban[1]!];
  if (expected === undefined || iban.length !== expected) return false;
  if (!isDigit(charCodeAt(iban, 2)) || !isDigit(charCodeAt(iban, 3))) return false;
  let remainder = 0;
  for (let k = 0; k < iban.length; k++) {
    const c = charCodeAt(iban, (k + 4) % iban.length);
    if (isDigit(c)) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** Expected IBAN length for a two-letter country code, or undefined. */
export function ibanLength(country: string): number | undefined {
  return IBAN_LENGTHS[toUpper(country)];
}

/**
 * A US Social Security number in its three parts. Never issued: area 000,
 * 666 or 900-999; group 00; serial 0000.
 */
export function ssnValid(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return area.length === 3 && group.length === 2 && serial.length === 4;
}

/** Four decimal octets, each 0-255. */
export function ipv4Valid(octets: readonly string[]): boolean {
  if (octets.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const o = octets[i]!;
    if (o.length < 1 || o.length > 3) return false;
    let v = 0;
    for (let k = 0; k < o.length; k++) {
      const c = charCodeAt(o, k);
      if (!isDigit(c)) return false;
      v = v * 10 + (c - 48);
    }
    if (v > 255) return false;
  }
  return true;
}

/** Node's own IPv6 parser (zone ids and embedded IPv4 included). */
export function ipv6Valid(text: string): boolean {
  return isIPv6(text);
}

/**
 * Decodes base64 or base64url (padding optional) to a byte string of char
 * codes 0-255; undefined when the text is not base64.
 */
export function decodeBase64(text: string): string | undefined {
  let bits = 0;
  let value = 0;
  let out = '';
  let end = text.length;
  while (end > 0 && charCodeAt(text, end - 1) === 61 /* = */) end--;
  if (text.length - end > 2) return undefined;
  for (let i = 0; i < end; i++) {
    const v = base64Digit(charCodeAt(text, i));
    if (v < 0) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += fromCharCode((value >> bits) & 0xff);
    }
  }
  return bits >= 6 ? undefined : out;
}

function base64Digit(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43 || c === 45) return 62; // + or -
  if (c === 47 || c === 95) return 63; // / or _
  return -1;
}

/** A JWT header: base64url of a JSON object with a string "alg" (RFC 7515 §4.1.1). */
export function jwtHeaderValid(encodedHeader: string): boolean {
  const json = decodeBase64(encodedHeader);
  if (json === undefined) return false;
  try {
    const header: unknown = JSONParse(json);
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * HTTP Basic credentials (RFC 7617): base64 of printable `user-id:password`
 * with a non-empty password.
 */
export function basicCredentialValid(encoded: string): boolean {
  const text = decodeBase64(encoded);
  if (text === undefined || text.length < 3) return false;
  let colon = -1;
  for (let i = 0; i < text.length; i++) {
    const c = charCodeAt(text, i);
    if (c < 32 || c === 127) return false;
    if (c === 58 && colon < 0) colon = i;
  }
  return colon >= 0 && colon < text.length - 1;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
