// PowerShell data files (.psd1, .pssc, .psrc): the one codec the host and the emulator share. Imports only src/common.

export { decodeDataFile, encodeDataFile } from './file-encoding';
export { parsePsd1, parsePsd1Value, readPsd1, PSD1_LIMITS } from './psd1-parse';
export { renderPsd1, renderValue } from './psd1-render';
export {
  entry,
  hashtable,
  isHashtable,
  isScriptBlock,
  locatedEntry,
  scriptBlock,
  Psd1Error,
  type Psd1Document,
  type Psd1Hashtable,
  type Psd1Located,
  type Psd1Position,
  type Psd1ScriptBlock,
  type Psd1Span,
  type Psd1Value,
} from './psd1-value';
export { PsDataError, type PsDataErrorKind } from './psdata-error';
