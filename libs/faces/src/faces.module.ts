import { Module } from '@nestjs/common';
import { FaceClusterer } from './face-clusterer';
import { FaceIndexRepository } from './face-index.repository';
import { FaceMatcher } from './face-matcher';
import { RematchRequests } from './rematch-requests';

/** Matching and clustering of stored faces, shared by the api (people) and the worker (stage and jobs). */
@Module({
  providers: [FaceIndexRepository, FaceMatcher, FaceClusterer, RematchRequests],
  exports: [FaceIndexRepository, FaceMatcher, FaceClusterer, RematchRequests],
})
export class FacesModule {}
