// `capstan <command>`: wiring only. Each subcommand parses its flags and hands them to a role.
import { runServer, SERVER_USAGE } from './server.js';
import { runScheduler, SCHEDULER_USAGE } from './scheduler.js';
import { runControllerManager, CONTROLLER_MANAGER_USAGE } from './controller-manager.js';
import { runSim, SIM_USAGE } from './sim.js';
import { runImage } from './image.js';
import { runKillAll, KILLALL_USAGE } from './killall.js';
import { runAgent, AGENT_USAGE } from './agent.js';
import { runProxy, PROXY_USAGE } from './proxy.js';

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
  switch (command) {
    case 'server':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(SERVER_USAGE);
        return;
      }
      await runServer(rest);
      return;
    case 'agent':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(AGENT_USAGE);
        return;
      }
      await runAgent(rest);
      return;
    case 'scheduler':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(SCHEDULER_USAGE);
        return;
      }
      await runScheduler(rest);
      return;
    case 'controller-manager':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(CONTROLLER_MANAGER_USAGE);
        return;
      }
      await runControllerManager(rest);
      return;
    case 'proxy':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(PROXY_USAGE);
        return;
      }
      await runProxy(rest);
      return;
    case 'sim':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(SIM_USAGE);
        return;
      }
      await runSim(rest);
      return;
    case 'image':
      await runImage(rest);
      return;
    case 'killall':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(KILLALL_USAGE);
        return;
      }
      await runKillAll(rest);
      return;
    case 'version':
    case '--version': {
      const { SERVER_VERSION } = await import('../apiserver/index.js');
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
