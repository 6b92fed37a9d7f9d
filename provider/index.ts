/**
 * cdktf bindings for the psremoting provider: the generated resource, data source and provider
 * classes (provider/generated, from `npm run bindings`) and the hand-written fleet constructs.
 */
export * from './generated';
export * from './constructs';
