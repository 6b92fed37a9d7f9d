/** Who this provider is to terraform. The install script derives the same address from package.json. */
export const PROVIDER_NAME = 'psremoting';
export const BINARY_NAME = `terraform-provider-${PROVIDER_NAME}`;
export const SOURCE_ADDRESS = `registry.terraform.io/${PROVIDER_NAME}/${PROVIDER_NAME}`;
