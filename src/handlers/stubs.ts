// Written by `npm run generate`: the stubs of every handler file, for app.ts. Do not edit.

/** Operations answered by a generated 501 stub; empty when every operation has its handler. */
export const handlerStubs = {};
