/**
 * The scripts a file operation runs in a session on the host's administrative endpoint. They run in
 * Windows PowerShell 5.1 as well as PowerShell 7, so they use .NET Framework APIs only (no
 * File.Move overwrite overload; [NullString]::Value where .NET wants a null string, since PowerShell turns $null into ""). Paths go through the session's path resolution
 * (SessionState.Path.GetUnresolvedProviderPathFromPSPath, what Copy-Item -ToSession's helper uses), so a
 * PowerShell drive path and a native path both reach the file system provider's own path. Content comes
 * as pipeline input only, never in script text, so no error record quotes it.
 */

const RESOLVE = '$target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)';

/** The temporary file beside the target: same folder, so the final move is a rename on one volume. */
const TEMP =
  "$dir = [IO.Path]::GetDirectoryName($target); $temp = [IO.Path]::Combine($dir, '.' + [IO.Path]::GetFileName($target) + '.' + $Id + '.partial')";

/**
 * One batch of base64 chunks appended to the temporary file (the first batch creates it and the parent
 * folders); the last batch moves it into place atomically (File.Replace over an existing file, which
 * keeps its ACL and attributes, File.Move otherwise) and answers the SHA-256 the host computes.
 */
export const WRITE_BATCH = `param([string]$Path, [string]$Id, [bool]$First, [bool]$Last)
$ErrorActionPreference = 'Stop'
${RESOLVE}
${TEMP}
if ($First) { $null = [IO.Directory]::CreateDirectory($dir) }
$mode = if ($First) { [IO.FileMode]::Create } else { [IO.FileMode]::Append }
$stream = [IO.File]::Open($temp, $mode, [IO.FileAccess]::Write, [IO.FileShare]::None)
try {
  foreach ($chunk in $input) { $bytes = [Convert]::FromBase64String($chunk); $stream.Write($bytes, 0, $bytes.Length) }
} finally { $stream.Dispose() }
if ($Last) {
  if ([IO.Directory]::Exists($target)) { throw "$Path is a folder" }
  if ([IO.File]::Exists($target)) { $null = [IO.File]::Replace($temp, $target, [NullString]::Value) } else { [IO.File]::Move($temp, $target) }
  (Get-FileHash -LiteralPath $target -Algorithm SHA256).Hash
}`;

/** Removes the temporary file of a write that failed part way. */
export const DISCARD_PARTIAL = `param([string]$Path, [string]$Id)
${RESOLVE}
${TEMP}
if ([IO.File]::Exists($temp)) { [IO.File]::Delete($temp) }`;

/** "<SHA-256> <length>" of a file, nothing when it does not exist. */
export const STAT = `param([string]$Path)
$ErrorActionPreference = 'Stop'
${RESOLVE}
if ([IO.Directory]::Exists($target)) { throw "$Path is a folder" }
if ([IO.File]::Exists($target)) { '{0} {1}' -f (Get-FileHash -LiteralPath $target -Algorithm SHA256).Hash, ([IO.FileInfo]$target).Length }`;

/** A file's content as base64, "too-large <length>" beyond the bound, nothing when it does not exist. */
export const READ = `param([string]$Path, [long]$MaxBytes)
$ErrorActionPreference = 'Stop'
${RESOLVE}
if ([IO.Directory]::Exists($target)) { throw "$Path is a folder" }
if ([IO.File]::Exists($target)) {
  $length = ([IO.FileInfo]$target).Length
  if ($length -gt $MaxBytes) { "too-large $length" } else { 'content ' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($target)) }
}`;

/** Deletes a file; answers whether it existed. */
export const REMOVE = `param([string]$Path)
$ErrorActionPreference = 'Stop'
${RESOLVE}
if ([IO.Directory]::Exists($target)) { throw "$Path is a folder" }
if ([IO.File]::Exists($target)) { [IO.File]::Delete($target); $true } else { $false }`;
