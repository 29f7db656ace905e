/** The signals a hit can match by (API.md `matchedBy`); `modes` restricts a search to some of them. */
export enum SearchMode {
  Transcript = 'transcript',
  Ocr = 'ocr',
  Visual = 'visual',
  Person = 'person',
  Tag = 'tag',
  Object = 'object',
  /** The video's title or description (full text). */
  Title = 'title',
}

export enum SearchSort {
  Relevance = 'relevance',
  Date = 'date',
}

export const ALL_MODES: readonly SearchMode[] = Object.values(SearchMode);
