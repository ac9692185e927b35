/** TypeScript models: define them with `defineModel`; MartQL loads and runs them like SQL models. */
export { defineModel, type TsModelContext, type TsModelDefinition, type TsModelRow } from './define-model';
export { loadTsModel } from './load-ts-model';
export { rowsAsCsv } from './rows-csv';
