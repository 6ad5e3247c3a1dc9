// Admission: plugins that mutate, then plugins that validate, every write before it is stored.
// Each plugin is a small object registered by name (upstream's admission.Interface).
import type { KubeObject, ResourceType } from '../../api/index.js';
import type { UserInfo } from '../http/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  rt: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  /** The object being written (mutable for mutating plugins); undefined for DELETE. */
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating phase; may change `attrs.object`. Throws a StatusError to reject. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating phase; must not mutate. Throws a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async run(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(attrs);
    for (const p of this.plugins) if (p.validate) await p.validate(attrs);
  }

  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }
}
