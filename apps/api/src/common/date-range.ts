import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Years Postgres and every client agree on: ISO 8601 allows ±YYYYYY, which timestamptz parsing does not take back. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** A date (Date or ISO 8601 string) in the years 1 to 9999. */
export function InDateRange(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'inDateRange',
      validator: {
        validate: (value: unknown) => {
          const t = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
          return Number.isFinite(t) && t >= EARLIEST && t <= LATEST && !(typeof value === 'string' && /^[+-]/.test(value));
        },
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a date between the years 1 and 9999`,
      },
    },
    options,
  );
}
