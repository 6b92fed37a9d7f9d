/**
 * The fleet example's inputs and file layout, shared by its app (main.ts) and its end-to-end test.
 *
 *   PSREMOTING_HOST_GROUPS  groups of hosts, one stack each: `web=win1,win2;db=win3` (required);
 *                           a host is name, name:port, or http(s)://name:port/wsman
 *   PSREMOTING_STATE_DIR    where each stack's local state lives (default: the directory cdktf runs in)
 */
import { join } from 'node:path';

/** The stack of a host group: its id for `cdktf deploy <stack>`, and its workspace name on a runner. */
export const stackName = (group: string): string => `fleet-${group}`;

/** One state per stack: deploying one group never reads or locks another's. */
export const fleetStateFile = (dir: string, group: string): string => join(dir, `terraform.${stackName(group)}.tfstate`);

const GROUP_NAME = /^[a-z][a-z0-9-]*$/;

export function hostGroupsFromEnv(text = process.env.PSREMOTING_HOST_GROUPS ?? ''): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const group = part.slice(0, eq).trim();
    const hosts = part
      .slice(eq + 1)
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    if (eq < 0 || !GROUP_NAME.test(group) || hosts.length === 0) {
      throw new Error(`PSREMOTING_HOST_GROUPS: "${part}" is not group=host,host (group: lower-case letters, digits, dashes)`);
    }
    if (groups.has(group)) throw new Error(`PSREMOTING_HOST_GROUPS: group "${group}" appears twice`);
    groups.set(group, hosts);
  }
  if (groups.size === 0) throw new Error('set PSREMOTING_HOST_GROUPS, e.g. web=win1,win2;db=win3');
  return groups;
}
