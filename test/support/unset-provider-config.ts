import { providerSchema } from '../../src/provider/configuration/provider-schema';
import type { ProviderConfig } from '../../src/provider/configuration/provider-settings';

/** Every provider attribute unset, derived from the schema so an added attribute needs no edit in tests or benches. */
export const UNSET_PROVIDER_CONFIG = Object.fromEntries(
  Object.keys(providerSchema.attributes).map((k) => [k, null]),
) as unknown as ProviderConfig;
