// libcni's checks of an invocation before any plugin runs: the container id and network name
// become part of the cache file's name and the interface name a kernel link name, so anything
// that could escape the cache dir or that the kernel would reject is refused up front, with the
// spec's error codes. Also the spec-version gates libcni applies (CHECK and a cached prevResult on
// DEL exist from 0.4.0 on).
import { CNI_ERROR_CODES, CniError } from './types.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const MAX_INTERFACE_NAME = 15;

/** Throws a CniError (codes as libcni's) when the invocation's ids are unusable. */
export function validateInvocation(command: string, networkName: string, containerId: string, ifName: string): void {
  const fail = (code: number, msg: string, details = '') => { throw new CniError(code, msg, details || undefined, '', command); };
  if (!containerId) fail(CNI_ERROR_CODES.unknownContainer, 'missing containerID');
  if (!NAME.test(containerId)) fail(CNI_ERROR_CODES.invalidEnvironment, 'invalid characters in containerID', containerId);
  if (!networkName) fail(CNI_ERROR_CODES.invalidNetworkConfig, 'missing network name:');
  if (!NAME.test(networkName)) fail(CNI_ERROR_CODES.invalidNetworkConfig, 'invalid characters found in network name', networkName);
  if (!ifName) fail(CNI_ERROR_CODES.invalidEnvironment, 'interface name is empty');
  if (ifName.length > MAX_INTERFACE_NAME) fail(CNI_ERROR_CODES.invalidEnvironment, 'interface name is too long', `interface name should be less than ${MAX_INTERFACE_NAME + 1} characters`);
  if (ifName === '.' || ifName === '..') fail(CNI_ERROR_CODES.invalidEnvironment, 'interface name is . or ..');
  if (/[/:\s]/.test(ifName)) fail(CNI_ERROR_CODES.invalidEnvironment, 'interface name contains / or : or whitespace characters');
}

/** `a >= b` for dotted spec versions (`0.4.0`, `1.0.0`); a malformed version compares as 0.0.0. */
export function versionAtLeast(a: string, b: string): boolean {
  const parse = (v: string) => (/^\d+(\.\d+){0,2}$/.test(v) ? v.split('.').map(Number) : [0]);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
