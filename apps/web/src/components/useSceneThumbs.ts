import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';

/** Scene thumbnails of the given videos (appearances name scenes, not pictures), by scene id. */
export function useSceneThumbs(videoIds: string[]): Map<string, string> {
  const [thumbs, setThumbs] = useState(new Map<string, string>());
  const key = [...new Set(videoIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    Promise.all(
      key
        .split(',')
        .filter(Boolean)
        .map(async (id) => ok(await api.GET('/v1/videos/{id}/scenes', { params: { path: { id } } })).map((s) => [s.id, s.thumbnailUrl] as const)),
    ).then(
      (lists) => live && setThumbs(new Map(lists.flat().filter((e): e is readonly [string, string] => e[1] !== null))),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [key]);
  return thumbs;
}
