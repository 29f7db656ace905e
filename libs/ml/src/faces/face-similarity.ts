/** Cosine similarity; for L2-normalised descriptors (what FaceEngine gives) this is the dot product. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`descriptors differ in length: ${a.length} vs ${b.length}`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

export interface KnownPerson {
  personId: string;
  /** Descriptors of this person's enrolled faces, from the same model as the faces matched. */
  exemplars: readonly Float32Array[];
}

export interface FaceMatch {
  personId: string;
  /** Similarity to the person's nearest exemplar. */
  similarity: number;
}

export interface FaceMatchRule {
  /** The least similarity (cosine) to the person's nearest exemplar. */
  threshold: number;
  /** How far the best person must be ahead of the second best. */
  margin: number;
}

/**
 * Which known person each face of ONE frame (or one track) is, precision first. A face gets a
 * person only when the person's nearest exemplar is at least `threshold` similar and no other
 * person comes within `margin` of it; a person goes to at most one face, the more similar one
 * (two faces exactly as similar: neither, as one of them is certainly wrong). Everything else
 * is null: unknown is better than misnamed.
 */
export function assignFaces(faces: readonly Float32Array[], people: readonly KnownPerson[], rule: FaceMatchRule): (FaceMatch | null)[] {
  const wanted = faces.map((face): FaceMatch | null => {
    let best: FaceMatch | null = null;
    let second = Number.NEGATIVE_INFINITY;
    for (const person of people) {
      if (!person.exemplars.length) continue;
      const similarity = Math.max(...person.exemplars.map((e) => cosineSimilarity(face, e)));
      if (!best || similarity > best.similarity) {
        if (best) second = best.similarity;
        best = { personId: person.personId, similarity };
      } else if (similarity > second) {
        second = similarity;
      }
    }
    if (!best || best.similarity < rule.threshold) return null;
    // Strictly ahead even with margin 0: a tie between two people names neither.
    if (best.similarity <= second || best.similarity - second < rule.margin) return null;
    return best;
  });

  return wanted.map((match, i) => {
    if (!match) return null;
    const rivals = wanted.filter((other, j): other is FaceMatch => j !== i && other !== null && other.personId === match.personId);
    return rivals.every((other) => other.similarity < match.similarity) ? match : null;
  });
}
