/**
 * How the demo and the end-to-end test run the cdktf CLI on this example without touching anything
 * outside the repository: terraform finds the provider in the repository's mirror (.terraformrc),
 * cdktf's home (~/.cdktf) moves into the working directory, and the plugin cache cdktf would set up in
 * ~/.terraform.d stays off (it serves a rebuilt provider of the same version stale).
 */
import { join } from 'node:path';

/** The stack name examples/cdktf/main.ts synthesizes. */
export const CDKTF_STACK = 'psremoting-example';

/** Where cdktf writes the synthesized stacks for a working directory. */
export const cdktfOutputDir = (workdir: string): string => join(workdir, 'cdktf.out');

/** The example's local state in a directory (cdktf's own default name, outside cdktf.out which synth rewrites). */
export const stateFile = (dir: string): string => join(dir, `terraform.${CDKTF_STACK}.tfstate`);

/** The stack's directory, where terraform runs (and keeps terraform.tfstate). */
export const cdktfStackDir = (workdir: string): string => join(cdktfOutputDir(workdir), 'stacks', CDKTF_STACK);

/** The environment for `cdktf` and for `terraform` in the stack directory; inherited TF_* settings are dropped. */
export function cdktfEnv(repo: string, workdir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TF_') && !k.startsWith('CDKTF_')) env[k] = v;
  return {
    ...env,
    TF_CLI_CONFIG_FILE: join(repo, '.terraformrc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    PSREMOTING_STATE_DIR: workdir,
    CDKTF_HOME: join(workdir, 'cdktf-home'),
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
    DISABLE_VERSION_CHECK: '1',
    // Plain line output instead of cdktf's interactive terminal UI.
    CI: '1',
    ...extra,
  };
}
