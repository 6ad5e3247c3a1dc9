// `capstan <command>`: wiring only. Each subcommand parses its flags and hands them to a role.
// A command's module is imported only when that command runs, so `capstan agent` never loads the
// API server, the store, the scheduler or the controllers (what a node runs is kept small).
import { setFlagsFromString } from 'node:v8';

/** How to load one command: its run function and, when it has one, its --help text. */
interface Command {
  load(): Promise<{ run(argv: string[]): Promise<void>; usage?: string }>;
}

const COMMANDS: Record<string, Command> = {
  server: { load: async () => { const m = await import('./server.js'); return { run: m.runServer, usage: m.SERVER_USAGE }; } },
  agent: {
    load: async () => {
      tuneHeapForNodeAgent();
      const m = await import('./agent.js');
      return { run: m.runAgent, usage: m.AGENT_USAGE };
    },
  },
  scheduler: { load: async () => { const m = await import('./scheduler.js'); return { run: m.runScheduler, usage: m.SCHEDULER_USAGE }; } },
  'controller-manager': {
    load: async () => { const m = await import('./controller-manager.js'); return { run: m.runControllerManager, usage: m.CONTROLLER_MANAGER_USAGE }; },
  },
  sim: { load: async () => { const m = await import('./sim.js'); return { run: m.runSim, usage: m.SIM_USAGE }; } },
  // `capstan image` handles its own --help per subcommand.
  image: { load: async () => { const m = await import('./image.js'); return { run: m.runImage }; } },
  killall: { load: async () => { const m = await import('./killall.js'); return { run: m.runKillAll, usage: m.KILLALL_USAGE }; } },
  proxy: {
    load: async () => {
      tuneHeapForNodeAgent();
      const m = await import('./proxy.js');
      return { run: m.runProxy, usage: m.PROXY_USAGE };
    },
  },
};

/**
 * For `capstan agent` and `capstan proxy` only, before their modules load: a heap sized for a long-lived node agent
 * whose live objects are ~15–20 MiB (the rest is garbage from pod syncs, watch events and process
 * spawns). V8 otherwise grows the young generation to two 16 MiB semi-spaces and lets the old
 * generation reach up to 4× the live size before collecting; measured with 50 pods that put the
 * agent at ~110 MiB of RSS. Here the young generation keeps its initial size (growth factor 1,
 * read at each growth) and the old generation may grow by half the live size between full GCs
 * (read at each GC; upstream's Go kubelet runs with GOGC=100, i.e. 2×). The cost is more, cheaper
 * collections. Node has no documented way to size the heap from inside the process
 * (`--max-semi-space-size` and `--max-old-space-size` are read only when the heap is set up);
 * `capstan server` keeps V8's defaults.
 */
function tuneHeapForNodeAgent(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
}

const USAGE = `Usage: capstan <command> [flags]

Commands:
  server    Run the control plane (API server on an embedded store)
  agent     Join a cluster with a token and run this host as a node
  scheduler Run the scheduler alone (leader-elected) against a cluster
  controller-manager
            Run the controllers alone (leader-elected) against a cluster
  proxy     Run the Service proxy for one node (nftables or iptables), or --cleanup its rules
  sim       Run N hollow nodes with a fake runtime, for scale tests
  image     List, pull, import and remove the node's images
  killall   Stop every container and pod sandbox of this node and remove their state
  version   Print the version

Run 'capstan <command> --help' for a command's flags.
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (known) {
    const { run, usage } = await known.load();
    if (usage !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(usage);
      return;
    }
    await run(rest);
    return;
  }
  switch (command) {
    case 'version':
    case '--version': {
      const { SERVER_VERSION } = await import('../apiserver/node-join.js');
      process.stdout.write(`capstan version ${SERVER_VERSION.gitVersion}\n`);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`capstan: unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}
