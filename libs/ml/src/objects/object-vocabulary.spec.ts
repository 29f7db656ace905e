import { cocoLabelFor, cocoLabelsIn } from './object-vocabulary';

describe('object vocabulary', () => {
  it('maps everyday words and plurals to COCO classes', () => {
    expect(cocoLabelFor('dog')).toBe('dog');
    expect(cocoLabelFor('Dogs')).toBe('dog');
    expect(cocoLabelFor('puppy')).toBe('dog');
    expect(cocoLabelFor('puppies')).toBe('dog');
    expect(cocoLabelFor('automobile')).toBe('car');
    expect(cocoLabelFor('motorbike')).toBe('motorcycle');
    expect(cocoLabelFor('women')).toBe('person');
    expect(cocoLabelFor('buses')).toBe('bus');
    expect(cocoLabelFor('quarterly')).toBeNull();
  });

  it('finds the classes a query names, two-word classes included, exclusions left out', () => {
    expect(cocoLabelsIn('a dog chasing a car')).toEqual(['dog', 'car']);
    expect(cocoLabelsIn('red traffic lights at night')).toEqual(['traffic light']);
    expect(cocoLabelsIn('boat -people')).toEqual(['boat']);
    expect(cocoLabelsIn('"quarterly sales review"')).toEqual([]);
  });
});
