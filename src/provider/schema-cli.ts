/** `npm run schema`: the provider schema as `terraform providers schema -json` prints it (for cdktf bindings). */
import { providerSchemaJson } from '../tfplugin';
import { SOURCE_ADDRESS } from './identity';
import { psremotingProvider } from './provider';

process.stdout.write(`${JSON.stringify(providerSchemaJson(psremotingProvider, SOURCE_ADDRESS), null, 2)}\n`);
