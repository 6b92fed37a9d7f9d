/**
 * What a file path on a host may be: an absolute path on a drive (`C:\folder\file.txt`), checked
 * against the rules of Microsoft Learn "Naming Files, Paths, and Namespaces" (reserved characters and
 * device names, no trailing space or dot, 255 characters per component). Relative paths, `..`, UNC
 * paths (a second hop the session cannot make with the caller's credentials) and device paths are refused.
 */

/** The longest path the Win32 file APIs take with long paths enabled. */
const MAX_PATH_LENGTH = 32_767;
const MAX_COMPONENT_LENGTH = 255;
const RESERVED_NAME = /^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$/i;
const RESERVED_CHARACTER = /[<>:"/\\|?*]/;

function hasControlCharacter(s: string): boolean {
  for (const c of s) if (c.charCodeAt(0) < 32) return true;
  return false;
}

/** Why `path` is not a usable file path on a host, or undefined when it is. */
export function windowsPathProblem(path: string): string | undefined {
  if (path.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (path.includes('/')) return 'must use backslashes (\\) as separators, as Windows paths do';
  if (!/^[A-Za-z]:\\/.test(path)) return 'must be an absolute path on a drive, such as C:\\ProgramData\\app\\settings.json';
  const components = path.slice(3).split('\\');
  if (components.length === 1 && components[0] === '') return 'names a drive, not a file';
  for (const c of components) {
    if (c === '') return path.endsWith('\\') ? 'must name a file, not end with a backslash' : 'has an empty component (\\\\)';
    if (c === '.' || c === '..') return 'must not contain "." or ".." components';
    if (c.length > MAX_COMPONENT_LENGTH) return `has a component longer than ${MAX_COMPONENT_LENGTH} characters`;
    if (hasControlCharacter(c)) return 'has a control character';
    if (RESERVED_CHARACTER.test(c)) return `has a reserved character (< > : " | ? *) in "${c}"`;
    if (c.endsWith(' ') || c.endsWith('.')) return `has a component ending in a space or a dot ("${c}"), which Windows drops`;
    if (RESERVED_NAME.test(c)) return `uses the reserved device name "${c}"`;
  }
  return undefined;
}
