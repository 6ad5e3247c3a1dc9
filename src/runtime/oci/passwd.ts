// The image's /etc/passwd and /etc/group, read the way containerd's WithUser/WithUsername and
// WithAdditionalGIDs do: a name or uid is looked up in the image's own files, never the host's.

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Parses passwd(5) text; malformed lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || f[2] === '' || f[3] === '') continue;
    out.push({ name: f[0]!, uid, gid, home: f[5] ?? '/' });
  }
  return out;
}

/** Parses group(5) text; malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || f[2] === '') continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    out.push({ name: f[0]!, gid, members: (f[3] ?? '').split(',').filter(Boolean) });
  }
  return out;
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

/**
 * The process user. `runAsUser` wins over the image's user; a uid or name found in passwd gives
 * the primary gid (else 0); `runAsGroup` overrides the gid; a user spec `name:group` or `uid:gid`
 * from the image config is honoured; the user's groups from /etc/group and supplementalGroups
 * become additional gids. An unknown user name is an error (containerd: "no users found").
 */
export function resolveUser(opts: {
  runAsUser?: number; runAsGroup?: number; runAsUsername?: string; imageUser?: string;
  supplementalGroups?: number[]; passwd: PasswdEntry[]; groups: GroupEntry[];
}): ResolvedUser {
  let userPart: string | undefined;
  let groupPart: string | undefined;
  if (opts.runAsUser !== undefined) userPart = String(opts.runAsUser);
  else if (opts.runAsUsername) userPart = opts.runAsUsername;
  else if (opts.imageUser) [userPart, groupPart] = opts.imageUser.split(':', 2) as [string, string | undefined];
  let uid = 0;
  let gid = 0;
  let entry: PasswdEntry | undefined;
  if (userPart !== undefined && userPart !== '') {
    if (/^\d+$/.test(userPart)) {
      uid = Number(userPart);
      entry = opts.passwd.find((p) => p.uid === uid);
    } else {
      entry = opts.passwd.find((p) => p.name === userPart);
      if (!entry) throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
      uid = entry.uid;
    }
    if (entry) gid = entry.gid;
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = opts.groups.find((x) => x.name === groupPart);
      if (!g) throw new Error(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  if (opts.runAsGroup !== undefined) gid = opts.runAsGroup;
  const additional: number[] = [];
  const add = (g: number) => { if (g !== gid && !additional.includes(g)) additional.push(g); };
  if (entry) for (const g of opts.groups) if (g.members.includes(entry.name)) add(g.gid);
  for (const g of opts.supplementalGroups ?? []) add(g);
  return { uid, gid, additionalGids: additional };
}
