// Typed failures of building a container's config. The pod worker reports them as the
// container's waiting state (reason, message) and retries on its next sync, as upstream does.

/** Upstream ErrCreateContainerConfig: the waiting reason is `CreateContainerConfigError`, the message upstream's. */
export class CreateContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  override name = 'CreateContainerConfigError';
}
