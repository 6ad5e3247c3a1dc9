// Runs tasks one at a time per key and concurrently across keys: the CNI network's ADD and DEL
// of one sandbox must not overlap (a DEL racing its own ADD would free an address the ADD then
// caches), while different sandboxes proceed in parallel. A task's failure does not stop the
// tasks queued behind it.
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests). */
  get activeKeys(): number {
    return this.tails.size;
  }
}
