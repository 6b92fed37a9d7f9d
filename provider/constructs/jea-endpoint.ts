import { Construct } from 'constructs';
import { File, type FileConfig } from '../generated/file';
import { RoleCapability, type RoleCapabilityConfig } from '../generated/role-capability';
import { SessionConfiguration, type SessionConfigurationConfigurationFile } from '../generated/session-configuration';
import { buildPerHost, hostMetaArguments, type FleetProps, type HostIndexed } from './per-host';
import type { EndpointSettings } from './session-configuration-fleet';

type MetaArguments = 'provider' | 'dependsOn' | 'count' | 'forEach' | 'lifecycle' | 'provisioners' | 'connection';

/** A role capability's fields (.psrc): everything psremoting_role_capability takes but where it lives. */
export type RoleCapabilitySettings = Omit<RoleCapabilityConfig, 'host' | 'module' | 'modulePath' | 'name' | MetaArguments>;

/** The session configuration file's fields, but the role definitions (given as `roleDefinitions` of the construct). */
export type JeaConfigurationFile = Omit<SessionConfigurationConfigurationFile, 'roleDefinitions'>;

/** A file of the module besides its role capabilities (a .psm1 with the functions they make visible): its content. */
export type ModuleFileContent = Pick<FileConfig, 'content' | 'contentBase64' | 'source' | 'sensitiveContent'>;

export interface JeaEndpointProps extends FleetProps {
  /** The endpoint name (what `New-PSSession -ConfigurationName` takes), the same on every host. */
  readonly name: string;
  /** The module that holds the role capabilities, e.g. "ContosoJea". */
  readonly module: string;
  /** The module folder on the hosts. Default `C:\Program Files\WindowsPowerShell\Modules\<module>` (on PSModulePath). */
  readonly modulePath?: string;
  /** The role capabilities, by name: one .psrc each in the module's RoleCapabilities folder. */
  readonly roleCapabilities: Readonly<Record<string, RoleCapabilitySettings>>;
  /**
   * Who gets which role capabilities: a user or group (`CONTOSO\JEA_Operators`) to names of `roleCapabilities`.
   * A name that is not declared there is an error at synth.
   */
  readonly roleDefinitions: Readonly<Record<string, readonly string[]>>;
  /** The rest of the session configuration file. Default: `sessionType` "RestrictedRemoteServer" and nothing else. */
  readonly configurationFile?: JeaConfigurationFile;
  /** Files of the module by path relative to its folder (`ContosoJea.psm1`), written before the role capabilities. */
  readonly moduleFiles?: Readonly<Record<string, ModuleFileContent>>;
  /** The endpoint's other settings (transport options, access, verify). */
  readonly settings?: Omit<EndpointSettings, 'configurationFile'>;
  /** Per-host exceptions of `settings`, keyed by an entry of `hosts`. */
  readonly overrides?: Readonly<Record<string, Omit<EndpointSettings, 'configurationFile'>>>;
}

/** What a JEA endpoint is on one host. */
export interface JeaEndpointOnHost {
  readonly endpoint: SessionConfiguration;
  readonly roleCapabilities: ReadonlyMap<string, RoleCapability>;
  readonly moduleFiles: ReadonlyMap<string, File>;
}

const DEFAULT_MODULES_FOLDER = 'C:\\Program Files\\WindowsPowerShell\\Modules';

/**
 * A Just Enough Administration endpoint on every host of a fleet: the module's files
 * (`psremoting_file`), its role capabilities (`psremoting_role_capability`, which creates the module's
 * manifest when missing), and the endpoint (`psremoting_session_configuration` with its
 * `configuration_file` and role definitions), each host's endpoint waiting for that host's role
 * capabilities and those for its module files. After each write the endpoint is verified by a session
 * as the provider's user (`session_view`: language mode and visible commands), and a refresh that finds
 * another command set (a role capability edited on the host) is drift.
 *
 * @example
 * new JeaEndpoint(stack, 'ops', {
 *   hosts: ['win1', 'win2'],
 *   name: 'Ops.Jea',
 *   module: 'OpsJea',
 *   moduleFiles: { 'OpsJea.psm1': { content: 'function Get-OpsStatus { "ok" }' } },
 *   roleCapabilities: {
 *     Operator: { visibleFunctions: [{ name: 'Get-OpsStatus' }], visibleCmdlets: [{ name: 'Restart-Service', parameters: [{ name: 'Name', validateSet: ['Spooler'] }] }] },
 *   },
 *   roleDefinitions: { 'CONTOSO\\JEA_Operators': ['Operator'] },
 *   configurationFile: { runAsVirtualAccount: true, transcriptDirectory: 'C:\\ProgramData\\JeaTranscripts' },
 * });
 */
export class JeaEndpoint extends Construct implements HostIndexed {
  /** Each host's endpoint, role capabilities and module files, in the order of `hosts`. */
  public readonly byHost: ReadonlyMap<string, JeaEndpointOnHost>;

  constructor(scope: Construct, id: string, props: JeaEndpointProps) {
    super(scope, id);
    const declared = new Set(Object.keys(props.roleCapabilities));
    for (const [principal, roles] of Object.entries(props.roleDefinitions)) {
      const missing = roles.filter((r) => !declared.has(r));
      if (missing.length > 0)
        throw new Error(
          `${this.node.path}: roleDefinitions of "${principal}" name role capabilities not in roleCapabilities: ${missing.join(', ')}`,
        );
    }
    const modulePath = props.modulePath ?? `${DEFAULT_MODULES_FOLDER}\\${props.module}`;
    const roleDefinitions = Object.fromEntries(
      Object.entries(props.roleDefinitions).map(([principal, roles]) => [principal, { roleCapabilities: [...roles] }]),
    );
    this.byHost = buildPerHost(this, props.hosts, Object.keys(props.overrides ?? {}), (childId, host) => {
      const scopeOfHost = new Construct(this, childId);
      const meta = (after: File[] | RoleCapability[] = []) => {
        const base = hostMetaArguments(props, host);
        const dependsOn = [...(base.dependsOn ?? []), ...after];
        return { ...(base.provider ? { provider: base.provider } : {}), ...(dependsOn.length > 0 ? { dependsOn } : {}) };
      };
      const moduleFiles = new Map(
        Object.entries(props.moduleFiles ?? {}).map(([relative, content]) => [
          relative,
          new File(scopeOfHost, `file-${constructIdOf(relative)}`, {
            ...content,
            host,
            path: `${modulePath}\\${relative.replace(/\//g, '\\')}`,
            ...meta(),
          }),
        ]),
      );
      const roleCapabilities = new Map(
        Object.entries(props.roleCapabilities).map(([name, fields]) => [
          name,
          new RoleCapability(scopeOfHost, `role-${constructIdOf(name)}`, {
            ...fields,
            host,
            module: props.module,
            modulePath,
            name,
            ...meta([...moduleFiles.values()]),
          }),
        ]),
      );
      const endpoint = new SessionConfiguration(scopeOfHost, 'endpoint', {
        ...props.settings,
        ...props.overrides?.[host],
        host,
        name: props.name,
        configurationFile: { sessionType: 'RestrictedRemoteServer', ...props.configurationFile, roleDefinitions },
        ...meta([...roleCapabilities.values()]),
      });
      return { endpoint, roleCapabilities, moduleFiles };
    });
  }

  resourceFor(host: string): SessionConfiguration | undefined {
    return this.byHost.get(host)?.endpoint;
  }
}

/** A construct id for a name or relative path (no '/'). */
function constructIdOf(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
