export * from './derived-data';
export * from './embedding-dimensions';
export * from './entities';
export * from './enums';
export * from './migrate';
export * from './orm-options';
export * from './database.module';
