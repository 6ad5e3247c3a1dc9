// Which pods the informer cache holds for each node (the `spec.nodeName` index the node
// controllers need). Fed by a pod informer's handlers; read only from the same event loop.
import type { KubeObject, Pod } from '../../api/index.js';
import { objectKey } from '../../client/index.js';

export class PodsByNode {
  private readonly byNode = new Map<string, Set<string>>();
  private readonly nodeOf = new Map<string, string>();

  /** Records the pod's current node (after an add or update). */
  put(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = (pod as Pod).spec?.nodeName ?? '';
    const old = this.nodeOf.get(key);
    if (old === node) return;
    if (old !== undefined) this.drop(key, old);
    if (!node) return;
    this.nodeOf.set(key, node);
    let set = this.byNode.get(node);
    if (!set) this.byNode.set(node, (set = new Set()));
    set.add(key);
  }

  remove(pod: KubeObject): void {
    const key = objectKey(pod);
    const old = this.nodeOf.get(key);
    if (old !== undefined) this.drop(key, old);
  }

  /** Keys (`ns/name`) of the pods bound to `node`. */
  keys(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])];
  }

  private drop(key: string, node: string): void {
    this.nodeOf.delete(key);
    const set = this.byNode.get(node);
    set?.delete(key);
    if (set?.size === 0) this.byNode.delete(node);
  }
}
