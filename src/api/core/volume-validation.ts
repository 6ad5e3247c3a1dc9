// Upstream ValidateVolumes and the checks of the common volume sources. Called by
// pod-validation.ts; returns the volume-name → block-capable map the container rules need.
import { fieldError, type FieldError, childPath, indexPath } from '../field-errors.js';
import { isDNS1123Subdomain } from '../meta/names.js';
import { validateDNS1123Label, validateNonnegativeQuantity } from './field-checks.js';
import { VOLUME_SOURCE_NAMES, type Volume } from './volume.js';

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const MAX_MODE = 0o777;
/** Upstream validateVolumeSource counts emptyDir first, then hostPath, then the rest. */
const SOURCE_CHECK_ORDER = ['emptyDir', 'hostPath', ...VOLUME_SOURCE_NAMES.filter((k) => k !== 'emptyDir' && k !== 'hostPath')] as typeof VOLUME_SOURCE_NAMES;

/** Upstream validateLocalDescendingPath: relative, no `..` element. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldError.invalid(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..')) errs.push(fieldError.invalid(path, target, 'must not contain \'..\''));
  return errs;
}

function validateMode(mode: number | undefined, path: string): FieldError[] {
  if (mode === undefined || (mode >= 0 && mode <= MAX_MODE)) return [];
  return [fieldError.invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
}

function validateKeyToPaths(items: { key?: string; path?: string; mode?: number }[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((it, i) => {
    const ip = indexPath(path, i);
    if (!it.key) errs.push(fieldError.required(childPath(ip, 'key')));
    if (!it.path) errs.push(fieldError.required(childPath(ip, 'path')));
    else errs.push(...validateLocalDescendingPath(it.path, childPath(ip, 'path')));
    errs.push(...validateMode(it.mode, childPath(ip, 'mode')));
  });
  return errs;
}

interface DownwardFile { path?: string; fieldRef?: { fieldPath?: string }; resourceFieldRef?: { containerName?: string; resource?: string }; mode?: number }

const VOLUME_RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** Upstream validateDownwardAPIVolumeFile; like upstream, item paths carry no index. */
function validateDownwardAPIFiles(items: DownwardFile[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((it) => {
    const ip = path;
    if (!it.path) errs.push(fieldError.required(childPath(ip, 'path')));
    else errs.push(...validateLocalDescendingPath(it.path, childPath(ip, 'path')));
    if (it.fieldRef) {
      const fp = it.fieldRef.fieldPath ?? '';
      if (!fp) errs.push(fieldError.required(childPath(ip, 'fieldRef.fieldPath')));
      else if (!VOLUME_FIELD_PATHS.includes(fp) && !/^metadata\.(labels|annotations)\[.+\]$/.test(fp)) {
        errs.push(fieldError.notSupported(childPath(ip, 'fieldRef.fieldPath'), fp, VOLUME_FIELD_PATHS));
      }
      if (it.resourceFieldRef) errs.push(fieldError.invalid(ip, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (!it.resourceFieldRef) {
      errs.push(fieldError.required(ip, 'one of fieldRef and resourceFieldRef is required'));
    } else {
      const rp = childPath(ip, 'resourceFieldRef');
      if (!it.resourceFieldRef.containerName) errs.push(fieldError.required(childPath(rp, 'containerName')));
      const r = it.resourceFieldRef.resource ?? '';
      if (!r) errs.push(fieldError.required(childPath(rp, 'resource')));
      else if (!VOLUME_RESOURCE_FIELDS.includes(r) && !/^(limits|requests)\.hugepages-/.test(r)) errs.push(fieldError.notSupported(childPath(rp, 'resource'), r, VOLUME_RESOURCE_FIELDS));
    }
    errs.push(...validateMode(it.mode, childPath(ip, 'mode')));
  });
  return errs;
}

function requiredName(name: string | undefined, path: string): FieldError[] {
  if (!name) return [fieldError.required(path)];
  return isDNS1123Subdomain(name).map((m) => fieldError.invalid(path, name, m));
}

/** The checks of whichever source a volume uses; `p` is the volume's path. */
function validateSource(v: Volume, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.hostPath) {
    const hp = childPath(p, 'hostPath');
    if (!v.hostPath.path) errs.push(fieldError.required(childPath(hp, 'path')));
    else if (v.hostPath.path.split('/').includes('..')) errs.push(fieldError.invalid(childPath(hp, 'path'), v.hostPath.path, 'must not contain \'..\''));
    if (v.hostPath.type !== undefined && !HOST_PATH_TYPES.includes(v.hostPath.type)) errs.push(fieldError.notSupported(childPath(hp, 'type'), v.hostPath.type, HOST_PATH_TYPES));
  }
  if (v.emptyDir?.sizeLimit !== undefined) errs.push(...validateNonnegativeQuantity(String(v.emptyDir.sizeLimit), childPath(p, 'emptyDir.sizeLimit')));
  if (v.configMap) {
    errs.push(...requiredName(v.configMap.name, childPath(p, 'configMap.name')));
    errs.push(...validateMode(v.configMap.defaultMode, childPath(p, 'configMap.defaultMode')));
    errs.push(...validateKeyToPaths(v.configMap.items, childPath(p, 'configMap.items')));
  }
  if (v.secret) {
    errs.push(...requiredName(v.secret.secretName, childPath(p, 'secret.secretName')));
    errs.push(...validateMode(v.secret.defaultMode, childPath(p, 'secret.defaultMode')));
    errs.push(...validateKeyToPaths(v.secret.items, childPath(p, 'secret.items')));
  }
  if (v.downwardAPI) {
    errs.push(...validateMode(v.downwardAPI.defaultMode, childPath(p, 'downwardAPI.defaultMode')));
    errs.push(...validateDownwardAPIFiles(v.downwardAPI.items, childPath(p, 'downwardAPI')));
  }
  if (v.projected) errs.push(...validateProjected(v.projected, childPath(p, 'projected')));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(fieldError.required(childPath(p, 'persistentVolumeClaim.claimName')));
  if (v.nfs) {
    if (!v.nfs.server) errs.push(fieldError.required(childPath(p, 'nfs.server')));
    if (!v.nfs.path) errs.push(fieldError.required(childPath(p, 'nfs.path')));
    else if (!v.nfs.path.startsWith('/')) errs.push(fieldError.invalid(childPath(p, 'nfs.path'), v.nfs.path, 'must be an absolute path'));
  }
  if (v.csi && !v.csi.driver) errs.push(fieldError.required(childPath(p, 'csi.driver')));
  if (v.ephemeral) {
    const t = v.ephemeral.volumeClaimTemplate;
    if (!t) errs.push(fieldError.required(childPath(p, 'ephemeral.volumeClaimTemplate')));
    else if ((t.spec?.accessModes ?? []).length === 0) errs.push(fieldError.required(childPath(p, 'ephemeral.volumeClaimTemplate.spec.accessModes'), 'at least 1 access mode is required'));
  }
  if (v.image && !v.image.reference) errs.push(fieldError.required(childPath(p, 'image.reference')));
  return errs;
}

function validateProjected(pr: NonNullable<Volume['projected']>, path: string): FieldError[] {
  const errs = validateMode(pr.defaultMode, childPath(path, 'defaultMode'));
  (pr.sources ?? []).forEach((s, i) => {
    const sp = indexPath(childPath(path, 'sources'), i);
    const kinds = (['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'] as const).filter((k) => s[k]);
    if (kinds.length === 0) errs.push(fieldError.required(sp, 'must specify exactly 1 projection type'));
    for (const extra of kinds.slice(1)) errs.push(fieldError.forbidden(childPath(sp, extra), 'may not specify more than 1 volume type per source'));
    if (s.secret) errs.push(...validateKeyToPaths(s.secret.items, childPath(sp, 'secret.items')));
    if (s.configMap) errs.push(...validateKeyToPaths(s.configMap.items, childPath(sp, 'configMap.items')));
    if (s.downwardAPI) errs.push(...validateDownwardAPIFiles(s.downwardAPI.items, childPath(sp, 'downwardAPI')));
    if (s.serviceAccountToken) {
      const tp = childPath(sp, 'serviceAccountToken');
      const exp = s.serviceAccountToken.expirationSeconds;
      if (exp !== undefined && exp < 600) errs.push(fieldError.invalid(childPath(tp, 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp !== undefined && exp > 2 ** 32) errs.push(fieldError.invalid(childPath(tp, 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!s.serviceAccountToken.path) errs.push(fieldError.required(childPath(tp, 'path')));
      else errs.push(...validateLocalDescendingPath(s.serviceAccountToken.path, childPath(tp, 'path')));
    }
  });
  return errs;
}

/**
 * spec.volumes: names (required, DNS label, unique), exactly one source, per-source rules.
 * Returns the errors and the name → "block-capable" (PVC or ephemeral) map of valid names.
 */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { errs: FieldError[]; names: Map<string, boolean> } {
  const errs: FieldError[] = [];
  const names = new Map<string, boolean>();
  (volumes ?? []).forEach((v, i) => {
    const ip = indexPath(path, i);
    const np = childPath(ip, 'name');
    if (!v.name) errs.push(fieldError.required(np));
    else {
      const nameErrs = validateDNS1123Label(v.name, np);
      errs.push(...nameErrs);
      if (names.has(v.name)) errs.push(fieldError.duplicate(np, v.name));
      else if (nameErrs.length === 0) names.set(v.name, !!(v.persistentVolumeClaim || v.ephemeral));
    }
    const sources = SOURCE_CHECK_ORDER.filter((k) => v[k] !== undefined && v[k] !== null);
    if (sources.length === 0) errs.push(fieldError.required(ip, 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(fieldError.forbidden(childPath(ip, extra), 'may not specify more than 1 volume type'));
    errs.push(...validateSource(v, ip));
  });
  return { errs, names };
}

