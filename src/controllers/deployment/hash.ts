// The pod-template-hash (upstream controller.ComputeHash): a 32-bit FNV-1a hash of the pod template
// (plus the Deployment's collisionCount, when set), printed in decimal and re-encoded with
// upstream's SafeEncodeString alphabet (no vowels, no look-alike characters), so the
// ReplicaSet name `<deployment>-<hash>` is stable for one template and differs for another.
//
// Upstream hashes Go's printed form of the struct; Capstan hashes a canonical JSON rendering (keys
// sorted, absent fields dropped), which is stable across restarts and key order but not
// byte-identical to upstream's values.

/** Label added to a Deployment's ReplicaSets and pods (upstream DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted and undefined members dropped. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJSON(x === undefined ? null : x)).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(',')}}`;
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Upstream rand.SafeEncodeString. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** The pod-template-hash of `template` (without any pod-template-hash label of its own). */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined) {
    const buf = new Uint8Array(8);
    new DataView(buf.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(buf, h);
  }
  return safeEncodeString(String(h));
}
