// The version the API server reports at /version and the kubelet reports as its own (one release
// for every role). Kept apart from discovery so a node agent can read it without loading the
// API catalogue.
export interface ServerVersion {
  major: string; minor: string; gitVersion: string; gitCommit: string; gitTreeState: string;
  buildDate: string; goVersion: string; compiler: string; platform: string;
}

export const SERVER_VERSION: ServerVersion = {
  major: '1', minor: '31', gitVersion: 'v1.31.0+capstan', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-11-01T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
