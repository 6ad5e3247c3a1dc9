// The taint effects a Node's spec.taints may carry (core/v1 TaintEffect), apart from the Node
// schema so flag parsers can check them without loading it.
export const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;
