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
      keepYoungGenerationSmall();
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
};

/**
 * For `capstan agent` only, before its modules load: V8 doubles the young generation (up to two
 * 16 MiB semi-spaces) as the process runs, and with its short-lived garbage (pod syncs, watch
 * events, process spawns) a node agent holding ~15 MiB of live objects ended with ~16 MiB of RSS
 * in semi-spaces. Keeping the initial size costs only more (cheap) scavenges. Node offers no
 * documented way to set `--max-semi-space-size` from inside the process (it is read when the heap
 * is set up; a growth factor of 1 is read at each growth), and `capstan server` keeps V8's default.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

const USAGE = `Usage: capstan <command> [flags]

Commands:
  server    Run the control plane (API server on an embedded store)
  agent     Join a cluster with a token and run this host as a node
  scheduler Run the scheduler alone (leader-elected) against a cluster
  controller-manager
            Run the controllers alone (leader-elected) against a cluster
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
