/**
 * `npm run docs`: registry-style pages in docs/ from the provider's own schema descriptions (the
 * document `npm run schema` prints) and the example files in examples/{provider,resources,
 * data-sources,functions}/, so the pages cannot drift from the code. CI regenerates and fails when
 * the committed pages are stale.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { providerSchemaJson } from '../src/tfplugin';
import { PROVIDER_NAME, SOURCE_ADDRESS } from '../src/provider/identity';
import { psremotingProvider } from '../src/provider/provider';

const repo = join(__dirname, '..');
const docsDir = join(repo, 'docs');
const examplesDir = join(repo, 'examples');

type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>];

interface AttributeJson {
  type?: CtyType;
  nested_type?: { attributes: Record<string, AttributeJson>; nesting_mode: string };
  description?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

interface BlockJson {
  attributes?: Record<string, AttributeJson>;
  block_types?: Record<string, { nesting_mode: string; block: BlockJson; min_items?: number; max_items?: number }>;
  description?: string;
}

interface FunctionJson {
  summary?: string;
  description?: string;
  return_type: CtyType;
  parameters?: { name: string; description?: string; type: CtyType }[];
  variadic_parameter?: { name: string; description?: string; type: CtyType };
}

interface ProviderSchemaJson {
  provider: { block: BlockJson };
  resource_schemas: Record<string, { block: BlockJson }>;
  data_source_schemas: Record<string, { block: BlockJson }>;
  functions?: Record<string, FunctionJson>;
}

function typeName(t: CtyType): string {
  if (typeof t === 'string') return t === 'bool' ? 'boolean' : t;
  if (t[0] === 'object') return 'object';
  return `${t[0]} of ${typeName(t[1] as CtyType)}`;
}

function attributeType(a: AttributeJson): string {
  if (a.nested_type) return `${a.nested_type.nesting_mode === 'single' ? '' : `${a.nested_type.nesting_mode} of `}object`;
  return typeName(a.type ?? 'dynamic');
}

/** One `- name (type[, flags]) description` line per attribute, and a nested schema section for nested attributes. */
function attributeList(attributes: [string, AttributeJson][], anchor: string, nested: string[]): string {
  return attributes
    .map(([name, a]) => {
      const flags = [attributeType(a), a.sensitive ? 'sensitive' : '', a.deprecated ? 'deprecated' : ''].filter(Boolean).join(', ');
      let line = `- \`${name}\` (${flags}) ${a.description ?? ''}`.trimEnd();
      if (a.nested_type) {
        const id = `nested-${anchor}-${name}`.replace(/_/g, '-');
        line += ` See [below for the nested schema](#${id}).`;
        nested.push(
          `<a id="${id}"></a>\n### Nested schema for \`${name}\`\n\n${attributeList(Object.entries(a.nested_type.attributes), `${anchor}-${name}`, nested)}`,
        );
      }
      return line;
    })
    .join('\n');
}

/** Argument reference (what the configuration sets) and attribute reference (what only the provider fills). */
function schemaSections(block: BlockJson, anchor: string): string {
  const entries = Object.entries(block.attributes ?? {});
  const required = entries.filter(([, a]) => a.required);
  const optional = entries.filter(([, a]) => a.optional);
  const readOnly = entries.filter(([, a]) => !a.required && !a.optional);
  const nested: string[] = [];
  const parts: string[] = [];
  if (required.length + optional.length > 0) {
    parts.push('## Argument Reference');
    if (required.length > 0) parts.push(`### Required\n\n${attributeList(required, anchor, nested)}`);
    if (optional.length > 0) parts.push(`### Optional\n\n${attributeList(optional, anchor, nested)}`);
  }
  // Nested blocks: a line among the arguments, and their own schema section (written as `name { ... }`).
  const blocks = Object.entries(block.block_types ?? {}).map(([name, b]) => {
    const id = `nested-${anchor}-${name}`.replace(/_/g, '-');
    nested.push(`<a id="${id}"></a>\n### Nested schema for \`${name}\` (block)\n\n${schemaSections(b.block, `${anchor}-${name}`)}`);
    const kind = b.nesting_mode === 'single' ? 'block' : `block ${b.nesting_mode}`;
    return `- \`${name}\` (${kind}) ${b.block.description ?? ''} See [below for the nested schema](#${id}).`;
  });
  if (blocks.length > 0) parts.push(`### Blocks\n\n${blocks.join('\n')}`);
  if (readOnly.length > 0) parts.push(`## Attribute Reference\n\n${attributeList(readOnly, anchor, nested)}`);
  return [...parts, ...nested].join('\n\n');
}

function example(relative: string): string {
  const file = join(examplesDir, relative);
  if (!existsSync(file)) throw new Error(`missing example examples/${relative}: every page shows one`);
  return readFileSync(file, 'utf8').trimEnd();
}

