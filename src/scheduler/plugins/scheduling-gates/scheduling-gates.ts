// PreEnqueue: pods with spec.schedulingGates stay out of the active queue (upstream SchedulingGates).
import type { Pod } from '../../../api/index.js';
import type { PreEnqueuePlugin } from '../../framework/interfaces.js';
import type { PluginFactory } from '../../framework/registry.js';
import { Code, Status, SUCCESS } from '../../framework/status.js';

export const name = 'SchedulingGates';

export const factory: PluginFactory = () => ({
  name,
  preEnqueue(pod: Pod): Status {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return SUCCESS;
    // Go's %v of a []string: [a b]
    return new Status(Code.UnschedulableAndUnresolvable, [`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`]);
  },
}) satisfies PreEnqueuePlugin;
