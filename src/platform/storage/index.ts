export { folderStorage } from "./folder.ts";
export { assertStorageKey, contentTypeOfKey, isStorageKey } from "./key.ts";
export type { FileStorage, StoredFile } from "./types.ts";