function frontMatter(title: string, description: string): string {
  const indented = description
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `---\npage_title: "${title}"\nsubcategory: ""\ndescription: |-\n${indented}\n---\n`;
}

const shortName = (type: string): string => type.replace(new RegExp(`^${PROVIDER_NAME}_`), '');

function resourcePage(type: string, block: BlockJson, importable: boolean): string {
  const description = block.description ?? '';
  const importSection = importable
    ? `\n\n## Import\n\nImport an existing one by its id:\n\n\`\`\`shell\n${example(`resources/${type}/import.sh`)}\n\`\`\`\n\nor with an \`import\` block (terraform 1.5+), as in the example above.`
    : '';
  return `${frontMatter(`${type} Resource - ${PROVIDER_NAME}`, description)}
# ${type} (Resource)

${description}

## Example Usage

\`\`\`terraform
${example(`resources/${type}/resource.tf`)}
\`\`\`

${schemaSections(block, 'resource')}${importSection}
`;
}

function dataSourcePage(type: string, block: BlockJson): string {
  const description = block.description ?? '';
  return `${frontMatter(`${type} Data Source - ${PROVIDER_NAME}`, description)}
# ${type} (Data Source)

${description}

## Example Usage

\`\`\`terraform
${example(`data-sources/${type}/data-source.tf`)}
\`\`\`

${schemaSections(block, 'data-source')}
`;
}

function functionPage(name: string, f: FunctionJson): string {
  const params = [
    ...(f.parameters ?? []),
    ...(f.variadic_parameter ? [{ ...f.variadic_parameter, name: `${f.variadic_parameter.name}...` }] : []),
  ];
  const signature = `${name}(${params.map((p) => `${p.name} ${typeName(p.type)}`).join(', ')}) ${typeName(f.return_type)}`;
  return `${frontMatter(`${name} function - ${PROVIDER_NAME}`, f.summary ?? '')}
# function: ${name}

${f.description ?? f.summary ?? ''}

Call it as \`provider::${PROVIDER_NAME}::${name}(…)\` (terraform 1.8+).

## Example Usage

\`\`\`terraform
${example(`functions/${name}/function.tf`)}
\`\`\`

## Signature

\`\`\`text
${signature}
\`\`\`

## Arguments

${params.map((p, i) => `${i + 1}. \`${p.name}\` (${typeName(p.type)}) ${p.description ?? ''}`.trimEnd()).join('\n')}
`;
}

function indexPage(schema: ProviderSchemaJson): string {
  const description = schema.provider.block.description ?? '';
  const link = (dir: string, type: string) => `- [${type}](${dir}/${shortName(type)}.md)`;
  return `${frontMatter(`${PROVIDER_NAME} Provider`, description)}
# ${PROVIDER_NAME} Provider

${description}

For CDK for Terraform (TypeScript), the repository's \`provider/\` folder holds the generated bindings and
fleet constructs (\`SessionConfigurationFleet\`, \`BuiltinEndpointTuning\`, \`CommandFleet\`).

## Example Usage

\`\`\`terraform
${example('provider/provider.tf')}
\`\`\`

${schemaSections(schema.provider.block, 'provider')}

## Resources

${Object.keys(schema.resource_schemas)
  .map((t) => link('resources', t))
  .join('\n')}

## Data Sources

${Object.keys(schema.data_source_schemas)
  .map((t) => link('data-sources', t))
  .join('\n')}

## Functions

${Object.keys(schema.functions ?? {})
  .map((n) => `- [${n}](functions/${n}.md)`)
  .join('\n')}
`;
}

function main(): void {
  const schema = (
    providerSchemaJson(psremotingProvider, SOURCE_ADDRESS) as unknown as { provider_schemas: Record<string, ProviderSchemaJson> }
  ).provider_schemas[SOURCE_ADDRESS];
  if (schema === undefined) throw new Error(`the schema has no provider ${SOURCE_ADDRESS}`);
  const importable = new Set(psremotingProvider.resources.filter((r) => r.import !== undefined).map((r) => r.typeName));
  const pages = new Map<string, string>([['index.md', indexPage(schema)]]);
  for (const [type, s] of Object.entries(schema.resource_schemas))
    pages.set(`resources/${shortName(type)}.md`, resourcePage(type, s.block, importable.has(type)));
  for (const [type, s] of Object.entries(schema.data_source_schemas))
    pages.set(`data-sources/${shortName(type)}.md`, dataSourcePage(type, s.block));
  for (const [name, f] of Object.entries(schema.functions ?? {})) pages.set(`functions/${name}.md`, functionPage(name, f));

  rmSync(docsDir, { recursive: true, force: true });
  for (const [file, text] of pages) {
    mkdirSync(dirname(join(docsDir, file)), { recursive: true });
    writeFileSync(join(docsDir, file), text);
  }
  process.stderr.write(`docs: ${pages.size} pages written to docs/\n`);
}

main();
