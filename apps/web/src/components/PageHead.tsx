import type { ReactNode } from 'react';
import { Link } from '../router';

/** A page's title, with an optional way back and something on the right (a state badge). */
export function PageHead({ title, back, children }: { title: string; back?: { href: string; label: string }; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        {back && (
          <Link href={back.href} className="back">
            ← {back.label}
          </Link>
        )}
        <h1>{title}</h1>
      </div>
      {children}
    </div>
  );
}

/** Column headings; an empty one is named for screen readers only. */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col" key={c}>
            {c.startsWith('(') ? <span className="visually-hidden">{c.slice(1, -1)}</span> : c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
