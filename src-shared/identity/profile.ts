// The did:is v0.0.1 profile: what a payload may hold (Blockcore's limits), the image rule, and the
// payloads we write for create, update and delete, byte-exact with the spec's example. Reading is
// lenient where other writers differ (key order, missing optional fields); writing is strict.
import { base64 } from '@scure/base';
import { z } from 'zod';
import { fail } from './errors.ts';
import { jsonInOrder } from './jws.ts';
import { DID_IS_PREFIX, addressOfDid } from './verify.ts';

export const PROFILE_TYPE = 'identity';
export const STATE_ACTIVE = 0;
export const STATE_DELETED = 999;
export const MAX_PROFILE_JWS_CHARS = 32 * 1024;
/** The largest inline image a 2000-character data URI can hold. */
export const MAX_INLINE_IMAGE_BYTES = 1468;

export const PROFILE_LIMITS = {
  name: 512,
  shortname: 64,
  alias: 64,
  title: 255,
  email: 255,
  url: 2000,
  image: 2000,
} as const;
export const MAX_HUBS = 3;
export const MAX_HUB_CHARS = 255;

type TextField = keyof typeof PROFILE_LIMITS;
const TEXT_FIELDS = Object.keys(PROFILE_LIMITS) as TextField[];

export interface ProfileFields {
  name: string | null;
  shortname: string | null;
  alias: string | null;
  title: string | null;
  email: string | null;
  url: string | null;
  image: string | null;
  hubs: string[] | null;
}

export interface ProfilePayload extends ProfileFields {
  identifier: string;
  iat: number;
  '@type': typeof PROFILE_TYPE;
  '@state': typeof STATE_ACTIVE | typeof STATE_DELETED;
}

const PAYLOAD_MEMBERS = new Set(['identifier', 'iat', '@type', '@state', ...TEXT_FIELDS, 'hubs']);
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/** How an image field may be shown: a URL to fetch (https only, by the UI's choice), inline data, or not at all. */
export function imageKind(image: string): 'https' | 'http' | 'data' | undefined {
  if (image.length > PROFILE_LIMITS.image) return undefined;
  const data = DATA_IMAGE.exec(image);
  if (data) {
    try {
      const bytes = base64.decode(data[2]!);
      return base64.encode(bytes) === data[2] && bytes.length <= MAX_INLINE_IMAGE_BYTES ? 'data' : undefined;
    } catch {
      return undefined;
    }
  }
  if (!URL.canParse(image)) return undefined;
  const { protocol, hostname } = new URL(image);
  if (hostname === '') return undefined;
  return protocol === 'https:' ? 'https' : protocol === 'http:' ? 'http' : undefined;
}

/** A safe integer ≥ 0: raw integers are compared, seconds and milliseconds alike. */
export function checkIat(iat: unknown): number {
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) {
    fail('IAT_INVALID', `iat must be an integer from 0 to 2^53-1, not ${JSON.stringify(iat)?.slice(0, 32)}`);
  }
  return iat;
}

export function checkState(state: unknown): 0 | 999 {
  if (state === undefined || state === STATE_ACTIVE) return STATE_ACTIVE;
  if (state === STATE_DELETED) return STATE_DELETED;
  return fail('STATE_UNKNOWN', `@state ${JSON.stringify(state)?.slice(0, 32)} is neither 0 (active) nor 999 (deleted)`);
}

function checkText(field: TextField, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail('FIELD_INVALID', `${field} must be a string or null`, { field });
  if (value.length > PROFILE_LIMITS[field]) {
    fail('FIELD_TOO_LONG', `${field} has ${value.length} characters; at most ${PROFILE_LIMITS[field]}`, { field });
  }
  if (field === 'image' && imageKind(value) === undefined) {
    fail('IMAGE_INVALID', 'image must be an http(s) URL or a data:image/(png|jpeg|gif|webp);base64 URI', { field });
  }
  return value;
}

function checkHubs(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) fail('FIELD_INVALID', 'hubs must be an array of strings or null', { field: 'hubs' });
  if (value.length > MAX_HUBS) fail('HUBS_TOO_MANY', `${value.length} hubs; at most ${MAX_HUBS}`, { field: 'hubs' });
  for (const hub of value) {
    if (typeof hub !== 'string') fail('FIELD_INVALID', 'each hub is a string', { field: 'hubs' });
    if (hub.length > MAX_HUB_CHARS) fail('FIELD_TOO_LONG', `a hub has over ${MAX_HUB_CHARS} characters`);
  }
  return value as string[];
}

