// Upstream's volume plugin directory names: `<podsDir>/<uid>/volumes/<plugin>/<volume>`.
export const PLUGIN_EMPTY_DIR = 'kubernetes.io~empty-dir';
export const PLUGIN_CONFIGMAP = 'kubernetes.io~configmap';
export const PLUGIN_SECRET = 'kubernetes.io~secret';
export const PLUGIN_DOWNWARD_API = 'kubernetes.io~downward-api';
export const PLUGIN_PROJECTED = 'kubernetes.io~projected';
export const PLUGIN_HOST_PATH = 'kubernetes.io~host-path';
export const PLUGIN_LOCAL = 'kubernetes.io~local-volume';
