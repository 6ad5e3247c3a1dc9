// Results of plugins: status codes, never exceptions (upstream framework.Status). Every extension
// point returns a Status; `SUCCESS` is shared so hot paths (Filter over thousands of nodes) allocate
// only when a node is rejected.

/** Upstream framework.Code, same order and meaning. */
export enum Code {
  /** The plugin ran and the pod may proceed. */
  Success = 0,
  /** An internal error: the scheduling attempt is aborted and retried with backoff. */
  Error = 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The pod does not fit and preemption on this node cannot help. */
  UnschedulableAndUnresolvable = 3,
  /** Permit only: the pod waits for approval. */
  Wait = 4,
  /** PreFilter/PreScore only: the plugin's Filter/Score is not needed for this pod. */
  Skip = 5,
  /** The pod waits for something external (PreEnqueue and Permit). */
  Pending = 6,
}

const CODE_NAMES = ['Success', 'Error', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Wait', 'Skip', 'Pending'] as const;

/** A plugin result: a code, human reasons (counted in FailedScheduling messages) and the plugin. */
export class Status {
  constructor(
    readonly code: Code,
    /** Upstream Reasons(): each reason is counted separately in a FitError message. */
    readonly reasons: readonly string[] = [],
    /** Name of the plugin that produced it, set by the framework. */
    readonly plugin = '',
  ) {}

  isSuccess(): boolean { return this.code === Code.Success; }
  isSkip(): boolean { return this.code === Code.Skip; }
  isWait(): boolean { return this.code === Code.Wait; }
  /** Unschedulable, UnschedulableAndUnresolvable or Pending (upstream IsRejected). */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }
  /** Reasons joined by ", " (upstream Message()). */
  message(): string { return this.reasons.join(', '); }
  codeName(): string { return CODE_NAMES[this.code]; }
  /** The same status attributed to `plugin` (statuses are immutable). */
  withPlugin(plugin: string): Status {
    return plugin === this.plugin ? this : new Status(this.code, this.reasons, plugin);
  }
  toString(): string { return `${this.codeName()}: ${this.message()}`; }
}

/** The shared success status. */
export const SUCCESS = new Status(Code.Success);
/** The shared skip status (PreFilter/PreScore). */
export const SKIP = new Status(Code.Skip);

export function newStatus(code: Code, ...reasons: string[]): Status {
  return new Status(code, reasons);
}

/** An Error status wrapping an exception or message (upstream AsStatus). */
export function asStatus(err: unknown): Status {
  return new Status(Code.Error, [err instanceof Error ? err.message : String(err)]);
}
