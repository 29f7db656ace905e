import { deletionOrder } from './deletion-order';

describe('deletionOrder', () => {
  it('empties referencing tables before the tables they reference', () => {
    const keys = [
      { child: 'scenes', parent: 'videos' },
      { child: 'faces', parent: 'videos' },
      { child: 'faces', parent: 'scenes' },
      { child: 'faces', parent: 'people' },
      { child: 'pipeline_jobs', parent: 'videos' },
    ];
    const order = deletionOrder(['videos', 'people', 'scenes', 'faces'], keys);
    expect(order).toHaveLength(4);
    const at = (t: string) => order.indexOf(t);
    expect(at('faces')).toBeLessThan(at('scenes'));
    expect(at('scenes')).toBeLessThan(at('videos'));
    expect(at('faces')).toBeLessThan(at('people'));
  });

  it('keeps tables in a cycle (and self references) instead of dropping them', () => {
    const order = deletionOrder(
      ['a', 'b', 'c'],
      [
        { child: 'a', parent: 'b' },
        { child: 'b', parent: 'a' },
        { child: 'c', parent: 'c' },
      ],
    );
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
    expect(order[0]).toBe('c');
  });
});
