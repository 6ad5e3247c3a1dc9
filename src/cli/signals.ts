// The long-running commands' shutdown: SIGTERM or SIGINT aborts the returned signal once (logged);
// the command then stops its roles and exits when they have stopped.
export function stopOnSignals(log: (msg: string) => void): AbortSignal {
  const stop = new AbortController();
  const shutdown = (signal: string) => {
    if (stop.signal.aborted) return;
    log(`${signal} received, shutting down`);
    stop.abort();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return stop.signal;
}
