export * from './client-bodies';
export { ENUMS, enumMemberName, enumValue, type EnumMember, type EnumName } from './enums';
export * from './records';
export * from './server-bodies';
export * from './command-metadata';
