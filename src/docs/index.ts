/** The public API of the docs layer: generating the docs, the catalog, and serving them at /docs. */
export {
  buildDocs,
  generateDocs,
  DOCS_ASSETS_DIR,
  DOCS_DATA_FILE,
  type BuiltDocs,
  type DocsOptions,
  type GeneratedDocs,
} from './generate-docs';
export {
  readCatalog,
  writeCatalogJson,
  catalogRelations,
  CATALOG_SCHEMA_VERSION,
  type CatalogJson,
  type CatalogTable,
  type CatalogColumn,
} from './catalog';
export { buildDocsData, type DocsData, type DocsNode, type DocsTest, type DocsColumn } from './docs-data';
export { layoutLineage, type LineageLayout } from './lineage-layout';
export { createDocsRoute, DOCS_PATH, type DocsRoute, type DocsRouteOptions } from './docs-route';
