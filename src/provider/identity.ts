/** Who this provider is to terraform. scripts/provider-install.js installs it under the same address. */
export const PROVIDER_NAME = 'psremoting';
export const BINARY_NAME = `terraform-provider-${PROVIDER_NAME}`;
/**
 * A registry host of our own, not the public registry's namespace: a terraform run without the
 * repository's CLI configuration then fails to find the provider instead of fetching whatever someone
 * might publish as psremoting/psremoting. `.invalid` never resolves (RFC 6761 6.4).
 */
export const REGISTRY_HOST = 'registry.psremoting.invalid';
export const SOURCE_ADDRESS = `${REGISTRY_HOST}/${PROVIDER_NAME}/${PROVIDER_NAME}`;
