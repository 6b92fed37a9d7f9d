/**
 * Reading and writing a setting at its place in the plugin document (declared per setting in
 * settings.ts), and the SDDL on the endpoint's Resource/Security, as the cmdlets write them. Reading
 * (observe) and writing (register, apply) both go through here.
 */
import { RESOURCE_URI } from '../../wsman/soap';
import {
  emptyExtra,
  getInitParam,
  getQuota,
  removeInitParam,
  setInitParam,
  setQuota,
  type PluginConfig,
  type PluginResource,
  type PluginSecurity,
} from '../../wsman/config';
import { parseBool, INT32_MAX } from '../../wsman/xml';
import type { PluginLocation, SettingKind } from './settings';

/** The wire text of a boolean: xs:boolean's canonical lower-case form, which every WinRM version accepts. */
export function boolText(v: boolean): string {
  return v ? 'true' : 'false';
}

/**
 * Writes one directly mapped setting. An empty string removes an initialization parameter, as
 * Set-PSSessionConfiguration does for "" (Set-PSSessionConfiguration.md).
 */
export function writeDirect(config: PluginConfig, mapping: PluginLocation, value: number | string | boolean): void {
  switch (mapping.kind) {
    case 'quota':
      setQuota(config, mapping.quota, String(Math.round(Number(value) * mapping.scale)));
      return;
    case 'attribute':
      config[mapping.key] = typeof value === 'boolean' ? boolText(value) : String(value);
      return;
    case 'param':
      if (value === '') removeInitParam(config, mapping.param);
      else setInitParam(config, mapping.param, String(value));
  }
}

/** What a host reports for a quota in seconds: ms / 1000, except the cmdlet's "unlimited" stored raw. */
function quotaSetting(ms: number, scale: number): number {
  if (scale === 1000 && ms === INT32_MAX) return Math.floor(INT32_MAX / 1000);
  return ms / scale;
}

/** Reads one directly mapped setting, or undefined when the document does not carry it (or it does not parse). */
export function readDirect(config: PluginConfig, mapping: PluginLocation, kind: SettingKind): number | string | boolean | undefined {
  switch (mapping.kind) {
    case 'quota': {
      const ms = numberOf(getQuota(config, mapping.quota));
      return ms === undefined ? undefined : quotaSetting(ms, mapping.scale);
    }
    case 'attribute':
      return typed(config[mapping.key], kind);
    case 'param':
      return typed(getInitParam(config, mapping.param), kind);
  }
}

function typed(raw: string | undefined, kind: SettingKind): number | string | boolean | undefined {
  if (raw === undefined) return undefined;
  if (kind === 'string') return raw;
  if (kind === 'bool') return parseBool(raw);
  return numberOf(raw);
}

/** A number as the document writes it; undefined when absent, blank or not a finite number. */
function numberOf(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  const n = Number(text);
  return text === undefined || text === '' || !Number.isFinite(n) ? undefined : n;
}

/** The Resource of the endpoint (`…/powershell/<name>`), else the first one. */
function endpointResource(config: PluginConfig): PluginResource | undefined {
  const uri = `${RESOURCE_URI.powershellPrefix}${config.name ?? ''}`.toLowerCase();
  return config.resources.find((r) => r.resourceUri?.toLowerCase() === uri) ?? config.resources[0];
}

export function readSddl(config: PluginConfig): string | undefined {
  return endpointResource(config)?.securities[0]?.sddl;
}

/** Sets the endpoint's SDDL, creating the Security element (and Resource) the way Register writes them. */
export function writeSddl(config: PluginConfig, sddl: string): void {
  let resource = endpointResource(config);
  if (!resource) {
    resource = newResource(`${RESOURCE_URI.powershellPrefix}${config.name ?? ''}`);
    config.resources.push(resource);
  }
  const security = resource.securities[0];
  if (security) security.sddl = sddl;
  else resource.securities.push(newSecurity(resource.resourceUri ?? '', sddl));
}

export function newSecurity(uri: string, sddl: string): PluginSecurity {
  return { uri, exactMatch: 'true', sddl, extra: emptyExtra() };
}

export function newResource(uri: string): PluginResource {
  return { resourceUri: uri, supportsOptions: 'true', exactMatch: 'true', securities: [], capabilities: [], extra: emptyExtra() };
}
