/** Where a user's people objects live (kept enrolment photos), all under one prefix per user. */
const base = (userId: string) => `people/${userId}/`;

export const peopleKeys = {
  prefix: base,
  photo: (userId: string, faceId: string) => `${base(userId)}photos/${faceId}.jpg`,
};
