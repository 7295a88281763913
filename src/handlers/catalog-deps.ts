import type { CatalogServices } from "../domain/catalog/services";
import type { Db } from "../platform/db";

/** What the catalog's handlers hand to the domain: the database and the catalog services. */
export interface CatalogDeps extends CatalogServices {
  db: Db;
}
