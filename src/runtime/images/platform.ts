// Platform selection from a manifest list / OCI image index, as containerd's default matcher:
// the OS and architecture must match; a variant, when the host has one, is preferred exactly,
// then any lower one for arm (v7 runs v6 and v5), then an entry without a variant. Pure.

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexEntry {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform & { 'os.version'?: string };
  annotations?: Record<string, string>;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** The platform of this Node process (`linux/amd64`, `linux/arm64/v8`, `linux/arm/v7`). */
export function hostPlatform(): Platform {
  const architecture = ARCH[process.arch] ?? process.arch;
  let variant: string | undefined;
  if (architecture === 'arm64') variant = 'v8';
  if (architecture === 'arm') variant = `v${(process.config.variables as Record<string, unknown>).arm_version ?? '7'}`;
  return { os: process.platform, architecture, variant };
}

function normaliseVariant(p: Platform): string | undefined {
  if (p.architecture === 'arm64' && (p.variant === undefined || p.variant === '')) return 'v8';
  return p.variant === '' ? undefined : p.variant;
}

/** The entry of an index to pull for `want`, or undefined when none fits (the caller reports Unsupported). */
export function selectPlatform(entries: IndexEntry[], want: Platform): IndexEntry | undefined {
  const wantVariant = normaliseVariant(want);
  let best: { entry: IndexEntry; rank: number } | undefined;
  for (const entry of entries) {
    const p = entry.platform;
    if (!p || p.os !== want.os || p.architecture !== want.architecture) continue;
    // Attestation manifests (buildkit) carry platform unknown/unknown; they never reach here.
    const v = normaliseVariant(p);
    let rank: number;
    if (v === wantVariant) rank = 100;
    else if (v === undefined) rank = 10;
    else if (want.architecture === 'arm' && wantVariant && /^v\d$/.test(v) && v < wantVariant) rank = 50 + Number(v.slice(1));
    else continue;
    if (!best || rank > best.rank) best = { entry, rank };
  }
  return best?.entry;
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}
