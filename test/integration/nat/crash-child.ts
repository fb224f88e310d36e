// Builds a NAT network, starts a process inside a home, prints the namespace prefix, and waits
// to be killed: netns.test.ts SIGKILLs it and checks that nothing of the network is left.
import { spawn } from 'node:child_process';
import { createNatNet } from '../../support/netns.ts';

const net = await createNatNet({ publicHosts: ['pub'], homes: [{ name: 'home', nat: 'eim' }] });
const [cmd, args] = net.argv(net.homes.home!.ns, 'sleep', ['600']);
spawn(cmd, args, { stdio: 'ignore', detached: true }).unref();
console.log(net.prefix);
setInterval(() => undefined, 1000);
