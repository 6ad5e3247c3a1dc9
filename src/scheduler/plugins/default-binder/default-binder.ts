// Bind: creates the pods/binding through the injected binder (upstream DefaultBinder). The binder
// is the scheduler's I/O edge (a POST of a Binding); without one, binding is an Error.
import type { Pod } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { BindPlugin } from '../../framework/interfaces.js';
import type { PluginFactory } from '../../framework/registry.js';
import { asStatus, Status, SUCCESS } from '../../framework/status.js';

export const name = 'DefaultBinder';

export const factory: PluginFactory = (_args, handle) => ({
  name,
  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    if (!handle.binder) return asStatus('no binder configured');
    try {
      await handle.binder(pod, nodeName);
      return SUCCESS;
    } catch (err) {
      return asStatus(err);
    }
  },
}) satisfies BindPlugin;
