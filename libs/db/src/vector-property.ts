import type { PropertyOptions } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';

/**
 * A pgvector column through pgvector's own MikroORM type: JS sees number[], never a string.
 * `dimensions` is read by VectorType but missing from MikroORM's option typings.
 */
export function vectorProperty(dimensions: number, opts: { nullable?: boolean } = {}): PropertyOptions<object> {
  const options: PropertyOptions<object> & { dimensions: number } = {
    type: VectorType,
    columnType: `vector(${dimensions})`,
    dimensions,
    nullable: opts.nullable ?? false,
  };
  return options;
}
