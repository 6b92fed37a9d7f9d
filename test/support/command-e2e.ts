/** Shared by the psremoting_command tests (end-to-end and handler tests): the provider block for the emulator, HCL quoting, shell counts. */
import { DEFAULT_USER, EmulatorControl, type EmulatorHandle } from '../../src/emulator';
import { requiredProviders } from './terraform';

/** Basic over http needs allow_unencrypted on both sides; the emulator is started with it. */
export function commandProviderBlock(extra = ''): string {
  return `${requiredProviders('psremoting')}
provider "psremoting" {
  auth              = "basic"
  username          = ${hcl(DEFAULT_USER.name)}
  password          = ${hcl(DEFAULT_USER.password)}
  allow_unencrypted = true
${extra}}
`;
}

/** An HCL quoted string: JSON escapes plus HCL's template sequences. */
export const hcl = (s: string): string => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** Live shells on one emulated host, from the control API's shell listing. */
export async function liveShells(emulator: EmulatorHandle, host: string): Promise<number> {
  return (await new EmulatorControl(emulator.control).shells(host)).length;
}
