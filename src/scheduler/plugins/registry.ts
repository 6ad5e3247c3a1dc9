// The in-tree plugins by upstream name (upstream plugins.NewInTreeRegistry).
import { Registry } from '../framework/registry.js';
import * as defaultBinder from './default-binder/default-binder.js';
import * as defaultPreemption from './default-preemption/default-preemption.js';
import * as interPodAffinity from './inter-pod-affinity/inter-pod-affinity.js';
import * as balancedAllocation from './node-resources-balanced-allocation/balanced-allocation.js';
import * as nodeAffinity from './node-affinity/node-affinity.js';
import * as nodeName from './node-name/node-name.js';
import * as nodePorts from './node-ports/node-ports.js';
import * as nodeResourcesFit from './node-resources-fit/node-resources-fit.js';
import * as nodeUnschedulable from './node-unschedulable/node-unschedulable.js';
import * as podTopologySpread from './pod-topology-spread/pod-topology-spread.js';
import * as prioritySort from './priority-sort/priority-sort.js';
import * as schedulingGates from './scheduling-gates/scheduling-gates.js';
import * as taintToleration from './taint-toleration/taint-toleration.js';

const IN_TREE = [
  schedulingGates, prioritySort, nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts,
  nodeResourcesFit, podTopologySpread, interPodAffinity, defaultPreemption, balancedAllocation, defaultBinder,
];

/** A fresh registry with every in-tree plugin; callers may merge out-of-tree ones into it. */
export function newInTreeRegistry(): Registry {
  const r = new Registry();
  for (const p of IN_TREE) r.register(p.name, p.factory);
  return r;
}