/** A received profile payload checked against every ingest rule of docs/identity.md §1.1. */
export function checkProfilePayload(payload: Record<string, unknown>): ProfilePayload {
  for (const key of Object.keys(payload)) {
    if (!PAYLOAD_MEMBERS.has(key)) fail('FIELD_UNKNOWN', `payload member "${key.slice(0, 32)}" is not a profile field`);
  }
  if (payload['@type'] !== undefined && payload['@type'] !== PROFILE_TYPE) {
    fail('TYPE_UNKNOWN', `@type ${JSON.stringify(payload['@type'])?.slice(0, 40)} is not "identity"`);
  }
  if (addressOfDid(payload.identifier) === undefined) fail('IDENTIFIER_INVALID', 'identifier is not a did:is DID');
  const iat = checkIat(payload.iat);
  const state = checkState(payload['@state']);
  const fields = {} as ProfileFields;
  for (const f of TEXT_FIELDS) fields[f] = checkText(f, payload[f]);
  fields.hubs = checkHubs(payload.hubs);
  if (state === STATE_DELETED && Object.values(fields).some((v) => v !== null)) {
    fail('TOMBSTONE_NOT_EMPTY', 'a deleted profile (@state 999) keeps no fields: all must be null');
  }
  return { identifier: payload.identifier as string, iat, '@type': PROFILE_TYPE, '@state': state, ...fields };
}

// Characters we never write: controls and bidi overrides render differently from what they say.
function unsafeText(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
      return true;
  }
  return false;
}

/** Profile fields as a user gives them; checked strictly before we sign anything. */
export const ProfileInput = z
  .object({
    name: z.string().max(PROFILE_LIMITS.name).nullish(),
    shortname: z.string().max(PROFILE_LIMITS.shortname).nullish(),
    alias: z.string().max(PROFILE_LIMITS.alias).nullish(),
    title: z.string().max(PROFILE_LIMITS.title).nullish(),
    email: z.string().max(PROFILE_LIMITS.email).nullish(),
    url: z.string().max(PROFILE_LIMITS.url).nullish(),
    image: z.string().max(PROFILE_LIMITS.image).nullish(),
    hubs: z.array(z.string().max(MAX_HUB_CHARS)).max(MAX_HUBS).nullish(),
  })
  .strict();
export type ProfileInput = z.input<typeof ProfileInput>;

function writableFields(input: ProfileInput): ProfileFields {
  const parsed = ProfileInput.safeParse(input);
  if (!parsed.success) fail('FIELD_INVALID', parsed.error.issues[0]?.message ?? 'invalid profile fields');
  const out = {} as ProfileFields;
  for (const f of TEXT_FIELDS) {
    const v = parsed.data[f];
    const value = v === undefined || v === null || v === '' ? null : v;
    if (value !== null && (unsafeText(value) || !value.isWellFormed())) {
      fail('FIELD_INVALID', `${f} holds control or bidi-override characters`, { field: f });
    }
    out[f] = checkText(f, value);
  }
  if (out.image !== null && imageKind(out.image) === 'http') {
    fail('IMAGE_INVALID', 'we publish images as https URLs or inline data only', { field: 'image' });
  }
  const hubs = parsed.data.hubs;
  out.hubs = hubs && hubs.length > 0 ? hubs : null;
  return out;
}

function payloadJson(did: string, iat: number, state: 0 | 999, f: ProfileFields): string {
  return jsonInOrder([
    ['identifier', did],
    ['iat', iat],
    ['@type', PROFILE_TYPE],
    ['@state', state],
    ['name', f.name],
    ['shortname', f.shortname],
    ['alias', f.alias],
    ['title', f.title],
    ['email', f.email],
    ['url', f.url],
    ['image', f.image],
    ['hubs', f.hubs],
  ]);
}

function checkDid(did: string): void {
  if (addressOfDid(did) === undefined) fail('IDENTIFIER_INVALID', `${did.slice(0, 64)} is not a did:is DID`);
}

/** The payload JSON of an active profile, in the spec's member order. */
export function buildProfilePayload(did: string, iat: number, input: ProfileInput): string {
  checkDid(did);
  return payloadJson(did, checkIat(iat), STATE_ACTIVE, writableFields(input));
}

/** The payload JSON of a tombstone: @state 999, every field null. */
export function buildTombstonePayload(did: string, iat: number): string {
  checkDid(did);
  const empty = writableFields({});
  return payloadJson(did, checkIat(iat), STATE_DELETED, empty);
}

/** The iat of our next record: now, or one past what is stored if that is later (never a tie). */
export function nextIat(now: number, storedIat?: number): number {
  const iat = storedIat === undefined ? now : Math.max(now, storedIat + 1);
  if (!Number.isSafeInteger(iat)) fail('IAT_INVALID', 'the stored iat leaves no room for a newer record');
  return iat;
}

export function didOf(address: string): string {
  return `${DID_IS_PREFIX}${address}`;
}
