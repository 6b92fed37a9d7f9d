export { readableStderr, decodeClixmlString } from './clixml-stderr';
export { BoundedOutput } from './bounded-output';
