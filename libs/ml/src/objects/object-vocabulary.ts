import { COCO_LABELS } from './coco-labels';

/**
 * Everyday words for the COCO classes (curated: synonyms, hyponyms people search by, British and
 * American names). Keys are lower-case, one or two words; plurals are folded before lookup.
 */
const SYNONYMS: Record<string, string> = {
  people: 'person',
  man: 'person',
  men: 'person',
  woman: 'person',
  women: 'person',
  child: 'person',
  children: 'person',
  kid: 'person',
  boy: 'person',
  girl: 'person',
  human: 'person',
  pedestrian: 'person',
  astronaut: 'person',
  bike: 'bicycle',
  cycle: 'bicycle',
  automobile: 'car',
  auto: 'car',
  sedan: 'car',
  taxi: 'car',
  cab: 'car',
  motorbike: 'motorcycle',
  scooter: 'motorcycle',
  plane: 'airplane',
  aeroplane: 'airplane',
  aircraft: 'airplane',
  jet: 'airplane',
  coach: 'bus',
  lorry: 'truck',
  pickup: 'truck',
  'pickup truck': 'truck',
  ship: 'boat',
  sailboat: 'boat',
  yacht: 'boat',
  ferry: 'boat',
  canoe: 'boat',
  kayak: 'boat',
  'traffic signal': 'traffic light',
  hydrant: 'fire hydrant',
  puppy: 'dog',
  pup: 'dog',
  hound: 'dog',
  doggy: 'dog',
  kitten: 'cat',
  kitty: 'cat',
  pony: 'horse',
  foal: 'horse',
  lamb: 'sheep',
  cattle: 'cow',
  calf: 'cow',
  bull: 'cow',
  ox: 'cow',
  rucksack: 'backpack',
  purse: 'handbag',
  luggage: 'suitcase',
  ball: 'sports ball',
  football: 'sports ball',
  soccer: 'sports ball',
  racket: 'tennis racket',
  mug: 'cup',
  sofa: 'couch',
  table: 'dining table',
  plant: 'potted plant',
  television: 'tv',
  telly: 'tv',
  monitor: 'tv',
  notebook: 'laptop',
  computer: 'laptop',
  phone: 'cell phone',
  smartphone: 'cell phone',
  mobile: 'cell phone',
  'mobile phone': 'cell phone',
  cellphone: 'cell phone',
  fridge: 'refrigerator',
  doughnut: 'donut',
  'hair dryer': 'hair drier',
  hairdryer: 'hair drier',
  teddy: 'teddy bear',
};

const LABELS = new Set<string>(COCO_LABELS);
const IRREGULAR_PLURALS: Record<string, string> = { knives: 'knife', buses: 'bus', benches: 'bench', sandwiches: 'sandwich', skis: 'skis' };

/** A word or two → the COCO class it names, or null. */
export function cocoLabelFor(phrase: string): string | null {
  const p = phrase.toLowerCase().trim().replace(/\s+/g, ' ');
  for (const candidate of [p, IRREGULAR_PLURALS[p], p.replace(/ies$/, 'y'), p.replace(/es$/, ''), p.replace(/s$/, '')]) {
    if (!candidate) continue;
    if (LABELS.has(candidate)) return candidate;
    if (SYNONYMS[candidate]) return SYNONYMS[candidate];
  }
  return null;
}

/**
 * The COCO classes a search query names: its words and two-word phrases, in query order. Words
 * after a `-` (websearch exclusion) are left out.
 */
export function cocoLabelsIn(query: string): string[] {
  const words = query
    .split(/\s+/)
    .filter((w) => w && !w.startsWith('-') && w !== 'OR')
    .map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = i + 1 < words.length ? cocoLabelFor(`${words[i]} ${words[i + 1]}`) : null;
    const label = pair ?? cocoLabelFor(words[i]);
    if (pair) i++;
    if (label && !out.includes(label)) out.push(label);
  }
  return out;
}
